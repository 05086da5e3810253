"""Credential, AccountConfiguration, AccountWebhookConfiguration, User, Participant: the rules before any
request, diffs, and what the emulator cannot produce (Twilio's 400 for bad key material, an SMS
participant's identity as the text "null", the spec's examples of a service for `adopt --users`).

The wire, where there is one, is `fake_twilio.FakeTwilio` (scripted from the spec's examples; an
unexpected request fails the test). What the emulator serves is tested against it: test_account_providers.py
(the gRPC harness), tests/engine/test_engine_members.py (the real `pulumi` command).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi.output import UNKNOWN

from pulumi_twilio_conversations import (
    AccountConfigurationProvider,
    AccountWebhookConfigurationProvider,
    CredentialProvider,
    ParticipantProvider,
    UserProvider,
)
from pulumi_twilio_conversations.adopt import KINDS, declarations, render_python, render_yaml, wiring
from pulumi_twilio_conversations.errors import TwilioApiError
from pulumi_twilio_conversations.plugin.resources import RESOURCES, snake
from pulumi_twilio_conversations.plugin.schema import build_schema
from pulumi_twilio_conversations.resources import credential, participant
from pulumi_twilio_conversations.resources.base import DECLARED_KEY
from pulumi_twilio_conversations.resources.table import RESOURCE_NAME_KEY

from fake_twilio import ACCOUNT, FakeTwilio, twilio_error
from harness import ProviderServer

IS = "IS" + "a" * 32
CH = "CH" + "a" * 32
RL = "RL" + "a" * 32
US = "US" + "a" * 32
MB = "MB" + "a" * 32
CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIFnTCCBIWgAwIBAgIIAjy9H849+E8w-never-shown\n-----END CERTIFICATE-----"
PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpQIBAAKCAQEAuyf-never-shown\n-----END RSA PRIVATE KEY-----"
SERVER_KEY = "AAAA-server-key-never-shown"


def user_answer(**fields: Any) -> dict[str, Any]:
    """The spec's `create` example of a service user."""
    return {"sid": US, "account_sid": ACCOUNT, "chat_service_sid": IS, "role_sid": RL, "identity": "admin",
            "friendly_name": "name", "attributes": '{ "duty": "tech" }', "is_online": True, "is_notifiable": None,
            "date_created": "2019-12-16T22:18:37Z", "date_updated": "2019-12-16T22:18:38Z",
            "url": f"https://conversations.twilio.com/v1/Services/{IS}/Users/{US}",
            "links": {"user_conversations": f"https://conversations.twilio.com/v1/Services/{IS}/Users/{US}/Conversations"},
            **fields}  # fmt: skip


def sms_participant(**fields: Any) -> dict[str, Any]:
    """The spec's `createSms` example: an SMS participant, whose identity Twilio reports as the text "null"."""
    return {"account_sid": ACCOUNT, "chat_service_sid": IS, "conversation_sid": CH, "sid": MB, "identity": "null",
            "attributes": '{ "role": "driver" }',
            "messaging_binding": {"type": "sms", "address": "+15558675310", "proxy_address": "+15017122661"},
            "role_sid": RL, "date_created": "2015-12-16T22:18:37Z", "date_updated": "2015-12-16T22:18:38Z",
            "url": f"https://conversations.twilio.com/v1/Services/{IS}/Conversations/{CH}/Participants/{MB}",
            "last_read_message_index": None, "last_read_timestamp": None, **fields}  # fmt: skip


def failures_of(provider: Any, news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, str]:
    return {f.property: f.reason for f in provider.check(olds or {}, news).failures}


# --- rules before any request (no client is ever built: a request would need the wire) ---


