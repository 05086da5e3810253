"""Inbound messages and webhooks: Twilio's routing, auto-creation, signed deliveries, pre-action answers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from pulumi_twilio_conversations.emulator import DEFAULT_AUTH_TOKEN, Emulator, Faults, Receiver

from emulator_support import Api, error

CUSTOMER, SUPPORT = "+15550001111", "+15559990000"
NOWHERE = "https://backend.invalid/hook"  # not loopback: must never be called (nor resolved)


@pytest.fixture
def backend(emulator: Emulator) -> Iterator[Receiver]:
    with emulator.receiver() as receiver:
        yield receiver


def configure(
    api: Api, service: str, *, post: str = "", pre: str = "", filters: list[str], method: str = "POST"
) -> None:
    """Point the service's webhooks at `post` / `pre` for the events `filters` names."""
    form = {"PostWebhookUrl": post, "PreWebhookUrl": pre, "Filters": filters, "Method": method}
    api.post(f"/v1/Services/{service}/Configuration/Webhooks", form).raise_for_status()


def support_number(api: Api, service: str, **fields: Any) -> dict[str, Any]:
    """An address configuration of SUPPORT that auto-creates conversations in `service` (fields override)."""
    form = {
        "Type": "sms",
        "Address": SUPPORT,
        "AutoCreation.Enabled": "true",
        "AutoCreation.ConversationServiceSid": service,
        **fields,
    }
    created = api.post("/v1/Configuration/Addresses", form)
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


def test_inbound_sms_reaches_the_backend_signed(emulator: Emulator, api: Api, service: str, backend: Receiver) -> None:
    """An SMS to a configured number opens a conversation; the backend gets onMessageAdded, signed as Twilio signs."""
    support_number(api, service)
    configure(api, service, post=backend.url, filters=["onConversationAdded", "onParticipantAdded", "onMessageAdded"])
    conversation = emulator.inbound(type="sms", from_=CUSTOMER, to=SUPPORT, body="my order is late")

    calls = backend.wait(3)
    assert [c.form["EventType"] for c in calls] == ["onConversationAdded", "onParticipantAdded", "onMessageAdded"]
    added = calls[2].form
    assert added["ConversationSid"] == conversation and added["ChatServiceSid"] == service
    assert (added["Body"], added["Author"], added["Source"], added["Index"]) == (
        "my order is late",
        CUSTOMER,
        "SMS",
        "0",
    )
    assert added["MessageSid"].startswith("IM") and added["ParticipantSid"] == calls[1].form["ParticipantSid"]
    assert calls[1].form["MessagingBinding.Address"] == CUSTOMER
    assert calls[1].form["MessagingBinding.ProxyAddress"] == SUPPORT

    validator = RequestValidator(DEFAULT_AUTH_TOKEN)
    for call in calls:
        assert call.signature_valid
        assert validator.validate(call.url, call.form, call.headers["X-Twilio-Signature"])
    tampered = {**added, "Body": "refund me twice"}
    assert not validator.validate(calls[2].url, tampered, calls[2].headers["X-Twilio-Signature"])

    [participant] = api.get(f"/v1/Services/{service}/Conversations/{conversation}/Participants").json()["participants"]
    assert participant["messaging_binding"] == {"type": "sms", "address": CUSTOMER, "proxy_address": SUPPORT}
    [delivery] = [d for d in emulator.wait_for_deliveries() if d.event_type == "onMessageAdded"]
    assert (delivery.url, delivery.status, delivery.outcome, delivery.attempt) == (backend.url, 200, "delivered", 1)
    assert delivery.form == added


def test_a_later_message_joins_the_open_conversation_and_a_closed_one_starts_anew(
    emulator: Emulator, api: Api, client: Client, service: str
) -> None:
    """The same sender lands in the same conversation until it is closed; then a new one is created."""
    support_number(api, service)
    first = emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="hello")
    assert emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="anyone?") == first
    assert emulator.inbound(from_="+15550002222", to=SUPPORT, body="me too") != first, "another sender, another one"
    scoped = client.conversations.v1.services(service).conversations(first)
    assert [m.body for m in scoped.messages.list()] == ["hello", "anyone?"]
    scoped.update(state="closed")
    assert emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="back again") not in (first,)


def test_whatsapp_messages_route_with_or_without_the_prefix(emulator: Emulator, api: Api, service: str) -> None:
    """A WhatsApp number configured bare takes `whatsapp:`-prefixed messages; the binding says whatsapp."""
    support_number(api, service, Type="whatsapp")
    conversation = emulator.inbound(type="whatsapp", from_="whatsapp:" + CUSTOMER, to="whatsapp:" + SUPPORT)
    [member] = api.get(f"/v1/Services/{service}/Conversations/{conversation}/Participants").json()["participants"]
    assert member["messaging_binding"]["type"] == "whatsapp"
    assert emulator.inbound(type="whatsapp", from_="whatsapp:" + CUSTOMER, to="whatsapp:" + SUPPORT) == conversation


