"""Credentials and endpoint, from stack config (`twilio:*`) with the environment as fallback."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .errors import SettingsError

# (stack config key, environment variable, attribute)
_SOURCES = (
    ("twilio:accountSid", "TWILIO_ACCOUNT_SID", "account_sid"),
    ("twilio:authToken", "TWILIO_AUTH_TOKEN", "auth_token"),
    ("twilio:apiKey", "TWILIO_API_KEY", "api_key"),
    ("twilio:apiSecret", "TWILIO_API_SECRET", "api_secret"),
    ("twilio:region", "TWILIO_REGION", "region"),
    ("twilio:edge", "TWILIO_EDGE", "edge"),
    ("twilio:conversationsBaseUrl", "TWILIO_CONVERSATIONS_BASE_URL", "base_url_override"),
    ("twilio:maxRetrySeconds", "TWILIO_MAX_RETRY_SECONDS", "max_retry_seconds"),
)
_ACCOUNT_SID = re.compile(r"AC[0-9a-fA-F]{32}")
_API_KEY = re.compile(r"SK[0-9a-fA-F]{32}")
# Conversations is not offered in these regions (Twilio's regional product availability).
_UNSERVED_REGIONS = frozenset({"au1"})


@dataclass(frozen=True)
class Settings:
    """Where and as whom the provider talks to Twilio. Secrets are kept out of `repr()`."""

    account_sid: str
    auth_token: str | None = field(default=None, repr=False)
    api_key: str | None = None
    api_secret: str | None = field(default=None, repr=False)
    region: str | None = None
    edge: str | None = None
    base_url_override: str | None = None
    max_retry_seconds: float = 60.0

    @classmethod
    def load(
        cls, config_get: Callable[[str], str | None] | None = None, environ: Mapping[str, str] | None = None
    ) -> Settings:
        """Read each setting from stack config first, then the environment; validate the result."""
        env = os.environ if environ is None else environ
        values: dict[str, str | None] = {}
        for key, variable, attribute in _SOURCES:
            value = config_get(key) if config_get else None
            values[attribute] = value or env.get(variable) or None
        if not values["account_sid"]:
            raise SettingsError(
                "no Twilio account: set `pulumi config set twilio:accountSid AC…` or TWILIO_ACCOUNT_SID"
            )
        retry_seconds = values.pop("max_retry_seconds")
        try:
            max_retry = float(retry_seconds) if retry_seconds else cls.max_retry_seconds
        except ValueError:
            raise SettingsError("twilio:maxRetrySeconds must be a number of seconds") from None
        settings = cls(**values, max_retry_seconds=max_retry)  # type: ignore[arg-type]
        settings.validate()
        return settings

    def validate(self) -> None:
        """Raise SettingsError naming the setting and the rule; the message never holds a secret."""
        if not _ACCOUNT_SID.fullmatch(self.account_sid):
            raise SettingsError("twilio:accountSid must be 'AC' followed by 32 hex digits")
        if self.api_key:
            if not _API_KEY.fullmatch(self.api_key):
                raise SettingsError("twilio:apiKey must be an API key SID: 'SK' followed by 32 hex digits")
            if not self.api_secret:
                raise SettingsError("twilio:apiKey is set but twilio:apiSecret (or TWILIO_API_SECRET) is not")
        elif not self.auth_token:
            raise SettingsError(
                "no Twilio credentials: set `pulumi config set --secret twilio:authToken …` "
                "(or twilio:apiKey with twilio:apiSecret, or TWILIO_AUTH_TOKEN)"
            )
        if self.region and not self.edge and not self.base_url_override:
            raise SettingsError(
                f"twilio:region {self.region!r} needs twilio:edge too: Twilio no longer serves a region "
                "without an edge (e.g. region ie1 with edge dublin, jp1 with tokyo)"
            )
        if self.region in _UNSERVED_REGIONS:
            raise SettingsError(f"twilio:region {self.region!r}: Twilio Conversations is not offered there")
        if self.base_url_override:
            _check_base_url(self.base_url_override)

    @property
    def auth(self) -> tuple[str, str]:
        """HTTP Basic credentials: the API key and its secret when set, else account SID and token."""
        if self.api_key and self.api_secret:
            return (self.api_key, self.api_secret)
        return (self.account_sid, self.auth_token or "")

    @property
    def base_url(self) -> str:
        """`https://conversations[.{edge}.{region}].twilio.com`, or the override (e.g. the emulator)."""
        if self.base_url_override:
            return self.base_url_override.rstrip("/")
        if self.edge:
            return f"https://conversations.{self.edge}.{self.region or 'us1'}.twilio.com"
        return "https://conversations.twilio.com"

    @property
    def secrets(self) -> tuple[str, ...]:
        """The values that must never be printed (for redaction)."""
        return tuple(s for s in (self.auth_token, self.api_secret) if s)


def _check_base_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"twilio:conversationsBaseUrl {url!r} is not an http(s) URL")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise SettingsError(
            f"twilio:conversationsBaseUrl {url!r}: plain http is accepted only for loopback hosts "
            "(localhost, 127.0.0.0/8, ::1); use https"
        )


def is_loopback(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1 (by name or address; nothing is resolved)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
