"""Twilio's rules, one table each, fed to both the provider's check and the emulator: they must agree.

The emulator imports nothing from the provider, so each side implements the rules on its own; these
tables are the one statement of them. What each rule is, and why, is in inputs.py and validation.py.
"""

from __future__ import annotations

import re

import pytest
import requests

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator, rules
from pulumi_twilio_conversations.emulator import errors as codes
from pulumi_twilio_conversations.emulator.errors import ApiError
from pulumi_twilio_conversations.emulator.families import conversations
from pulumi_twilio_conversations.inputs import format_timestamp, parse_timestamp, to_form
from pulumi_twilio_conversations.validation import ConversationInputs, validation_failures

IS = "IS" + "0123456789abcdef" * 2
AUTH = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
RFC3339_UTC = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")

OK, SHORT, INVALID = "ok", "too short", "invalid"
# (duration, verdict as Timers.Inactive (at least 1 minute), verdict as Timers.Closed (at least 10 minutes))
DURATIONS = [
    ("PT1M", OK, SHORT),
    ("PT10M", OK, OK),
    ("PT90S", OK, SHORT),
    ("PT1H", OK, OK),
    ("P1D", OK, OK),
    ("P7D", OK, OK),
    ("P1DT12H", OK, OK),
    ("P1DT0H0M0S", OK, OK),
    ("PT600.5S", OK, OK),
    ("PT600,5S", OK, OK),
    ("P36500D", OK, OK),
    ("PT0.5S", SHORT, SHORT),
    ("PT59.999S", SHORT, SHORT),
    ("PT0S", SHORT, SHORT),
    ("P0D", SHORT, SHORT),
    ("PT9M59S", OK, SHORT),
    ("P1W", INVALID, INVALID),  # weeks: not in the form Twilio documents; P7D says it
    ("P1M", INVALID, INVALID),  # a month has no fixed length; P30D says what is meant
    ("P1Y", INVALID, INVALID),  # nor a year
    ("P1Y2M3D", INVALID, INVALID),
    ("PT1.5M", INVALID, INVALID),  # only seconds may have a fraction
    ("P36501D", INVALID, INVALID),  # longer than a timer can be
    ("P99999999999D", INVALID, INVALID),
    ("PT1H1M1D", INVALID, INVALID),
    ("P", INVALID, INVALID),
    ("PT", INVALID, INVALID),
    ("P1DT", INVALID, INVALID),
    ("-PT1H", INVALID, INVALID),
    ("pt1h", INVALID, INVALID),
    (" PT1H", INVALID, INVALID),
    ("PT1H\n", INVALID, INVALID),
    ("P\uff11D", INVALID, INVALID),  # a full-width digit
    ("1 hour", INVALID, INVALID),
    ("", INVALID, INVALID),
]
EMAILS = [
    ("help@example.com", True),
    ("first.last+tag@mail.example.co.uk", True),
    ("a@b.c", True),
    ("o'brien@example.ie", True),
    ('"quoted"@example.com', True),
    ("ünïcode@exämple.de", True),
    ("a@b", False),  # a domain needs two labels
    ("a@b.", False),
    ("a@.b", False),
    ("a@b..c", False),
    ("@example.com", False),
    ("help@", False),
    ("a@@example.com", False),
    ("a@b@example.com", False),
    ("a b@example.com", False),
    ("help@example.com ", False),
    ("not-an-address", False),
    ("", False),
]
# (timestamp, the UTC moment it names in Twilio's form, or None when it is refused)
TIMESTAMPS = [
    ("2015-12-16T22:18:37Z", "2015-12-16T22:18:37Z"),
    ("2015-12-16T22:18:37.999Z", "2015-12-16T22:18:37Z"),  # Twilio keeps whole seconds
    ("2015-12-16T23:18:37+01:00", "2015-12-16T22:18:37Z"),
    ("2015-12-16T17:48:37-04:30", "2015-12-16T22:18:37Z"),
    ("2015-12-16T22:18:37-00:00", "2015-12-16T22:18:37Z"),
    ("2016-02-29T00:00:00Z", "2016-02-29T00:00:00Z"),
    ("0999-01-01T00:00:00Z", "0999-01-01T00:00:00Z"),  # the year keeps its four digits (was '999-01-01…')
    ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
    ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
    ("0001-01-01T00:30:00+01:00", None),  # before year 1 once in UTC
    ("9999-12-31T23:59:59-01:00", None),  # after year 9999 once in UTC
    ("0000-01-01T00:00:00Z", None),
    ("999-01-01T00:00:00Z", None),
    ("10000-01-01T00:00:00Z", None),
    ("2015-12-16T22:18:37", None),  # no offset: RFC 3339 requires one
    ("2015-12-16", None),
    ("2015-12-16 22:18:37Z", None),
    ("2015-12-16t22:18:37z", None),
    ("20151216T221837Z", None),
    ("2015-12-16T22:18Z", None),
    ("2015-13-01T00:00:00Z", None),
    ("2015-02-29T00:00:00Z", None),
    ("2015-12-16T24:00:00Z", None),
    ("2015-12-16T23:59:60Z", None),  # a leap second: no instant Twilio can store
    ("2015-12-16T22:18:37+24:00", None),
    ("2015-12-16T22:18:37+01:60", None),
    ("2015-12-16T22:18:37+0100", None),
    ("\uff12015-12-16T22:18:37Z", None),
    (" 2015-12-16T22:18:37Z", None),
    ("yesterday", None),
    ("", None),
]


