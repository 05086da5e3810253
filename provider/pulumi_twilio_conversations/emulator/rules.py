"""Twilio's validation rules that every family's forms share (SIDs, timestamps, durations, booleans, names,
attributes, URLs, choices, required and repeated keys), as pure functions of the text.

Each function either returns the parsed value or raises `ApiError` with the code Twilio answers. The
rules of one resource's form live with the resource, in its family (`families/conversations.py` reads a
conversation's form, cross-field rules included).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import TypeVar
from urllib.parse import urlsplit

from . import errors
from .errors import ApiError, bad_request, invalid_parameter

MAX_FRIENDLY_NAME = 256
MAX_ATTRIBUTES_BYTES = 16 * 1024

_T = TypeVar("_T")

_HEX32 = "[0-9a-fA-F]{32}"
# The rules below are Twilio's as the provider's check implements them too (inputs.py, validation.py);
# tests/test_rules_agree.py feeds both the same tables. Why each rule is what it is: inputs.py.
# Durations: days, hours, minutes, seconds (only seconds with a fraction); no years, months or weeks.
_DURATION = re.compile(
    r"P(?!$)(?:(?P<days>[0-9]+)D)?"
    r"(?:T(?=[0-9])(?:(?P<hours>[0-9]+)H)?(?:(?P<minutes>[0-9]+)M)?(?:(?P<seconds>[0-9]+(?:[.,][0-9]+)?)S)?)?"
)
_SECONDS_PER = {"days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}
MAX_TIMER = timedelta(days=36500)  # so that the moment a timer fires is always a timestamp Twilio can write
# Timestamps: RFC 3339 date-time (the spec's `format: date-time`), offset required, years 0001-9999 in UTC.
_TIMESTAMP = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:\.[0-9]+)?"
    r"(?:Z|(?P<sign>[+-])(?P<offset_hours>[0-9]{2}):(?P<offset_minutes>[0-9]{2}))"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def is_sid(text: str, prefix: str) -> bool:
    return re.fullmatch(prefix + _HEX32, text) is not None


def check_sid(text: str, prefix: str, name: str) -> str:
    """A SID of the given kind (`IS`, `CH`, `MG`, `RL` + 32 hex), else 400 naming the parameter."""
    if not is_sid(text, prefix):
        raise invalid_parameter(name, f"{text!r} is not a {prefix} SID ({prefix} followed by 32 hex digits)")
    return text


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 duration (`PT1M`, `P7D`, `P1DT12H`) of at most MAX_TIMER; ValueError says why not."""
    match = _DURATION.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not an ISO 8601 duration of days, hours, minutes, seconds such as PT10M or P1D")
    parts = {unit: float(value.replace(",", ".")) for unit, value in match.groupdict().items() if value}
    seconds = sum(value * _SECONDS_PER[unit] for unit, value in parts.items())
    if seconds > MAX_TIMER.total_seconds():
        raise ValueError(f"{text!r} is longer than P{MAX_TIMER.days}D")
    return timedelta(seconds=seconds)


def parse_timestamp(text: str, name: str) -> datetime:
    """An RFC 3339 timestamp (`2015-12-16T22:18:37Z`, `...+01:00`), in UTC to the second (Twilio's precision)."""
    match = _TIMESTAMP.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        parts = {key: int(value) for key, value in match.groupdict().items() if value and key != "sign"}
        offset_hours, offset_minutes = parts.pop("offset_hours", 0), parts.pop("offset_minutes", 0)
        if offset_hours > 23 or offset_minutes > 59:
            raise ValueError
        offset = timedelta(hours=offset_hours, minutes=offset_minutes)
        zone = timezone(-offset if match["sign"] == "-" else offset)
        return datetime(**parts, tzinfo=zone).astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise invalid_parameter(
            name, f"{text!r} is not an RFC 3339 date-time such as 2015-12-16T22:18:37Z (years 0001-9999 in UTC)"
        ) from None


def parse_date_bound(text: str, name: str) -> datetime:
    """A list filter's StartDate/EndDate: a date (its midnight in UTC) or a timestamp as `parse_timestamp` reads it."""
    if _DATE.fullmatch(text):
        text += "T00:00:00Z"
    return parse_timestamp(text, name)