@pytest.mark.parametrize(
    ("provider", "news", "name", "words"),
    [
        (CredentialProvider(), {"type": "voip"}, "type", "apn, fcm, gcm"),
        (CredentialProvider(), {"type": "apn", "private_key": PRIVATE_KEY}, "certificate", "required for type 'apn'"),
        (CredentialProvider(), {"type": "fcm"}, "secret", "required for type 'fcm'"),
        (CredentialProvider(), {"type": "fcm", "secret": SERVER_KEY, "sandbox": True}, "sandbox", "apn only"),
        (CredentialProvider(), {"type": "gcm", "api_key": "k", "friendly_name": "x" * 65}, "friendly_name", "64"),
        (CredentialProvider(), {"type": "apn", "adopt": "CR12"}, "adopt", "'CR' followed by 32 hex"),
        (AccountConfigurationProvider(), {"default_inactive_timer": "PT30S"}, "default_inactive_timer", "1 minute"),
        (AccountConfigurationProvider(), {"default_closed_timer": "PT5M"}, "default_closed_timer", "10 minutes"),
        (AccountConfigurationProvider(), {"default_chat_service_sid": "MG" + "a" * 32}, "default_chat_service_sid",
         "'IS'"),
        (AccountWebhookConfigurationProvider(), {"target": "studio"}, "target", "webhook, flex"),
        (AccountWebhookConfigurationProvider(), {"filters": ["onSomething"]}, "filters", "'onSomething'"),
        (AccountWebhookConfigurationProvider(), {"post_webhook_url": "http://backend.invalid/x"}, "post_webhook_url",
         "loopback"),
        (UserProvider(), {"chat_service_sid": IS, "identity": ""}, "identity", "must not be empty"),
        (UserProvider(), {"chat_service_sid": IS, "identity": "bot", "attributes": "{no"}, "attributes", "valid JSON"),
        (UserProvider(), {"chat_service_sid": IS, "identity": "bot", "role_sid": "RL1"}, "role_sid", "32 hex"),
        (UserProvider(), {"chat_service_sid": IS}, "identity", "required"),
        (ParticipantProvider(), {"chat_service_sid": IS, "conversation_sid": CH}, "identity",
         "or messaging_binding_address is required"),
        (ParticipantProvider(), {"chat_service_sid": IS, "conversation_sid": CH, "identity": "bot",
                                 "messaging_binding_address": "+15558675310"}, "messaging_binding_address",
         "cannot be declared with identity"),
        (ParticipantProvider(), {"chat_service_sid": IS, "conversation_sid": CH,
                                 "messaging_binding_proxy_address": "+15017122661", "identity": "bot"},
         "messaging_binding_proxy_address", "needs messaging_binding_address"),
        (ParticipantProvider(), {"chat_service_sid": IS, "conversation_sid": CH,
                                 "messaging_binding_address": "+15558675310",
                                 "messaging_binding_projected_address": "+15017122661"},
         "messaging_binding_projected_address", "chat participant"),
        (ParticipantProvider(), {"chat_service_sid": IS, "conversation_sid": "support", "identity": "bot"},
         "conversation_sid", "'CH'"),
    ],
    ids=lambda value: str(value)[:30],
)  # fmt: skip
def test_a_bad_input_fails_check_naming_it(provider: Any, news: dict[str, Any], name: str, words: str) -> None:
    """Each broken rule is one failure naming the input and the rule; check never needs Twilio."""
    failures = failures_of(provider, news)
    assert list(failures) == [name] and words in failures[name], failures


def test_key_material_never_appears_in_a_failure_or_an_info_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A credential's secrets are named in failures and info lines, never shown."""
    provider = CredentialProvider()
    failures = failures_of(provider, {"type": "fcm", "secret": SERVER_KEY, "certificate": CERTIFICATE})
    assert list(failures) == ["certificate"]
    failures = failures_of(provider, {"type": "apn", "certificate": 4.0, "private_key": PRIVATE_KEY})
    assert failures == {"certificate": "must be a string, got float"}
    declared = {"type": "apn", "certificate": CERTIFICATE, "private_key": PRIVATE_KEY, "friendly_name": "ios"}
    provider.check(declared, {"type": "apn", "friendly_name": "ios app"})  # key material removed, a change kept
    said = capsys.readouterr().out
    assert "certificate is no longer declared; Twilio keeps the value it has (a secret, not shown)" in said
    shown = said + repr(failures)
    assert "never-shown" not in shown and SERVER_KEY not in shown


def test_the_schema_marks_the_key_material_secret_and_nothing_else() -> None:
    """Other languages' SDKs wrap exactly the four write-only inputs as secrets."""
    schema = build_schema(RESOURCES, "0.1.0")["resources"]["twilio-conversations:index:Credential"]
    secret = {name for name, spec in schema["inputProperties"].items() if spec.get("secret")}
    assert secret == {"certificate", "privateKey", "apiKey", "secret"}
    assert schema["inputProperties"]["type"]["willReplaceOnChanges"] is True


# --- Credential: what the emulator does not judge ---


def test_a_refused_credential_create_does_not_show_the_key() -> None:
    """Twilio's 400 for bad key material (which the emulator does not judge) names the problem, not the key."""
    twilio = FakeTwilio().expect("POST", "/v1/Credentials", twilio_error(400, 20001, "Invalid certificate"), status=400)
    with pytest.raises(TwilioApiError) as refused:
        credential.SPEC.core.create(twilio.client(), {"type": "apn", "certificate": CERTIFICATE, "private_key": "k"})
    assert "Invalid certificate" in str(refused.value) and "never-shown" not in str(refused.value)


