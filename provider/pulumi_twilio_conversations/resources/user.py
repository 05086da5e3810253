"""The User core: `/v1/Services/{ChatServiceSid}/Users`, a service's chat users (US…).

A user's `identity` is unique in its service and cannot change: a change replaces the user (the new
one is made first; its identity differs, so nothing collides). Its `attributes` are JSON, compared as JSON
(`"{}"` when unset, which is what removing them writes). After a create whose answer was lost, the
user is found again by its identity: Twilio fetches a user by SID or identity alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..errors import NotFoundError
from ..ids import parse_scoped_id
from .base import ACCOUNT_FIELD, ADOPT_WORDS, DATE_FIELDS, SID_FIELD, URL_FIELD, Field, ResourceSpec
from .table import ObjectCore, Wire, removal_rules

if TYPE_CHECKING:
    from ..twilio import Json, TwilioClient

ATTRIBUTES_WORDS = (
    'Metadata as JSON text (an object is accepted too), at most 16 KB; compared as JSON ("{}" when unset).'
)
WIRES = (
    Wire("chat_service_sid", None, "string", "The Conversation Service (IS…) of the user.", required=True,
         replaces=True),
    Wire("identity", "Identity", "string", "The identity the user signs in with, unique in the service; a change "
         "replaces the user.", required=True, replaces=True),
    Wire("friendly_name", "FriendlyName", "string", "A name to show."),
    Wire("attributes", "Attributes", "json", ATTRIBUTES_WORDS, default="{}"),
    Wire("role_sid", "RoleSid", "string", "The service-level role (RL…) of the user (a Role's sid)."),
)  # fmt: skip


class UserCore(ObjectCore):
    """Users of a service: created, read, updated, deleted."""

    kind = "User"
    wires = WIRES
    model = "UserInputs"
    rules = removal_rules(WIRES, create_only=frozenset({"adopt"}))

    def collection(self, props: Mapping[str, Any]) -> str:
        return f"/v1/Services/{props['chat_service_sid']}/Users"

    def path(self, props: Mapping[str, Any], id_: str) -> str:
        service, sid = parse_scoped_id(id_, ("IS", "US"), props.get("chat_service_sid"))
        return f"{self.collection({'chat_service_sid': service})}/{sid}"

    def find(self, client: TwilioClient, props: Mapping[str, Any]) -> Json | None:
        try:
            return client.get(f"{self.collection(props)}/{quote(props['identity'], safe='')}")
        except NotFoundError:
            return None


SPEC = ResourceSpec(
    name="User",
    description="A chat user of a Conversation Service (`/v1/Services/{ChatServiceSid}/Users`).",
    core=UserCore(),
    import_id="IS…/US… (the service SID, a slash, the user SID)",
    fields=(
        *(wire.field for wire in WIRES),
        Field("adopt", "string", f"An existing user SID (US…) to {ADOPT_WORDS}."),
        SID_FIELD,
        ACCOUNT_FIELD,
        URL_FIELD,
        Field("is_online", "boolean", "Whether it is connected (with the Reachability Indicator on).", input=False),
        Field("is_notifiable", "boolean", "Whether the user has a push registration.", input=False),
        Field("links", "string-map", "The URL of the user's conversations.", input=False),
        *DATE_FIELDS,
    ),
)
