"""Address configurations: the account's configuration of its addresses (one per type and address), with
what an inbound message to one does when no conversation has it yet (auto-creation, see `inbound`).

Routes: `/v1/Configuration/Addresses` and `…/Addresses/{Sid}` (the account's). An address configuration is
found by SID or by the address itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from werkzeug.wrappers import Response

from .. import errors
from ..errors import ApiError, invalid_parameter, not_found
from ..records import JsonObject, new_sid, when
from ..routing import Call, Family, Route, no_content
from ..rules import (
    WEBHOOK_METHODS,
    Lists,
    check_choice,
    check_friendly_name,
    check_sid,
    check_url,
    cleared,
    either,
    is_sid,
    listed,
    optional,
    parse_boolean,
    parse_integer,
    require,
)
from ..state import Kind, State

ADDRESS_TYPES = ("sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat")
AUTO_CREATION_TYPES = ("webhook", "studio", "default")

# Records


@dataclass(frozen=True)
class AddressConfiguration:
    """An account's configuration of one address (type + address unique), with its auto-creation settings."""

    sid: str
    type: str
    address: str
    date_created: datetime
    date_updated: datetime
    seq: int
    friendly_name: str | None = None
    address_country: str | None = None
    auto_enabled: bool = False
    auto_type: str = "default"
    auto_conversation_service_sid: str | None = None
    auto_webhook_url: str | None = None
    auto_webhook_method: str = "POST"
    auto_webhook_filters: tuple[str, ...] = ()
    auto_studio_flow_sid: str | None = None
    auto_studio_retry_count: int | None = None

    def render(self, account_sid: str, base: str) -> JsonObject:
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "type": self.type,
            "address": self.address,
            "friendly_name": self.friendly_name,
            "auto_creation": self.auto_creation(),
            "date_created": when(self.date_created),
            "date_updated": when(self.date_updated),
            "url": f"{base}/v1/Configuration/Addresses/{self.sid}",
            "address_country": self.address_country,
        }

    def auto_creation(self) -> JsonObject:
        """The settings of its auto-creation type only, as the spec's examples show them."""
        found: JsonObject = {"enabled": self.auto_enabled, "type": self.auto_type}
        if self.auto_type != "default" or self.auto_conversation_service_sid is not None:
            found["conversation_service_sid"] = self.auto_conversation_service_sid
        if self.auto_type == "webhook":
            found.update(
                webhook_url=self.auto_webhook_url,
                webhook_method=self.auto_webhook_method,
                webhook_filters=list(self.auto_webhook_filters),
            )
        elif self.auto_type == "studio":
            found.update(studio_flow_sid=self.auto_studio_flow_sid, studio_retry_count=self.auto_studio_retry_count)
        return found


ADDRESSES: Kind[AddressConfiguration] = Kind("addresses", AddressConfiguration)

# Rules


@dataclass(frozen=True)
class AutoCreationInput:
    """The `AutoCreation.*` fields one request set; None means not given."""

    enabled: bool | None = None
    type: str | None = None
    conversation_service_sid: str | None = None
    webhook_url: str | None = None
    webhook_method: str | None = None
    webhook_filters: tuple[str, ...] | None = None
    studio_flow_sid: str | None = None
    studio_retry_count: int | None = None


@dataclass(frozen=True)
class AddressInput:
    type: str | None = None  # as the client spelled it (Twilio echoes `whAtsAPP`); compared without case
    address: str | None = None
    friendly_name: str | None = None
    address_country: str | None = None
    auto_creation: AutoCreationInput = AutoCreationInput()


def parse_address_form(form: Mapping[str, str], lists: Lists, *, creating: bool) -> AddressInput:
    """An address configuration's create (Type and Address required) or update (neither can change) form."""
    address_type = address = None
    if creating:
        address_type = require(form, "Type")
        check_choice(address_type, "Type", ADDRESS_TYPES)
        address = require(form, "Address")
    auto = AutoCreationInput(
        enabled=optional(form, "AutoCreation.Enabled", lambda text: parse_boolean(text, "AutoCreation.Enabled")),
        type=optional(
            form, "AutoCreation.Type", lambda text: check_choice(text, "AutoCreation.Type", AUTO_CREATION_TYPES)
        ),
        conversation_service_sid=optional(
            form,
            "AutoCreation.ConversationServiceSid",
            lambda text: check_sid(text, "IS", "AutoCreation.ConversationServiceSid"),
        ),
        webhook_url=optional(
            form, "AutoCreation.WebhookUrl", lambda text: text and check_url(text, "AutoCreation.WebhookUrl")
        ),
        webhook_method=optional(
            form,
            "AutoCreation.WebhookMethod",
            lambda text: check_choice(text, "AutoCreation.WebhookMethod", WEBHOOK_METHODS),
        ),
        webhook_filters=listed(lists, "AutoCreation.WebhookFilters"),
        studio_flow_sid=optional(
            form, "AutoCreation.StudioFlowSid", lambda text: check_sid(text, "FW", "AutoCreation.StudioFlowSid")
        ),
        studio_retry_count=optional(
            form, "AutoCreation.StudioRetryCount", lambda text: parse_integer(text, "AutoCreation.StudioRetryCount")
        ),
    )
    return AddressInput(
        type=address_type,
        address=address,
        friendly_name=optional(form, "FriendlyName", check_friendly_name),
        address_country=form.get("AddressCountry") if creating else None,
        auto_creation=auto,
    )


