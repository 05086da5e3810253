"""Input rules and comparison: what `pulumi preview` rejects, and what it treats as unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pulumi.output import Unknown

from pulumi_twilio_conversations import ConversationProvider, ConversationServiceProvider
from pulumi_twilio_conversations.inputs import INPUT_NAMES, SERVICE_INPUT_NAMES, same_value, to_form
from pulumi_twilio_conversations.validation import ConversationInputs, ServiceInputs

IS = "IS" + "0123456789abcdef" * 2
CH = "CH" + "0123456789abcdef" * 2
GOOD = {"chat_service_sid": IS, "friendly_name": "Support"}

# (input values merged over GOOD, the input that must be named, words the reason must contain)
BAD_CONVERSATIONS: list[tuple[dict[str, Any], str, str]] = [
    ({"chat_service_sid": "IS123"}, "chat_service_sid", "32 hex"),
    ({"chat_service_sid": "MG" + "0" * 32}, "chat_service_sid", "'IS'"),
    ({"chat_service_sid": 42}, "chat_service_sid", "must be a string"),
    ({"friendly_name": "x" * 257}, "friendly_name", "at most 256"),
    ({"friendly_name": 7.0}, "friendly_name", "must be a string"),
    ({"unique_name": ""}, "unique_name", "must not be empty"),
    ({"unique_name": CH}, "unique_name", "50390"),
    ({"attributes": "{not json"}, "attributes", "valid JSON"),
    ({"attributes": 3.0}, "attributes", "dict or a string"),
    ({"attributes": {"blob": "x" * 17000}}, "attributes", "16 KB"),
    ({"state": "open"}, "state", "inactive, active, closed"),
    ({"state": "initializing"}, "state", "inactive, active, closed"),
    ({"state": "closed"}, "state", "50384"),
    ({"timers_inactive": "PT30S"}, "timers_inactive", "at least 1 minute"),
    ({"timers_inactive": "1 hour"}, "timers_inactive", "ISO 8601 duration"),
    ({"timers_inactive": "P"}, "timers_inactive", "ISO 8601 duration"),
    ({"timers_closed": "PT5M"}, "timers_closed", "at least 10 minutes"),
    ({"timers_closed": "PT"}, "timers_closed", "ISO 8601 duration"),
    ({"date_created": "yesterday"}, "date_created", "ISO 8601 timestamp"),
    ({"date_updated": "2026-13-01T00:00:00Z"}, "date_updated", "ISO 8601 timestamp"),
    ({"messaging_service_sid": "MG12"}, "messaging_service_sid", "'MG' followed by 32 hex"),
    ({"bindings_email_address": "not-an-address"}, "bindings_email_address", "email address"),
    ({"bindings_email_name": ["x"]}, "bindings_email_name", "must be a string"),
    ({"webhook_enabled": "yes"}, "webhook_enabled", "bool"),
    ({"adopt": ""}, "adopt", "must not be empty"),
    ({"adopt": "CH" + "z" * 32}, "adopt", "32 hex"),
    ({"friendlyName": "camel"}, "friendlyName", "not an input"),
    ({"sid": CH}, "sid", "not an input"),
]


@pytest.mark.parametrize(("change", "name", "words"), BAD_CONVERSATIONS, ids=lambda v: str(v)[:40])
def test_bad_conversation_input_fails_check_naming_it(change: dict[str, Any], name: str, words: str) -> None:
    """Each bad input is one failure that names the input and states the rule."""
    news = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    result = ConversationProvider().check({}, news)
    assert [(f.property, words in f.reason) for f in result.failures] == [(name, True)], result.failures


BAD_SERVICES: list[tuple[dict[str, Any], str, str]] = [
    ({"friendly_name": None}, "friendly_name", "required"),
    ({"friendly_name": "x" * 300}, "friendly_name", "at most 256"),
    ({"reachability_enabled": "true"}, "reachability_enabled", "bool"),
    ({"default_conversation_role_sid": "RL1"}, "default_conversation_role_sid", "'RL' followed by 32 hex"),
    ({"adopt": CH}, "adopt", "'IS'"),
    ({"force_destroy": 1.0}, "force_destroy", "bool"),
]


@pytest.mark.parametrize(("change", "name", "words"), BAD_SERVICES, ids=lambda v: str(v)[:40])
def test_bad_service_input_fails_check_naming_it(change: dict[str, Any], name: str, words: str) -> None:
    """A ConversationService's bad input is reported the same way."""
    news = {k: v for k, v in {"friendly_name": "Support", **change}.items() if v is not None}
    result = ConversationServiceProvider().check({}, news)
    assert [(f.property, words in f.reason) for f in result.failures] == [(name, True)], result.failures