def test_emulator_routes_never_fault(emulator: Emulator, api: Api, service: str) -> None:
    """Injected 5xx and lost answers hit Twilio's API only: inbound messages and the delivery log always answer."""
    support_number(api, service)
    emulator.faults = Faults(server_error=1.0)
    landed = api.post("/emulator/inbound", {"Type": "sms", "From": CUSTOMER, "To": SUPPORT, "Body": "hi"})
    assert landed.status_code == 201 and api.get("/emulator/deliveries").status_code == 200
    assert api.get(f"/v1/Services/{service}").status_code >= 500


def test_an_address_nothing_routes_is_refused(emulator: Emulator, api: Api, service: str) -> None:
    """Without an address configuration (or with auto-creation off) an inbound message is refused with a clear error."""
    with pytest.raises(ValueError, match=r"\+15559990000 has no address configuration"):
        emulator.inbound(from_=CUSTOMER, to=SUPPORT)
    refused = api.post("/emulator/inbound", {"Type": "sms", "From": CUSTOMER, "To": SUPPORT, "Body": "hi"})
    assert error(refused) == (404, 20404) and "no address configuration" in refused.json()["message"]
    support_number(api, service, **{"AutoCreation.Enabled": "false"})
    with pytest.raises(ValueError, match="auto-creation disabled"):
        emulator.inbound(from_=CUSTOMER, to=SUPPORT)
    assert emulator.conversations(service) == []


def test_inbound_over_http_needs_credentials_and_answers_the_conversation(
    emulator: Emulator, api: Api, service: str
) -> None:
    """`POST /emulator/inbound` takes Basic auth like the API, and answers where the message landed."""
    support_number(api, service)
    form = {"Type": "sms", "From": CUSTOMER, "To": SUPPORT, "Body": "hi"}
    anonymous = requests.post(f"{emulator.base_url}/emulator/inbound", data=form, timeout=10)
    assert error(anonymous) == (401, 20003)
    landed = api.post("/emulator/inbound", form)
    assert landed.status_code == 201 and landed.json()["chat_service_sid"] == service
    assert [c["sid"] for c in emulator.conversations(service)] == [landed.json()["conversation_sid"]]


def test_auto_creation_webhook_is_attached_with_its_filters(
    emulator: Emulator, api: Api, service: str, backend: Receiver
) -> None:
    """Auto-creation of type webhook gives the new conversation a scoped webhook that gets the filtered events."""
    support_number(
        api,
        service,
        **{
            "AutoCreation.Type": "webhook",
            "AutoCreation.WebhookUrl": backend.url,
            "AutoCreation.WebhookMethod": "POST",
            "AutoCreation.WebhookFilters": ["onMessageAdded"],
        },
    )
    conversation = emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="hi")
    [hook] = api.get(f"/v1/Services/{service}/Conversations/{conversation}/Webhooks").json()["webhooks"]
    assert hook["configuration"] == {"url": backend.url, "method": "post", "filters": ["onMessageAdded"]}
    [call] = backend.wait(1)
    emulator.wait_for_deliveries()
    assert call.form["EventType"] == "onMessageAdded" and len(backend.requests) == 1, "only what the filters name"


def test_rest_actions_fire_webhooks_only_when_asked(
    api: Api, emulator: Emulator, service: str, backend: Receiver
) -> None:
    """REST writes fire webhooks only with X-Twilio-Webhook-Enabled: true, then with Source=API; filters still apply."""
    configure(api, service, post=backend.url, filters=["onMessageAdded", "onConversationStateUpdated"])
    conversation = emulator.create_conversation(service)["sid"]
    messages = f"/v1/Services/{service}/Conversations/{conversation}/Messages"
    api.post(messages, {"Body": "quiet"}).raise_for_status()
    api.post(messages, {"Body": "loud"}, headers={"X-Twilio-Webhook-Enabled": "true"}).raise_for_status()
    closing = {"State": "closed"}
    api.post(
        f"/v1/Services/{service}/Conversations/{conversation}", closing, headers={"X-Twilio-Webhook-Enabled": "true"}
    )
    calls = backend.wait(2)
    assert [(c.form["EventType"], c.form.get("Body")) for c in calls] == [
        ("onMessageAdded", "loud"),
        ("onConversationStateUpdated", None),
    ]
    assert calls[0].form["Source"] == "API" and calls[0].form["Index"] == "1"
    assert (calls[1].form["StateFrom"], calls[1].form["StateTo"]) == ("active", "closed")


