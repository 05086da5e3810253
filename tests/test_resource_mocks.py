"""The resource declarations as a program sees them (pulumi.runtime.set_mocks: no provider runs)."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

pytestmark = pytest.mark.sdk


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.registered: list[tuple[str, str, dict[str, Any]]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered.append((args.typ, args.name, args.inputs))
        sid = ("IS" if args.typ.endswith("ConversationService") else "CH") + "0" * 32
        return sid, {**args.inputs, "sid": sid}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks() -> Mocks:
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    return mocks


@pulumi.runtime.test
def test_declaration_registers_the_typed_resources(mocks: Mocks) -> Any:
    """A program's service and conversation register under their type tokens with their inputs."""
    from pulumi_twilio_conversations import Conversation, ConversationArgs, ConversationService

    service = ConversationService("support", friendly_name="Support")
    conversation = Conversation(
        "triage", ConversationArgs(chat_service_sid=service.sid, friendly_name="Triage"), attributes={"tier": 1}
    )

    def check(values: list[Any]) -> None:
        sid, attributes = values
        assert sid == "CH" + "0" * 32
        assert attributes == '{"tier":1}'
        types = {(typ, name) for typ, name, _ in mocks.registered}
        assert types == {
            ("pulumi-python:dynamic/twilio:ConversationService", "support"),
            ("pulumi-python:dynamic/twilio:Conversation", "triage"),
        }
        inputs = next(inputs for typ, _, inputs in mocks.registered if typ.endswith(":Conversation"))
        assert inputs["chat_service_sid"] == "IS" + "0" * 32 and inputs["auto_name"].startswith("triage-")

    return pulumi.Output.all(conversation.sid, conversation.attributes).apply(check)


TWILIO_LINKS = {
    "participants": "https://conversations.twilio.com/v1/Services/IS0/Conversations/CH0/Participants",
    "export": "https://media.twilio.com/v1/Exports/CH0",
}


@pytest.mark.parametrize(
    "stored",
    [
        {"participants": "Participants", "export": TWILIO_LINKS["export"]},  # as the provider keeps them
        TWILIO_LINKS,  # as states written by earlier versions hold them
    ],
)
def test_links_read_as_twilio_returned_them(stored: dict[str, str]) -> None:
    """`links` in state is relative to `url`; the program sees Twilio's absolute URLs either way."""

    class Stored(Mocks):
        def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
            url = "https://conversations.twilio.com/v1/Services/IS0/Conversations/CH0"
            return "CH0", {**args.inputs, "sid": "CH0", "url": url, "links": stored}

    pulumi.runtime.set_mocks(Stored(), preview=False)

    @pulumi.runtime.test
    def program() -> Any:
        from pulumi_twilio_conversations import Conversation

        conversation = Conversation("triage", chat_service_sid="IS0")
        return conversation.links.apply(lambda links: _equal(links, TWILIO_LINKS))

    program()


def _equal(actual: Any, expected: Any) -> None:
    assert actual == expected


@pulumi.runtime.test
def test_a_conversation_without_a_service_registers_for_the_accounts_default_service(mocks: Mocks) -> Any:
    """DESIGN.md: a Conversation may omit chat_service_sid (`/v1/Conversations`); it registers without one.

    Before issue 25 a missing chat_service_sid was a TypeError in the program."""
    from pulumi_twilio_conversations import Conversation

    conversation = Conversation("orphan", friendly_name="x")

    def check(_: Any) -> None:
        inputs = next(inputs for typ, _, inputs in mocks.registered if typ.endswith(":Conversation"))
        assert "chat_service_sid" not in inputs and inputs["friendly_name"] == "x"

    return conversation.sid.apply(check)


_SECRET_SIG = "4dabf18193072939515e22adb298388d"


@pulumi.runtime.test
def test_a_credentials_key_material_is_registered_as_a_secret_even_when_given_in_plain_text(mocks: Mocks) -> Any:
    """certificate and private_key reach the engine wrapped as secrets (so state encrypts them); sandbox does not."""
    from pulumi_twilio_conversations import Credential

    credential = Credential("ios", type="apn", certificate="-----BEGIN CERTIFICATE-----", private_key="k", sandbox=True)

    def check(_: Any) -> None:
        inputs = next(inputs for typ, _, inputs in mocks.registered if typ.endswith(":Credential"))
        assert inputs["certificate"][_SECRET_SIG] and inputs["certificate"]["value"] == "-----BEGIN CERTIFICATE-----"
        assert inputs["private_key"]["value"] == "k" and inputs["sandbox"] is True

    return credential.sid.apply(check)


@pulumi.runtime.test
def test_a_users_attributes_given_as_a_dict_register_as_json_text(mocks: Mocks) -> Any:
    """User and Participant attributes, like a Conversation's, go as the JSON text Twilio returns."""
    from pulumi_twilio_conversations import User

    user = User("bot", chat_service_sid="IS" + "0" * 32, identity="bot", attributes={"kind": "bot", "tier": 1})

    def check(_: Any) -> None:
        inputs = next(inputs for typ, _, inputs in mocks.registered if typ.endswith(":User"))
        assert inputs["attributes"] == '{"kind":"bot","tier":1}'

    return user.sid.apply(check)


def test_a_user_without_its_service_is_a_type_error() -> None:
    """Forgetting a required input fails in the program with the input named."""
    from pulumi_twilio_conversations import User

    with pytest.raises(TypeError, match="chat_service_sid is required"):
        User("orphan", identity="x")  # type: ignore[call-arg]