# --- the account's singletons: one per stack ---


@pytest.mark.parametrize("provider", [AccountConfigurationProvider(), AccountWebhookConfigurationProvider()])
def test_two_declarations_of_an_account_setting_fail_naming_both(
    start_provider: Callable[..., ProviderServer], provider: Any
) -> None:
    """A stack that declares one account singleton twice fails preview, naming both resources (one provider
    process, as the engine runs one for a stack's checks)."""
    kind = type(provider).__name__.removesuffix("Provider")
    server = start_provider(provider, f"pulumi-python:dynamic/twilio:{kind}")
    _, first = server.check(None, {RESOURCE_NAME_KEY: "defaults-a"})
    _, again = server.check(None, {RESOURCE_NAME_KEY: "defaults-a"})
    _, second = server.check(None, {RESOURCE_NAME_KEY: "defaults-b"})
    assert first == again == [] and "'defaults-a'" in second[0][1] and "'defaults-b'" in second[0][1]


# --- User: diff ---


def test_a_user_diffs_attributes_as_json_updates_in_place_and_replaces_on_a_new_identity() -> None:
    """Attributes in another spelling are unchanged; a new name updates; a new identity replaces (no delete first)."""
    olds = {**user_answer(), DECLARED_KEY: ["chat_service_sid", "identity", "friendly_name", "attributes", "role_sid"]}
    declared = {"chat_service_sid": IS, "identity": "admin", "friendly_name": "name", "attributes": '{"duty":"tech"}',
                "role_sid": RL}  # fmt: skip
    provider = UserProvider()
    assert provider.diff(US, olds, provider.check(declared, dict(declared)).inputs).changes is False
    renamed = provider.diff(US, olds, provider.check(declared, {**declared, "friendly_name": "Admin"}).inputs)
    assert renamed.changes is True and renamed.replaces == []
    moved = provider.diff(US, olds, provider.check(declared, {**declared, "identity": "root"}).inputs)
    assert moved.replaces == ["identity"] and moved.delete_before_replace is False
    removed = provider.check(declared, {k: v for k, v in declared.items() if k != "attributes"}).inputs
    assert removed["attributes"] == "{}"  # Twilio's unset value, written by the update


# --- Participant: Twilio's "null" identity, diff ---


def test_an_sms_participant_reads_back_without_an_identity_and_rests() -> None:
    """Twilio's "null" identity is no identity: the declared SMS participant diffs to nothing."""
    declared = {"chat_service_sid": IS, "conversation_sid": CH, "messaging_binding_address": "+15558675310",
                "messaging_binding_proxy_address": "+15017122661", "attributes": {"role": "driver"}}  # fmt: skip
    form = {"MessagingBinding.Address": "+15558675310", "MessagingBinding.ProxyAddress": "+15017122661",
            "Attributes": '{"role":"driver"}'}  # fmt: skip
    twilio = FakeTwilio().expect(
        "POST", f"/v1/Services/{IS}/Conversations/{CH}/Participants", sms_participant(), form, status=201
    )
    created = participant.SPEC.core.create(twilio.client(), declared)
    twilio.done()
    assert "identity" not in created.outputs and created.outputs["messaging_binding"]["type"] == "sms"
    provider = ParticipantProvider()
    assert provider.diff(MB, created.outputs, provider.check(declared, dict(declared)).inputs).changes is False
    twilio = FakeTwilio().expect("GET", f"/v1/Services/{IS}/Conversations/{CH}/Participants/{MB}", sms_participant())
    assert "identity" not in participant.SPEC.core.read(twilio.client(), f"{IS}/{CH}/{MB}", {}).inputs


def test_a_participants_new_address_replaces_it_deleting_first() -> None:
    """A new binding address replaces; the same member's replacement (a new proxy) deletes the old one first."""
    olds = {**sms_participant(), DECLARED_KEY: ["chat_service_sid", "conversation_sid", "messaging_binding_address",
                                                "messaging_binding_proxy_address"]}  # fmt: skip
    declared = {"chat_service_sid": IS, "conversation_sid": CH, "messaging_binding_address": "+15558675310",
                "messaging_binding_proxy_address": "+15017122661"}  # fmt: skip
    provider = ParticipantProvider()
    moved = provider.diff(
        MB, olds, provider.check(declared, {**declared, "messaging_binding_address": "+15550001111"}).inputs
    )
    assert moved.replaces == ["messaging_binding_address"] and moved.delete_before_replace is False
    proxied = provider.diff(
        MB, olds, provider.check(declared, {**declared, "messaging_binding_proxy_address": "+15550002222"}).inputs
    )
    assert proxied.replaces == ["messaging_binding_proxy_address"]
    role = provider.diff(MB, olds, provider.check(declared, {**declared, "role_sid": "RL" + "b" * 32}).inputs)
    assert role.changes is True and role.replaces == []


