"""Delivery receipts: how a message reached each non-chat participant (`…/Messages/{MessageSid}/Receipts`).

Routes: `…/Messages/{MessageSid}/Receipts` (list) and `…/Receipts/{Sid}` (fetch), the service's and the
account's. A receipt is born `sent` with the message (see `messages`) and moves only when a test says so:
`POST /emulator/receipts/{Sid}` with `Status` (`sent`, `delivered`, `read`, `undelivered`, `failed`) and,
for a failure, `ErrorCode` (Twilio's delivery error, `30003`), the same as `Emulator.set_receipt_status`.
The message's `delivery` summary follows at once.
"""

from __future__ import annotations

from dataclasses import replace

from werkzeug.wrappers import Response

from ..errors import not_found
from ..routing import Call, Family, Route
from ..rules import check_choice, check_sid, parse_integer, require
from ..state import State
from .messages import MESSAGES, RECEIPT_STATUSES, Message, Receipt, get_message

# Operations (the lock taken)


def receipts(state: State, service_sid: str, conversation: str, message_sid: str) -> list[Receipt]:
    with state.lock:
        return list(get_message(state, service_sid, conversation, message_sid, "MessageSid").receipts)


def receipt(state: State, service_sid: str, conversation: str, message_sid: str, sid: str) -> Receipt:
    with state.lock:
        message = get_message(state, service_sid, conversation, message_sid, "MessageSid")
        check_sid(sid, "DY", "Sid")
        found = next((item for item in message.receipts if item.sid == sid), None)
        if found is None:
            path = f"/v1/Services/{service_sid}/Conversations/{conversation}/Messages/{message_sid}/Receipts/{sid}"
            raise not_found(path)
        return found


def set_receipt_status(state: State, sid: str, status: str, error_code: int = 0) -> Receipt:
    """Move a receipt, wherever it is, to `status` (a delivery to a phone is the test's to decide)."""
    chosen = check_choice(status, "Status", RECEIPT_STATUSES)
    check_sid(sid, "DY", "Sid")
    with state.lock:
        message = _message_of(state, sid)
        current = next(item for item in message.receipts if item.sid == sid)
        moved = replace(current, status=chosen, error_code=error_code, date_updated=state.now())
        state.add(MESSAGES, replace(message, receipts=tuple(moved if r.sid == sid else r for r in message.receipts)))
        state.commit()
        return moved


def _message_of(state: State, receipt_sid: str) -> Message:
    for message in state.every(MESSAGES):
        if any(item.sid == receipt_sid for item in message.receipts):
            return message
    raise not_found(f"/emulator/receipts/{receipt_sid}")


# Routes


def _list(call: Call) -> Response:
    found = receipts(call.state, call.service, call.args["ConversationSid"], call.args["MessageSid"])
    return call.page("delivery_receipts", found)


def _fetch(call: Call) -> Response:
    args = call.args
    return call.record(receipt(call.state, call.service, args["ConversationSid"], args["MessageSid"], args["Sid"]))


def _set_status(call: Call) -> Response:
    error_code = parse_integer(call.form.get("ErrorCode", "0"), "ErrorCode")
    return call.record(set_receipt_status(call.state, call.args["Sid"], require(call.form, "Status"), error_code))


FAMILY = Family(
    "receipts",
    service_routes=(
        Route("/Conversations/<ConversationSid>/Messages/<MessageSid>/Receipts", "GET", _list),
        Route("/Conversations/<ConversationSid>/Messages/<MessageSid>/Receipts/<Sid>", "GET", _fetch),
    ),
    emulator_routes=(Route("/receipts/<Sid>", "POST", _set_status),),
)
