"""The exceptions this package raises.

    TwilioError                      root: anything this package reports about Twilio
    ├── SettingsError                credentials or endpoint missing or malformed (no request sent)
    ├── AdoptError                   `adopt` names something that cannot be taken over; nothing was created
    │   └── AdoptNotFoundError       ... because it does not exist
    └── TwilioRequestError           a request failed: method, url (never a credential); with_hint()
        ├── TwilioConnectionError    no HTTP answer (refused, cut, timed out); `sent`: may it have arrived?
        │   └── LostResponseError *  a POST was sent and its answer never came
        ├── TwilioApiError           an error answer: status, code, message, more_info
        │   ├── NotFoundError        404 (code 20404)
        │   └── ServerWriteError *   a POST answered 500/502/503/504
        └── AmbiguousWriteError      a write Twilio may or may not have applied: the base of both marked *

As in httpx, a failure of the transport (no answer at all) and an error answer are different classes:
only an answer has a status and a Twilio code. `AmbiguousWriteError` is the one class to catch when the
question is "did my write happen?", whichever of the two ways it went unanswered.

`str()` of each is plain text whose last line says what happened and what to do: it is what a user
reads in `pulumi up`. No credential is ever part of a message, an attribute or a repr.
"""

from __future__ import annotations

import copy
from typing import Any

from typing_extensions import Self


class TwilioError(Exception):
    """Root of this package's errors."""


class SettingsError(TwilioError):
    """The provider's credentials or endpoint are missing or malformed."""


class AdoptError(TwilioError):
    """`adopt` names a conversation or service that cannot be taken over; nothing was created."""


class AdoptNotFoundError(AdoptError):
    """`adopt` names a conversation or service that does not exist; nothing was created."""


class TwilioRequestError(TwilioError):
    """A request to Twilio failed. Subclasses say how; `hint`, when set, ends the message."""

    def __init__(self, *, method: str, url: str, hint: str | None = None) -> None:
        self.method = method
        self.url = url
        self.hint = hint
        super().__init__(self._text())

    def _what(self) -> str:
        """What went wrong, as the rest of the sentence after the method and URL."""
        return "failed"

    def _text(self) -> str:
        text = f"{self.method} {self.url} {self._what()}"
        return f"{text}. {self.hint}" if self.hint else text

    def with_hint(self, hint: str) -> Self:
        """This error, of the same class and fields, its message ending with `hint` instead of any earlier one."""
        clone = copy.copy(self)
        clone.hint = hint
        clone.args = (clone._text(),)
        return clone

    def __reduce__(self) -> tuple[Any, ...]:
        # The keyword-only constructors cannot be called with `args` as BaseException's reduce would:
        # rebuild from the fields instead (copy.copy and pickle both come here).
        return _rebuild, (type(self), self.__dict__)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(method={self.method!r}, url={self.url!r})"


def _rebuild(cls: type[TwilioRequestError], fields: dict[str, Any]) -> TwilioRequestError:
    error = cls.__new__(cls)
    error.__dict__.update(fields)
    Exception.__init__(error, error._text())
    return error


class AmbiguousWriteError(TwilioRequestError):
    """A write that Twilio may or may not have applied: its answer was lost, or was a 500/502/503/504.

    Raised only as one of its two concrete forms, `LostResponseError` or `ServerWriteError`.
    """


class TwilioConnectionError(TwilioRequestError):
    """No HTTP answer came: the connection failed, was cut, or timed out.

    `sent` is False when the connection failed before any byte of the request left this machine (then
    Twilio surely did nothing), True when the request may have reached Twilio.
    """

    def __init__(self, *, method: str, url: str, reason: str, sent: bool, hint: str | None = None) -> None:
        self.reason = reason
        self.sent = sent
        super().__init__(method=method, url=url, hint=hint)

    def _what(self) -> str:
        if not self.sent:
            return (
                f"could not reach Twilio ({self.reason}), so nothing was sent; check the network and the "
                "endpoint (twilio:region and twilio:edge, or twilio:conversationsBaseUrl)"
            )
        return f"got no answer ({self.reason}); the request may have reached Twilio"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(method={self.method!r}, url={self.url!r}, sent={self.sent})"


class LostResponseError(TwilioConnectionError, AmbiguousWriteError):
    """A POST was sent and its answer never came: Twilio may have applied it."""

    def __init__(self, *, method: str, url: str, reason: str, hint: str | None = None) -> None:
        super().__init__(method=method, url=url, reason=reason, sent=True, hint=hint)

    def _what(self) -> str:
        return f"got no answer ({self.reason}); Twilio may or may not have applied it"


class TwilioApiError(TwilioRequestError):
    """Twilio answered with an error: its HTTP status and the body's code, message and more_info."""

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
        self.status = status
        self.code = code
        self.message = message
        self.more_info = more_info
        super().__init__(method=method, url=url, hint=hint)

    def _what(self) -> str:
        code = f" (Twilio error {self.code})" if self.code is not None else ""
        text = f"failed with HTTP {self.status}{code}: {self.message or 'no message'}"
        return f"{text} — see {self.more_info}" if self.more_info else text

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, code={self.code}, url={self.url!r})"


class NotFoundError(TwilioApiError):
    """The resource does not exist (HTTP 404)."""


class ServerWriteError(TwilioApiError, AmbiguousWriteError):
    """A POST answered 500/502/503/504: Twilio may have applied it before failing."""

    def _what(self) -> str:
        return f"{super()._what()}; Twilio may or may not have applied it"