# --- adopt --service … --users ---


def test_adopt_with_users_declares_the_users_and_the_fixed_participants_under_their_conversation() -> None:
    """Each user adopted by identity; each participant with an identity or an address adopted under its
    conversation (by variable in Python, by SID in YAML); every declaration passes its provider's check."""
    empty = {"meta": {"next_page_url": None}}
    settings = {"account_sid": ACCOUNT, "chat_service_sid": IS, "filters": [], "method": "POST"}
    bot = sms_participant(sid="MB" + "b" * 32, identity="support-bot", messaging_binding=None, attributes="{}")
    service = f"/v1/Services/{IS}"
    twilio = (
        FakeTwilio()
        .expect("GET", f"{service}/Configuration/Webhooks", settings)
        .expect("GET", f"{service}/Configuration/Notifications", {"account_sid": ACCOUNT, "chat_service_sid": IS})
        .expect("GET", f"{service}/Configuration", {"chat_service_sid": IS})
        .expect("GET", f"{service}/Roles", {"roles": [], **empty})
        .expect("GET", f"{service}/Users", {"users": [user_answer()], **empty})
        .expect("GET", f"{service}/Conversations/{CH}/Webhooks", {"webhooks": [], **empty})
        .expect(
            "GET", f"{service}/Conversations/{CH}/Participants", {"participants": [sms_participant(), bot], **empty}
        )
    )
    conversations = declarations([{"sid": CH, "unique_name": "support", "attributes": "{}", "state": "active"}])
    wired = wiring(twilio.client(), IS, conversations, users=True)
    twilio.done()
    by_kind = {(w.kind, w.name): w.inputs for w in wired}
    assert by_kind[("User", "admin")] == {"adopt": US, "identity": "admin", "friendly_name": "name",
                                          "attributes": '{ "duty": "tech" }', "role_sid": RL}  # fmt: skip
    assert by_kind[("Participant", f"support-{MB}")] == {
        "conversation_sid": CH, "adopt": MB, "messaging_binding_address": "+15558675310",
        "messaging_binding_proxy_address": "+15017122661", "attributes": '{ "role": "driver" }', "role_sid": RL,
    }  # fmt: skip
    assert by_kind[("Participant", f"support-MB{'b' * 32}")]["identity"] == "support-bot"
    for resource in wired:
        checked = KINDS[resource.kind].check({}, {"chat_service_sid": IS, **resource.inputs})
        assert checked.failures == [], (resource.name, checked.failures)
    program = render_python(IS, conversations, wired, users=True)
    compile(program, "__main__.py", "exec")
    assert f'    "support-{MB}",\n    chat_service_sid=SERVICE,\n    conversation_sid=support.sid,' in program
    assert "--users" in program and "its users and the fixed participants of its conversations" in program
    data = yaml.safe_load(render_yaml(IS, conversations, wired, users=True))
    assert data["users"]["admin"]["identity"] == "admin"
    assert data["participants"][f"support-{MB}"]["conversation_sid"] == CH


def test_the_members_yaml_example_declares_schema_properties_that_pass_check() -> None:
    """examples/members/Pulumi.yaml: every type and property is in the plugin's schema, and each resource's
    literal values pass its core's check (references, unknown until up, are not judged)."""
    program = yaml.safe_load((Path(__file__).parents[1] / "examples" / "members" / "Pulumi.yaml").read_text())
    specs = {spec.token: spec for spec in RESOURCES}
    schema = build_schema(RESOURCES, "0.1.0")["resources"]
    kinds = set()
    for name, resource in program["resources"].items():
        token, properties = resource["type"], resource["properties"]
        assert set(properties) <= set(schema[token]["inputProperties"]), name
        news = {snake(key): UNKNOWN if "${" in str(value) else value for key, value in properties.items()}
        assert specs[token].core.check({}, news).failures == [], name
        kinds.add(token.rsplit(":", 1)[1])
    assert {"Credential", "AccountConfiguration", "AccountWebhookConfiguration", "User", "Participant"} <= kinds