def format_timestamp(moment: datetime) -> str:
    """Twilio's wire form: `2015-12-16T22:18:37Z` (RFC 3339: the year has four digits even below 1000)."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def parse_boolean(text: str, name: str) -> bool:
    lowered = text.strip().lower()
    if lowered not in ("true", "false"):
        raise invalid_parameter(name, f"{text!r} is not true or false")
    return lowered == "true"


def check_friendly_name(text: str, limit: int = MAX_FRIENDLY_NAME) -> str:
    """A FriendlyName of at most `limit` characters (256 for most resources; 64 for a role or a credential)."""
    if len(text) > limit:
        raise bad_request(
            errors.FRIENDLY_NAME_TOO_LONG,
            f"FriendlyName is too long: {len(text)} characters, at most {limit} are allowed",
        )
    return text


def check_attributes(text: str) -> str:
    """A string holding valid JSON of at most 16 KB; empty means unset, which Twilio reports as `{}`."""
    if text == "":
        return "{}"
    if len(text.encode()) > MAX_ATTRIBUTES_BYTES:
        raise bad_request(
            errors.ATTRIBUTES_TOO_LONG,
            f"Attributes are too long: {len(text.encode())} bytes, at most {MAX_ATTRIBUTES_BYTES} are allowed",
        )
    try:
        json.loads(text)
    except ValueError:
        raise bad_request(errors.ATTRIBUTES_NOT_JSON, "Attributes must be a string holding valid JSON") from None
    return text


def optional(form: Mapping[str, str], key: str, parse: Callable[[str], _T]) -> _T | None:
    value = form.get(key)
    return None if value is None else parse(value)


Lists = Mapping[str, Sequence[str]]  # a form's repeated keys (`Filters=a&Filters=b`), every value in order

WEBHOOK_METHODS = ("GET", "POST")
MAX_INTEGER = 2**31 - 1


def check_choice(text: str, name: str, choices: Sequence[str]) -> str:
    """One of `choices`, matched without regard to case, returned in the spelling of `choices`."""
    for choice in choices:
        if text.lower() == choice.lower():
            return choice
    raise invalid_parameter(name, f"{text!r} is not one of {', '.join(choices)}")


def parse_integer(text: str, name: str, low: int = 0) -> int:
    """A whole number from `low` up to Twilio's 32-bit limit."""
    try:
        value = int(text.strip())
    except ValueError:
        raise invalid_parameter(name, f"{text!r} is not an integer") from None
    if not low <= value <= MAX_INTEGER:
        raise invalid_parameter(name, f"{value} is out of range: it must be between {low} and {MAX_INTEGER}")
    return value


def missing(key: str, where: str = "in the post body") -> ApiError:
    """Twilio's 400 / 20001 for a required parameter the request lacks."""
    return ApiError(400, errors.INVALID_PARAMETER, f"Missing required parameter {key} {where}")


def require(form: Mapping[str, str], key: str) -> str:
    """A parameter the request must carry."""
    value = form.get(key)
    if value is None:
        raise missing(key)
    return value


def check_url(text: str, name: str) -> str:
    """An absolute http(s) URL, any host (Twilio calls whatever it is given; the emulator only stores it).

    Twilio answers these as `format: uri`, so what is stored must be one: no spaces, controls or
    non-ASCII characters (the fuzzer found `PreWebhookUrl=r` accepted and answered back).
    """
    try:
        parts = urlsplit(text)
        absolute = parts.scheme in ("http", "https") and bool(parts.netloc)
    except ValueError:  # a malformed IPv6 host: `http://[::1`
        absolute = False
    if not (absolute and _URI_CHARACTERS.fullmatch(text)):
        raise invalid_parameter(name, f"{text!r} is not an absolute http or https URL")
    return text


def listed(lists: Lists, key: str) -> tuple[str, ...] | None:
    """The values of a repeated key, None when not sent; sent only empty (`Filters=`), it clears the list."""
    values = lists.get(key)
    return None if values is None else tuple(value for value in values if value)


def check_json(text: str, name: str) -> str:
    try:
        json.loads(text)
    except ValueError:
        raise invalid_parameter(name, "it must be a string holding valid JSON") from None
    return text


def either(given: _T | None, current: _T | None) -> _T | None:
    """A field as an update leaves it: the value given, else the current one."""
    return current if given is None else given


def cleared(given: str | None, current: str | None) -> str | None:
    """A URL or address as an update leaves it: unchanged when not given, cleared when given empty."""
    return current if given is None else given or None
