"""Media: files uploaded to Twilio's Media Content Service for a service, which a message then names by `MediaSid`.

Twilio takes the upload at another host (`mcs.us1.twilio.com/v1/Services/{ChatServiceSid}/Media`); the
emulator has its own route for a test: `POST /emulator/media` with `ChatServiceSid`, `Filename`,
`ContentType` and `Content` (the bytes, base64), answering `{sid, size, content_type, filename}`, the same as
`Emulator.upload_media`. Only what a message reports of a file is kept (its size, not its bytes).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from werkzeug.wrappers import Response

from ..errors import invalid_parameter
from ..records import JsonObject, new_sid, when
from ..routing import Call, Family, Route
from ..rules import require
from ..state import Kind, State
from .services import SERVICES, get_service

# Records


@dataclass(frozen=True)
class Media:
    sid: str
    chat_service_sid: str
    size: int
    content_type: str
    filename: str
    date_created: datetime
    seq: int

    def render(self, account_sid: str, base: str) -> JsonObject:
        return {**self.item(), "chat_service_sid": self.chat_service_sid, "date_created": when(self.date_created)}

    def item(self) -> JsonObject:
        """The file as a message's `media` lists it (the spec's examples)."""
        return {"sid": self.sid, "size": self.size, "content_type": self.content_type, "filename": self.filename}


MEDIA: Kind[Media] = Kind("media", Media, SERVICES, lambda m: m.chat_service_sid)

# Operations (`find_media` with the lock held; `upload_media` takes it)


def find_media(state: State, service_sid: str, sid: str) -> Media | None:
    return state.rows(MEDIA, service_sid).get(sid)


def upload_media(state: State, service_sid: str, content: bytes, filename: str, content_type: str) -> Media:
    if "/" not in content_type:
        raise invalid_parameter("ContentType", f"{content_type!r} is not a MIME type")
    with state.lock:
        get_service(state, service_sid)
        media = Media(
            sid=new_sid("ME"),
            chat_service_sid=service_sid,
            size=len(content),
            content_type=content_type,
            filename=filename,
            date_created=state.now(),
            seq=state.next_seq(),
        )
        state.add(MEDIA, media)
        state.commit()
        return media


# Routes


def _upload(call: Call) -> Response:
    try:
        content = base64.b64decode(require(call.form, "Content"), validate=True)
    except binascii.Error:
        raise invalid_parameter("Content", "it must be the file's bytes in base64") from None
    form = call.form
    media = upload_media(
        call.state, require(form, "ChatServiceSid"), content, require(form, "Filename"), require(form, "ContentType")
    )
    return call.record(media, 201)


FAMILY = Family("media", kinds=(MEDIA,), emulator_routes=(Route("/media", "POST", _upload),))
