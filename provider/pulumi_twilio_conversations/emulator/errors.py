"""Twilio's error answers: one exception carrying what the error body says.

Every refusal the emulator makes is an `ApiError`; the WSGI app turns it into Twilio's body
`{"code", "message", "more_info", "status"}`. The codes are Twilio's own (from its error dictionary);
where Twilio documents none for a case, the generic 20001 ("invalid parameter") is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Twilio's codes, named once. The Conversations API shares the Programmable Chat range (503xx) with Chat.
INVALID_PARAMETER = 20001  # generic: a malformed SID, timestamp, boolean, page size, missing parameter
AUTHENTICATE = 20003
METHOD_NOT_ALLOWED = 20004
NOT_FOUND = 20404
TOO_MANY_REQUESTS = 20429
INTERNAL_SERVER_ERROR = 20500
SERVICE_UNAVAILABLE = 20503
FRIENDLY_NAME_TOO_LONG = 50003
ATTRIBUTES_TOO_LONG = 50303
ATTRIBUTES_NOT_JSON = 50304
UNIQUE_NAME_TAKEN = 50353
INACTIVE_TIMER_TOO_SHORT = 50375
CLOSED_TIMER_TOO_SHORT = 50376
CLOSED_IS_FINAL = 50377
INVALID_STATE = 50378
INACTIVE_TIMER_NOT_DURATION = 50379
CLOSED_TIMER_NOT_DURATION = 50380
TIMER_WITHOUT_STATE = 50382
CLOSED_AS_INITIAL_STATE = 50384
UNIQUE_NAME_LIKE_SID = 50390
BINDING_TAKEN = 50416  # "A binding for this participant and proxy address already exists in Conversation CH…"
FORBIDDEN = 20403
# Twilio documents no code of its own for these two: the generic one, with the status Twilio answers
ADDRESS_TAKEN = INVALID_PARAMETER  # 409: a second configuration of the same type and address
TOO_MANY_WEBHOOKS = INVALID_PARAMETER  # 400: a sixth webhook on one conversation
IDENTITY_TAKEN = INVALID_PARAMETER  # 409: a second participant with one identity in a conversation
WEBHOOK_REJECTED = FORBIDDEN  # 403: a pre-action webhook blocked the action (Twilio's generic "forbidden")
NO_ROUTE = NOT_FOUND  # 404: an inbound message to an address that nothing routes into Conversations


class ApiError(Exception):
    """A Twilio error answer: HTTP status, Twilio code, message, and any extra response headers."""

    def __init__(self, status: int, code: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }


def bad_request(code: int, message: str) -> ApiError:
    return ApiError(400, code, message)


def invalid_parameter(name: str, why: str) -> ApiError:
    return ApiError(400, INVALID_PARAMETER, f"Invalid {name}: {why}")


def not_found(path: str) -> ApiError:
    return ApiError(404, NOT_FOUND, f"The requested resource {path} was not found")