def test_get_webhooks_carry_the_form_in_the_signed_query(
    emulator: Emulator, api: Api, service: str, backend: Receiver
) -> None:
    """With Method GET the parameters travel in the query, and the signature over the URL still validates."""
    support_number(api, service)
    configure(api, service, post=backend.url, filters=["onMessageAdded"], method="GET")
    emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="via get")
    [call] = backend.wait(1)
    assert call.method == "GET" and call.form["Body"] == "via get"
    assert RequestValidator(DEFAULT_AUTH_TOKEN).validate(call.url, {}, call.headers["X-Twilio-Signature"])


def test_a_failing_pre_action_webhook_blocks_the_message(
    emulator: Emulator, api: Api, client: Client, service: str
) -> None:
    """A non-2xx answer to onMessageAdd blocks the message: the inbound is refused and nothing is added."""
    with emulator.receiver(status=403) as gatekeeper:
        support_number(api, service)
        configure(api, service, pre=gatekeeper.url, filters=["onMessageAdd"])
        with pytest.raises(ValueError, match="blocked onMessageAdd: it answered 403"):
            emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="spam spam")
        [conversation] = emulator.conversations(service)
        assert client.conversations.v1.services(service).conversations(conversation["sid"]).messages.list() == []
        [asked] = gatekeeper.requests
        assert asked.form["EventType"] == "onMessageAdd" and "MessageSid" not in asked.form, "asked before it exists"


def test_a_pre_action_answer_may_change_the_message(emulator: Emulator, api: Api, client: Client, service: str) -> None:
    """A 200 whose JSON body sets `body` and `author` changes the message before it is written, and what follows."""
    answer = '{"body": "[redacted]", "author": "moderator", "unique_name": "ignored for messages"}'
    with emulator.receiver(body=answer) as moderator, emulator.receiver() as backend:
        support_number(api, service)
        configure(api, service, pre=moderator.url, post=backend.url, filters=["onMessageAdd", "onMessageAdded"])
        conversation = emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="my card is 4111 1111 1111 1111")
        [message] = client.conversations.v1.services(service).conversations(conversation).messages.list()
        assert (message.body, message.author) == ("[redacted]", "moderator")
        [told] = backend.wait(1)
        assert (told.form["Body"], told.form["Author"]) == ("[redacted]", "moderator")


def test_a_pre_action_answer_may_rename_a_conversation_made_over_rest(api: Api, client: Client, service: str) -> None:
    """onConversationAdd answered with a JSON `friendly_name` names the conversation a REST create makes."""
    with api.emulator.receiver(body='{"friendly_name": "Named by the backend"}') as namer:
        configure(api, service, pre=namer.url, filters=["onConversationAdd", "onMessageUpdate"])
        conversations = client.conversations.v1.services(service).conversations
        created = conversations.create(friendly_name="mine", x_twilio_webhook_enabled="true")
        assert created.friendly_name == "Named by the backend"
        assert conversations.create(friendly_name="quiet").friendly_name == "quiet", "no header, no webhook"
        message = conversations(created.sid).messages.create(author="agent-7", body="hello")
        conversations(created.sid).messages(message.sid).update(body="edited", x_twilio_webhook_enabled="true")
        [asked, edit] = namer.wait(2)
        assert asked.form["FriendlyName"] == "mine" and asked.form["Source"] == "API"
        assert (edit.form["EventType"], edit.form["Author"], edit.form["Body"]) == (
            "onMessageUpdate",
            "agent-7",
            "edited",
        )


def test_a_pre_action_webhook_that_does_not_answer_in_time_blocks() -> None:
    """A pre-action call waits no longer than the webhook timeout (Twilio's 5 s, here 0.3 s); no answer blocks."""
    with Emulator(webhook_timeout=0.3) as emulator, emulator.receiver(delay=1.0) as sleepy:
        api = Api(emulator)
        service = emulator.create_service("Support")["sid"]
        support_number(api, service)
        configure(api, service, pre=sleepy.url, filters=["onMessageAdd"])
        started = time.monotonic()
        with pytest.raises(ValueError, match=r"no answer within 0.3 s"):
            emulator.inbound(from_=CUSTOMER, to=SUPPORT)
        assert time.monotonic() - started < 0.9
        [delivery] = emulator.deliveries
        assert (delivery.event_type, delivery.outcome, delivery.attempt) == ("onMessageAdd", "error", 1)


def test_only_loopback_targets_are_called(emulator: Emulator, api: Api, service: str) -> None:
    """A webhook URL outside loopback is never called: the delivery is recorded as refused, the action goes on."""
    support_number(api, service)
    configure(api, service, pre=NOWHERE, post=NOWHERE, filters=["onMessageAdd", "onMessageAdded"])
    conversation = emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="hi")
    deliveries = emulator.wait_for_deliveries()
    assert [(d.event_type, d.outcome, d.status) for d in deliveries] == [
        ("onMessageAdd", "refused", None),
        ("onMessageAdded", "refused", None),
    ]
    assert deliveries[1].form["ConversationSid"] == conversation