def check_auto_creation(auto_type: str, webhook_url: str | None, studio_flow_sid: str | None) -> None:
    """Auto-creation of type `webhook` needs a WebhookUrl, of type `studio` a StudioFlowSid."""
    if auto_type == "webhook" and not webhook_url:
        raise invalid_parameter("AutoCreation.WebhookUrl", "auto-creation of type webhook needs a webhook URL")
    if auto_type == "studio" and not studio_flow_sid:
        raise invalid_parameter("AutoCreation.StudioFlowSid", "auto-creation of type studio needs a Studio flow SID")


def _with_auto_creation(record: AddressConfiguration, given: AutoCreationInput) -> AddressConfiguration:
    """`record` with the auto-creation fields `given` set; the result must still be complete for its type."""
    updated = replace(
        record,
        auto_enabled=record.auto_enabled if given.enabled is None else given.enabled,
        auto_type=given.type or record.auto_type,
        auto_conversation_service_sid=either(given.conversation_service_sid, record.auto_conversation_service_sid),
        auto_webhook_url=cleared(given.webhook_url, record.auto_webhook_url),
        auto_webhook_method=given.webhook_method or record.auto_webhook_method,
        auto_webhook_filters=record.auto_webhook_filters if given.webhook_filters is None else given.webhook_filters,
        auto_studio_flow_sid=either(given.studio_flow_sid, record.auto_studio_flow_sid),
        auto_studio_retry_count=either(given.studio_retry_count, record.auto_studio_retry_count),
    )
    check_auto_creation(updated.auto_type, updated.auto_webhook_url, updated.auto_studio_flow_sid)
    return updated


# Operations (`get_address`, `find_address` with the lock held; the others take it)


def find_address(state: State, address_type: str, address: str) -> AddressConfiguration | None:
    for item in state.rows(ADDRESSES).values():
        if item.type.lower() == address_type.lower() and item.address == address:
            return item
    return None


def get_address(state: State, key: str) -> AddressConfiguration:
    """By SID, or by the address itself (as Twilio's fetch, update and delete take either)."""
    rows = state.rows(ADDRESSES)
    found = rows.get(key) if is_sid(key, "IG") else None
    if found is None:
        found = next((item for item in rows.values() if item.address == key), None)
    if found is None:
        raise not_found(f"/v1/Configuration/Addresses/{key}")
    return found


def create_address(state: State, form: Mapping[str, str], lists: Lists) -> AddressConfiguration:
    given = parse_address_form(form, lists, creating=True)
    assert given.type is not None and given.address is not None, "required on create"
    with state.lock:
        if find_address(state, given.type, given.address) is not None:
            raise ApiError(
                409,
                errors.ADDRESS_TAKEN,
                f"An address configuration for {given.type.lower()} address {given.address} already exists",
            )
        now = state.now()
        created = _with_auto_creation(
            AddressConfiguration(
                sid=new_sid("IG"),
                type=given.type,
                address=given.address,
                date_created=now,
                date_updated=now,
                seq=state.next_seq(),
                friendly_name=given.friendly_name,
                address_country=given.address_country,
            ),
            given.auto_creation,
        )
        state.add(ADDRESSES, created)
        state.commit()
        return created


def address(state: State, sid_or_address: str) -> AddressConfiguration:
    with state.lock:
        return get_address(state, sid_or_address)


def addresses(state: State, address_type: str | None = None) -> list[AddressConfiguration]:
    """The account's address configurations in creation order, of one type (any case) when given."""
    with state.lock:
        found = list(state.rows(ADDRESSES).values())
    return [item for item in found if address_type is None or item.type.lower() == address_type.lower()]


def update_address(state: State, sid_or_address: str, form: Mapping[str, str], lists: Lists) -> AddressConfiguration:
    given = parse_address_form(form, lists, creating=False)
    with state.lock:
        current = get_address(state, sid_or_address)
        updated = _with_auto_creation(
            replace(
                current, friendly_name=either(given.friendly_name, current.friendly_name), date_updated=state.now()
            ),
            given.auto_creation,
        )
        state.add(ADDRESSES, updated)
        state.commit()
        return updated


def delete_address(state: State, sid_or_address: str) -> None:
    with state.lock:
        state.remove(ADDRESSES, get_address(state, sid_or_address))
        state.commit()


# Routes


def _list(call: Call) -> Response:
    filters = [("Type", call.query["Type"])] if "Type" in call.query else []
    return call.page("address_configurations", addresses(call.state, call.query.get("Type")), filters=filters)


def _create(call: Call) -> Response:
    return call.record(create_address(call.state, call.form, call.lists), 201)


def _fetch(call: Call) -> Response:
    return call.record(address(call.state, call.args["Sid"]))


def _update(call: Call) -> Response:
    return call.record(update_address(call.state, call.args["Sid"], call.form, call.lists))


def _delete(call: Call) -> Response:
    delete_address(call.state, call.args["Sid"])
    return no_content()


FAMILY = Family(
    "addresses",
    kinds=(ADDRESSES,),
    account_routes=(
        Route("/Configuration/Addresses", "GET", _list),
        Route("/Configuration/Addresses", "POST", _create),
        Route("/Configuration/Addresses/<Sid>", "GET", _fetch),
        Route("/Configuration/Addresses/<Sid>", "POST", _update),
        Route("/Configuration/Addresses/<Sid>", "DELETE", _delete),
    ),
)
