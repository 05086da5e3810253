"""The exceptions this package raises.

    TwilioError                      root: anything this package reports about Twilio
    ├── SettingsError                credentials or endpoint missing or malformed (no request sent)
    └── TwilioApiError               Twilio answered with an error body (status, code, message, more_info)
        ├── NotFoundError            404 (code 20404)
        └── AmbiguousWriteError      a write whose outcome is unknown (its response was lost or was a 5xx)

`str()` of each is plain text whose last line says what happened and what to do: it is what a user
reads in `pulumi up`. No credential is ever part of a message, an attribute or a repr.
"""

from __future__ import annotations


class TwilioError(Exception):
    """Root of this package's errors."""


class SettingsError(TwilioError):
    """The provider's credentials or endpoint are missing or malformed."""


class TwilioApiError(TwilioError):
    """Twilio (or the transport to it) refused a request."""

    def __init__(
        self,
        *,
        method: str,
        url: str,
        status: int,
        code: int | None = None,
        message: str = "",
        more_info: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.method = method
        self.url = url
        self.status = status
        self.code = code
        self.message = message
        self.more_info = more_info
        self.hint = hint
        super().__init__(self._text())

    def _text(self) -> str:
        code = f" (Twilio error {self.code})" if self.code is not None else ""
        text = f"{self.method} {self.url} failed with HTTP {self.status}{code}: {self.message or 'no message'}"
        if self.more_info:
            text += f" — see {self.more_info}"
        if self.hint:
            text += f". {self.hint}"
        return text

    def with_hint(self, hint: str) -> TwilioApiError:
        """The same error as a plain TwilioApiError whose message ends with `hint`."""
        return TwilioApiError(
            method=self.method,
            url=self.url,
            status=self.status,
            code=self.code,
            message=self.message,
            more_info=self.more_info,
            hint=hint,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, code={self.code}, url={self.url!r})"


class NotFoundError(TwilioApiError):
    """The resource does not exist (HTTP 404)."""


class AmbiguousWriteError(TwilioApiError):
    """A write that Twilio may or may not have applied: its response was lost or was a 500/503."""
