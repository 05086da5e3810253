"""The provider plugin's tables, schema and request translation, without the engine (the engine: tests/engine)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import CheckRequest, ConfigureRequest, CreateRequest, ReadRequest
from pulumi.runtime.rpc import UNKNOWN

from pulumi_twilio_conversations.emulator import Emulator
from pulumi_twilio_conversations.errors import SettingsError, TwilioApiError
from pulumi_twilio_conversations.inputs import INPUT_NAMES, SERVICE_INPUT_NAMES
from pulumi_twilio_conversations.plugin.provider import TwilioConversationsProvider
from pulumi_twilio_conversations.plugin.resources import CONFIG, RESOURCES, camel, snake
from pulumi_twilio_conversations.plugin.schema import build_schema
from pulumi_twilio_conversations.plugin.server import user_message
from pulumi_twilio_conversations.resources.conversation import SPEC as CONVERSATION
from pulumi_twilio_conversations.resources.service import SPEC as CONVERSATION_SERVICE
from pulumi_twilio_conversations.settings import _SOURCES

pytestmark = pytest.mark.sdk

T = TypeVar("T")


def run(call: Coroutine[Any, Any, T]) -> T:
    """Run one provider call on a private loop: `asyncio.run` would leave the thread without a current
    loop, which Pulumi's mocks (tests/test_resource_mocks.py) need later in the same session."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(call)
    finally:
        loop.close()


URN = "urn:pulumi:dev::proj::twilio-conversations:index:Conversation::support"


@pytest.fixture
def plugin(provider_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> TwilioConversationsProvider:
    """The plugin's provider, configured from the environment as the engine would start it against the emulator."""
    for key, value in provider_env.items():
        monkeypatch.setenv(key, value)
    provider = TwilioConversationsProvider(RESOURCES, "0.1.0")
    run(provider.configure(ConfigureRequest({}, {}, accept_secrets=True, accept_resources=True)))
    return provider


def test_every_property_of_the_schema_has_a_description() -> None:
    """The generated SDKs' docs come from the schema: no property, input or config key goes undescribed."""
    schema = build_schema(RESOURCES, "0.1.0")
    described = [
        *schema["config"]["variables"].values(),
        *(p for r in schema["resources"].values() for p in [*r["properties"].values(), *r["inputProperties"].values()]),
    ]
    assert len(described) > 40 and all(p["description"].strip() for p in described)
    assert set(schema["resources"]) == {
        f"twilio-conversations:index:{name}"
        for name in (
            "Conversation",
            "ConversationService",
            "ServiceWebhookConfiguration",
            "ServiceNotifications",
            "Role",
            "AddressConfiguration",
            "ConversationWebhook",
            "Credential",
            "AccountConfiguration",
            "AccountWebhookConfiguration",
            "User",
            "Participant",
        )
    }


def test_the_config_keys_are_the_dynamic_providers_with_the_same_variables_and_secrets_marked() -> None:
    """`twilio-conversations:<key>` has exactly the keys and TWILIO_* fallbacks of `twilio:<key>`."""
    assert [(f"twilio:{key.key}", key.environment) for key in CONFIG] == [(key, env) for key, env, _ in _SOURCES]
    variables = build_schema(RESOURCES, "0.1.0")["config"]["variables"]
    assert {key for key, spec in variables.items() if spec.get("secret")} == {"authToken", "apiSecret"}


def test_the_tables_name_every_input_the_cores_take_in_camel_case() -> None:
    """A core input missing from the plugin's table would be unreachable from every other language."""
    for resource, core_inputs in ((CONVERSATION, INPUT_NAMES), (CONVERSATION_SERVICE, SERVICE_INPUT_NAMES)):
        assert [f.name for f in resource.inputs] == list(core_inputs)
        assert all(snake(camel(f.name)) == f.name for f in resource.fields)
    inputs = build_schema(RESOURCES, "0.1.0")["resources"][CONVERSATION.token]["inputProperties"]
    assert "chatServiceSid" in inputs and inputs["chatServiceSid"]["willReplaceOnChanges"] is True


def test_a_preview_create_sends_nothing_and_leaves_what_twilio_sets_unknown(
    plugin: TwilioConversationsProvider, emulator: Emulator
) -> None:
    """`pulumi preview` of a new conversation: no request, its sid unknown, an unknown input passed through."""
    news = {"chatServiceSid": PropertyValue(UNKNOWN), "friendlyName": PropertyValue("Support")}
    checked = run(plugin.check(CheckRequest(URN, {}, news, b"")))
    assert checked.failures == [] and checked.inputs is not None
    assert re.fullmatch(r"support-[0-9a-f]{8}", checked.inputs["uniqueName"].value)  # as the Python front door names it
    created = run(plugin.create(CreateRequest(URN, checked.inputs, 60, preview=True)))
    assert created.properties["chatServiceSid"] == PropertyValue(UNKNOWN)
    assert created.properties["sid"] == PropertyValue(UNKNOWN) and created.properties["friendlyName"].value == "Support"
    assert emulator.counters.requests == {}


def test_a_check_failure_names_the_input_in_camel_case(plugin: TwilioConversationsProvider) -> None:
    """The user reads the schema's name (`chatServiceSid`) in the failure, not the core's."""
    news = {"chatServiceSid": PropertyValue("IS123")}
    checked = run(plugin.check(CheckRequest(URN, {}, news, b"")))
    assert [failure.property for failure in checked.failures or []] == ["chatServiceSid"]


def test_an_import_declares_the_fields_twilio_reports_and_takes_the_sid_as_id(
    plugin: TwilioConversationsProvider, emulator: Emulator, service: str
) -> None:
    """`pulumi import … IS…/CH…`: id CH…, inputs that a program can declare to get an empty preview."""
    made = emulator.create_conversation(service, FriendlyName="Made", UniqueName="made")
    read = run(plugin.read(ReadRequest(URN, f"{service}/{made['sid']}", {}, {})))
    assert read.resource_id == made["sid"]
    assert {key: value.value for key, value in read.inputs.items()} == {
        "chatServiceSid": service,
        "friendlyName": "Made",
        "uniqueName": "made",
        "attributes": "{}",
        "state": "active",
    }


def test_only_errors_meant_for_the_user_lose_their_stack() -> None:
    """A Twilio or settings error shows as its line (in the plugin's namespace); a bug keeps its traceback."""
    api = TwilioApiError(method="GET", url="https://x.invalid/v1", status=401, code=20003, message="Authenticate")
    wrapped = Exception(f"{api}:\n  File ...")  # what the SDK's servicer raises while handling `api`
    wrapped.__context__ = api
    assert user_message(wrapped) == str(api)
    assert user_message(SettingsError("set twilio:accountSid")) == "set twilio-conversations:accountSid"
    assert user_message(KeyError("chat_service_sid")) is None