def test_unknown_values_are_not_judged_in_preview() -> None:
    """Values preview cannot know yet (another resource's outputs) pass check untouched."""
    result = ConversationProvider().check({}, {"chat_service_sid": Unknown(), "friendly_name": Unknown()})
    assert result.failures == []


def test_closed_is_fine_once_the_conversation_exists() -> None:
    """Closing an existing conversation (olds present) is allowed; only a new one cannot start closed."""
    assert ConversationProvider().check({**GOOD, "unique_name": "u"}, {**GOOD, "state": "closed"}).failures == []


def test_removed_unique_name_keeps_the_remote_one() -> None:
    """Removing unique_name from the program keeps the name it has (Twilio cannot unset it)."""
    result = ConversationProvider().check({**GOOD, "unique_name": "kept"}, dict(GOOD))
    assert result.inputs["unique_name"] == "kept"


def test_timers_without_state_do_not_fail() -> None:
    """Timers alone are valid: the provider sends Twilio's default state with them."""
    assert ConversationProvider().check({}, {**GOOD, "timers_inactive": "PT1H", "timers_closed": "P7D"}).failures == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=6), json_values, max_size=6))
def test_attributes_compare_as_json(attributes: dict[str, Any]) -> None:
    """Attributes equal as JSON never diff: key order, whitespace, and ints turned floats by the wire."""
    as_floats = json.loads(json.dumps(attributes), parse_int=float)
    reordered = json.dumps(dict(reversed(list(attributes.items()))), indent=2)
    assert same_value("attributes", as_floats, reordered)
    assert to_form({"attributes": as_floats})["Attributes"] == json.dumps(
        attributes, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


@given(st.dictionaries(st.text(min_size=1, max_size=6), st.integers(0, 5), min_size=1, max_size=5))
def test_changed_attributes_do_diff(attributes: dict[str, int]) -> None:
    """A real change in attributes is never hidden: a changed value, or true versus 1."""
    key = next(iter(attributes))
    assert not same_value("attributes", {**attributes, key: attributes[key] + 1}, json.dumps(attributes))
    assert not same_value("attributes", {**attributes, key: True}, json.dumps({**attributes, key: 1}))


def test_form_sends_only_what_is_set_in_twilio_keys() -> None:
    """The request body holds exactly the inputs that are set, under Twilio's form keys."""
    form = to_form({"friendly_name": "F", "timers_closed": "P7D", "bindings_email_address": "a@b.co", "state": None})
    assert form == {"FriendlyName": "F", "Timers.Closed": "P7D", "Bindings.Email.Address": "a@b.co"}


def test_the_input_names_are_the_validated_inputs() -> None:
    """The wire tables and the rules describe the same inputs, in the same order."""
    assert tuple(ConversationInputs.model_fields) == INPUT_NAMES
    assert tuple(ServiceInputs.model_fields) == SERVICE_INPUT_NAMES


def _probe(code: str) -> str:
    """What a fresh Python process running `code` prints."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_a_program_declaring_resources_loads_neither_pydantic_nor_requests() -> None:
    """Only the provider's check needs pydantic and only its HTTP calls need requests: programs start faster."""
    probe = "import sys, pulumi_twilio_conversations; print(sorted({'pydantic', 'requests'} & set(sys.modules)))"
    assert _probe(probe) == "[]"


def test_unchanged_inputs_are_not_judged_again_and_changed_ones_are() -> None:
    """A no-op preview checks inputs it accepted before without loading pydantic; a change is judged."""
    probe = f"""
import sys
from pulumi_twilio_conversations import ConversationProvider
olds = {{"__provider": "x", "chat_service_sid": "{IS}", "friendly_name": "F", "unique_name": "u"}}
same = ConversationProvider().check(olds, {{"chat_service_sid": "{IS}", "friendly_name": "F"}})
print([f.property for f in same.failures], "pydantic" in sys.modules)
longer = ConversationProvider().check(olds, {{"chat_service_sid": "{IS}", "friendly_name": "F" * 257}})
print([f.property for f in longer.failures], "pydantic" in sys.modules)
"""
    assert _probe(probe).splitlines() == ["[] False", "['friendly_name'] True"]