def test_a_dead_receiver_is_retried_once_and_recorded(emulator: Emulator, api: Api, service: str) -> None:
    """A connection that fails is retried once (Twilio's default), RetryCount counting; both attempts are recorded."""
    with emulator.receiver() as gone:
        dead = gone.url  # a port nothing listens on once it stops
    support_number(api, service)
    configure(api, service, post=dead, filters=["onMessageAdded"])
    emulator.inbound(from_=CUSTOMER, to=SUPPORT)
    attempts = emulator.wait_for_deliveries()
    assert [(d.attempt, d.outcome, d.form["RetryCount"]) for d in attempts] == [(1, "error", "0"), (2, "error", "1")]
    assert "could not connect" in attempts[0].reason


def test_an_error_answer_is_recorded_and_not_retried(emulator: Emulator, api: Api, service: str) -> None:
    """A 500 from the backend is an answer: recorded as failed, once."""
    with emulator.receiver(status=500) as broken:
        support_number(api, service)
        configure(api, service, post=broken.url, filters=["onMessageAdded"])
        emulator.inbound(from_=CUSTOMER, to=SUPPORT)
        [delivery] = emulator.wait_for_deliveries()
        assert (delivery.status, delivery.outcome, delivery.attempt) == (500, "failed", 1)


def test_a_slow_receiver_does_not_slow_the_api(emulator: Emulator, api: Api, service: str) -> None:
    """Post-action deliveries to a receiver that takes 1 s each leave the API calls fast; they arrive afterwards."""
    with emulator.receiver(delay=1.0) as slow:
        configure(api, service, post=slow.url, filters=["onMessageAdded"])
        conversation = emulator.create_conversation(service)["sid"]
        started = time.monotonic()
        for number in range(4):
            sent = api.post(
                f"/v1/Services/{service}/Conversations/{conversation}/Messages",
                {"Body": f"m{number}"},
                headers={"X-Twilio-Webhook-Enabled": "true"},
            )
            assert sent.status_code == 201
        assert time.monotonic() - started < 1.0, "four writes did not wait for a receiver that takes 4 s in all"
        assert [call.form["Body"] for call in slow.wait(4, timeout=10)] == ["m0", "m1", "m2", "m3"], "in order"


def test_deliveries_are_readable_over_http(emulator: Emulator, api: Api, service: str, backend: Receiver) -> None:
    """`GET /emulator/deliveries` lists every attempt with its event, URL, form and status; it needs credentials."""
    support_number(api, service)
    configure(api, service, post=backend.url, filters=["onMessageAdded"])
    emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="hi")
    emulator.wait_for_deliveries()
    assert error(requests.get(f"{emulator.base_url}/emulator/deliveries", timeout=10)) == (401, 20003)
    [delivery] = api.get("/emulator/deliveries").json()["deliveries"]
    assert (delivery["event_type"], delivery["url"], delivery["status"]) == ("onMessageAdded", backend.url, 200)
    assert delivery["form"]["Body"] == "hi" and delivery["date_created"].endswith("Z")


def test_the_whole_flow_offline(emulator: Emulator, client: Client, backend: Receiver) -> None:
    """Wiring declared through the SDK as the provider declares it; an SMS in; signed events at the backend; a reply."""
    service = client.conversations.v1.services.create(friendly_name="Support").sid
    client.conversations.v1.services(service).configuration.webhooks().update(
        post_webhook_url=backend.url, filters=["onMessageAdded"], method="POST"
    )
    client.conversations.v1.address_configurations.create(
        type="sms",
        address=SUPPORT,
        auto_creation_enabled=True,
        auto_creation_type="default",
        auto_creation_conversation_service_sid=service,
    )
    conversation = emulator.inbound(type="sms", from_=CUSTOMER, to=SUPPORT, body="where is my parcel?")
    [question] = backend.wait(1)
    assert question.signature_valid and question.form["ConversationSid"] == conversation

    # the backend answers through the API, asking for webhooks as a bot would, and hears its own reply
    messages = client.conversations.v1.services(service).conversations(conversation).messages
    messages.create(author="support-bot", body="On its way!", x_twilio_webhook_enabled="true")
    _, reply = backend.wait(2)
    assert (reply.form["Author"], reply.form["Body"], reply.form["Index"]) == ("support-bot", "On its way!", "1")
    assert [m.author for m in messages.list()] == [CUSTOMER, "support-bot"]
    assert {d.outcome for d in emulator.wait_for_deliveries()} == {"delivered"}