def _provider_reason(name: str, value: str) -> str | None:
    failures = dict(validation_failures(ConversationInputs, {"chat_service_sid": IS, name: value}, []))
    return failures.get(name)


def _emulator_code(form: dict[str, str]) -> int | None:
    try:
        conversations.parse_conversation_form(form, creating=True)
    except ApiError as error:
        return error.code
    return None


def _provider_verdict(name: str, value: str) -> str:
    reason = _provider_reason(name, value)
    return OK if reason is None else SHORT if "Twilio's minimum" in reason else INVALID


@pytest.mark.parametrize(("text", "inactive", "closed"), DURATIONS)
def test_both_sides_judge_a_timer_alike(text: str, inactive: str, closed: str) -> None:
    """A timer duration is accepted, too short, or refused the same way by check and by the emulator."""
    emulator_verdicts = {
        OK: None,
        SHORT: (codes.INACTIVE_TIMER_TOO_SHORT, codes.CLOSED_TIMER_TOO_SHORT),
        INVALID: (codes.INACTIVE_TIMER_NOT_DURATION, codes.CLOSED_TIMER_NOT_DURATION),
    }
    assert _provider_verdict("timers_inactive", text) == inactive
    assert _provider_verdict("timers_closed", text) == closed
    inactive_codes, closed_codes = emulator_verdicts[inactive], emulator_verdicts[closed]
    assert _emulator_code({"State": "active", "Timers.Inactive": text}) == (inactive_codes and inactive_codes[0])
    assert _emulator_code({"State": "active", "Timers.Closed": text}) == (closed_codes and closed_codes[1])


@pytest.mark.parametrize(("address", "valid"), EMAILS)
def test_both_sides_judge_an_email_address_alike(address: str, valid: bool) -> None:
    """An email binding address is accepted or refused the same way by check and by the emulator."""
    reason = _provider_reason("bindings_email_address", address)
    assert (reason is None) == valid, reason
    assert _emulator_code({"Bindings.Email.Address": address}) == (None if valid else codes.INVALID_PARAMETER)


@pytest.mark.parametrize(("text", "moment"), TIMESTAMPS)
def test_both_sides_read_a_timestamp_alike(text: str, moment: str | None) -> None:
    """A DateCreated is refused by both (check naming the input, the emulator with 20001), or names the same instant."""
    reason = _provider_reason("date_created", text)
    assert _emulator_code({"DateCreated": text}) == (None if moment else codes.INVALID_PARAMETER)
    if moment is None:
        assert reason is not None and "RFC 3339" in reason
        return
    assert reason is None
    assert to_form({"date_created": text}) == {"DateCreated": moment}  # what the provider sends
    assert format_timestamp(parse_timestamp(text)) == moment
    assert rules.format_timestamp(rules.parse_timestamp(text, "DateCreated")) == moment


@pytest.mark.parametrize(("text", "moment"), [(text, moment) for text, moment in TIMESTAMPS if moment])
def test_the_emulator_answers_only_rfc_3339_timestamps(
    emulator: Emulator, service: str, text: str, moment: str
) -> None:
    """Whatever valid date a conversation is given, the emulator reports it as YYYY-MM-DDTHH:MM:SSZ."""
    fields = {"DateCreated": text, "DateUpdated": text, "State": "active", "Timers.Closed": "P36500D"}
    created = emulator.create_conversation(service, **fields)
    fetched = requests.get(created["url"], auth=AUTH, timeout=5).json()
    for body in (created, fetched):
        assert body["date_created"] == body["date_updated"] == moment
        assert RFC3339_UTC.fullmatch(body["timers"]["date_closed"])


def test_the_emulator_refuses_a_bad_timestamp_with_twilios_code(emulator: Emulator, service: str) -> None:
    """An invalid DateCreated is a 400 with Twilio's 20001 naming the parameter, and nothing is created."""
    answer = requests.post(
        f"{emulator.base_url}/v1/Services/{service}/Conversations",
        data={"DateCreated": "2015-12-16T22:18:37"},
        auth=AUTH,
        timeout=5,
    )
    assert answer.status_code == 400 and answer.json()["code"] == codes.INVALID_PARAMETER
    assert "DateCreated" in answer.json()["message"] and emulator.conversations(service) == []
