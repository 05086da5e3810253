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


def test_missing_service_sid_is_a_type_error() -> None:
    """Forgetting chat_service_sid fails in the program with the input named."""
    from pulumi_twilio_conversations import Conversation

    with pytest.raises(TypeError, match="chat_service_sid is required"):
        Conversation("orphan", friendly_name="x")  # type: ignore[call-arg]
