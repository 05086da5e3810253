"""The messages of the emulator's refusals name what Twilio names (SIDs, values), never a Python record."""

from __future__ import annotations

import re

import requests

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api

# What a dataclass's repr looks like (`Conversation(sid='CH…', …)`), and a datetime's
_REPR = re.compile(r"\b[A-Z]\w*\(\w+=|datetime\.")
MISSING = {
    "IS": "IS" + "0" * 32,
    "CH": "CH" + "0" * 32,
    "RL": "RL" + "0" * 32,
    "WH": "WH" + "0" * 32,
    "IM": "IM" + "0" * 32,
}


def _message(response: requests.Response) -> str:
    assert response.status_code >= 400, response.text
    message: str = response.json()["message"]
    return message


def _refusals(api: Api, emulator: Emulator, service: str) -> dict[str, requests.Response]:
    """One request down each of the emulator's refusals that involve a stored record."""
    conversations = f"/v1/Services/{service}/Conversations"
    first = api.post(conversations, {"UniqueName": "taken", "State": "active"}).json()["sid"]
    closed = api.post(conversations, {"State": "active"}).json()["sid"]
    api.post(f"{conversations}/{closed}", {"State": "closed"})
    second = api.post(conversations, {}).json()["sid"]
    binding = {"MessagingBinding.Address": "+15550001111", "MessagingBinding.ProxyAddress": "+15559990000"}
    api.post(f"{conversations}/{first}/Participants", binding)
    api.post(f"{conversations}/{first}/Participants", {"Identity": "alice"})
    hooks = f"{conversations}/{first}/Webhooks"
    for number in range(5):
        api.post(hooks, {"Target": "webhook", "Configuration.Url": f"https://hooks.example.invalid/{number}"})
    addresses = "/v1/Configuration/Addresses"
    api.post(addresses, {"Type": "sms", "Address": "+15559990001"})
    orphan = api.post(addresses, {"Type": "sms", "Address": "+15559990002", "AutoCreation.Enabled": "true"}).json()
    return {
        "binding taken": api.post(f"{conversations}/{second}/Participants", binding),
        "identity taken": api.post(f"{conversations}/{first}/Participants", {"Identity": "alice"}),
        "unique name taken": api.post(conversations, {"UniqueName": "taken"}),
        "closed is final": api.post(f"{conversations}/{closed}", {"FriendlyName": "again"}),
        "too many webhooks": api.post(hooks, {"Target": "webhook", "Configuration.Url": "https://h.example.invalid"}),
        "address taken": api.post(addresses, {"Type": "sms", "Address": "+15559990001"}),
        "no route": api.post("/emulator/inbound", {"Type": "sms", "From": "+1555", "To": "+15559990003"}),
        "no service": api.post("/emulator/inbound", {"Type": "sms", "From": "+1555", "To": orphan["address"]}),
        "unknown role": api.post(f"{conversations}/{first}/Participants", {"Identity": "bo", "RoleSid": MISSING["RL"]}),
        "unknown service": api.get(f"/v1/Services/{MISSING['IS']}/Roles"),
        "unknown conversation": api.get(f"{conversations}/{MISSING['CH']}/Messages"),
        "unknown message": api.get(f"{conversations}/{first}/Messages/{MISSING['IM']}"),
        "unknown webhook": api.get(f"{hooks}/{MISSING['WH']}"),
        "unknown participant": api.delete(f"{conversations}/{first}/Participants/nobody"),
        "unknown address": api.get(f"{addresses}/+15550000000"),
    }


def test_no_refusal_prints_a_record(api: Api, emulator: Emulator, service: str) -> None:
    """Every refusal that involves a stored record answers a message without a Python repr in it."""
    printed = {name: message for name, response in _refusals(api, emulator, service).items()
               if _REPR.search(message := _message(response))}  # fmt: skip
    assert printed == {}


def test_a_taken_binding_names_the_conversation_that_has_it(api: Api, service: str) -> None:
    """50416 ends with the SID of the conversation holding the binding, in Twilio's words."""
    conversations = f"/v1/Services/{service}/Conversations"
    holder, other = (api.post(conversations, {}).json()["sid"] for _ in range(2))
    binding = {"MessagingBinding.Address": "+15550001111", "MessagingBinding.ProxyAddress": "+15559990000"}
    api.post(f"{conversations}/{holder}/Participants", binding)
    refused = api.post(f"{conversations}/{other}/Participants", binding)
    assert refused.json()["code"] == 50416
    assert _message(refused) == (
        f"A binding for this participant and proxy address already exists in Conversation {holder}"
    )
