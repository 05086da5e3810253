"""The emulator's state: services, their conversations, roles and settings, the account's address
configurations; thread-safe, optionally kept in a file.

One re-entrant lock guards everything; a write validates (see `rules`), commits, then rewrites the
state file atomically (temp file + `os.replace`) before the lock is released, so what a client was told
is what a restart finds. Records are immutable and handed out as they are.

Twilio runs conversation timers on its side; here they are applied lazily: whenever a conversation is
read, it is first moved to the state its timers say it has reached by now.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from . import errors
from .errors import ApiError, not_found
from .events import Dispatcher, Target
from .resources import (
    DEFAULT_ROLES,
    AddressConfiguration,
    Configuration,
    Conversation,
    ConversationWebhook,
    Message,
    Notifications,
    Participant,
    Role,
    Service,
    ServiceWebhooks,
    new_sid,
    record_from_state,
    record_to_state,
    timer_moment,
)
from .rules import (
    AutoCreationInput,
    Lists,
    ParticipantInput,
    binding_type,
    check_auto_creation,
    check_sid,
    check_webhook_target,
    format_timestamp,
    is_sid,
    parse_address_form,
    parse_configuration_form,
    parse_conversation_form,
    parse_date_bound,
    parse_message_form,
    parse_notifications_form,
    parse_participant_form,
    parse_role_form,
    parse_role_update_form,
    parse_service_form,
    parse_service_webhooks_form,
    parse_webhook_form,
)

_V = TypeVar("_V")
Params = Mapping[str, str | None]  # an event's form parameters; None leaves one out

STATE_FILE_VERSION = 1
_CONTENTS = ("webhooks", "participants", "messages", "next_message_index")  # what a conversation's entry holds
LISTABLE_STATES = ("inactive", "active", "closed", "initializing")
MAX_CONVERSATION_WEBHOOKS = 5  # "Each individual Conversation can have as many as five such webhooks" (Twilio's docs)


def utc_now() -> datetime:
    """Now, to the second: Twilio's timestamps have no fraction."""
    return datetime.now(timezone.utc).replace(microsecond=0)


class Store:
    """Every service and conversation of the one emulated account."""

    def __init__(
        self,
        state_file: str | os.PathLike[str] | None = None,
        clock: Callable[[], datetime] = utc_now,
        dispatcher: Dispatcher | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._path = Path(state_file) if state_file is not None else None
        self._clock = clock
        self._dispatcher = dispatcher
        self._services: dict[str, Service] = {}
        # service SID -> conversation SID -> record, in creation order (dicts keep insertion order)
        self._conversations: dict[str, dict[str, Conversation]] = {}
        # service SID -> unique name -> conversation SID
        self._unique_names: dict[str, dict[str, str]] = {}
        # service SID -> role SID -> record, in creation order
        self._roles: dict[str, dict[str, Role]] = {}
        # conversation SID -> webhook SID -> record, in creation order
        self._webhooks: dict[str, dict[str, ConversationWebhook]] = {}
        # address configuration SID -> record, account-wide
        self._addresses: dict[str, AddressConfiguration] = {}
        # conversation SID -> participant / message SID -> record, in creation order
        self._participants: dict[str, dict[str, Participant]] = {}
        self._messages: dict[str, dict[str, Message]] = {}
        self._next_index: dict[str, int] = {}  # conversation SID -> index of its next message
        self._seq = 0
        if self._path is not None and self._path.exists():
            self._load(self._path)

    def reset(self) -> None:
        """Forget everything (and say so in the state file)."""
        with self._lock:
            self._services.clear()
            self._conversations.clear()
            self._unique_names.clear()
            self._roles.clear()
            self._webhooks.clear()
            self._addresses.clear()
            self._participants.clear()
            self._messages.clear()
            self._next_index.clear()
            self._seq = 0
            self._commit()

    # Services

    def create_service(self, form: Mapping[str, str]) -> Service:
        friendly_name = parse_service_form(form)
        with self._lock:
            now = self._clock()
            service = Service(new_sid("IS"), friendly_name, now, now, Configuration.with_new_roles(), self._next_seq())
            self._services[service.sid] = service
            self._conversations[service.sid] = {}
            self._unique_names[service.sid] = {}
            self._roles[service.sid] = {}
            self._add_default_roles(service, now)
            self._commit()
            return service

    def service(self, sid: str) -> Service:
        with self._lock:
            return self._service(sid)

    def services(self) -> list[Service]:
        with self._lock:
            return list(self._services.values())

    def delete_service(self, sid: str) -> None:
        """Delete a service and, as Twilio does, everything in it."""
        with self._lock:
            self._service(sid)
            for conversation_sid in self._conversations[sid]:
                self._forget_contents(conversation_sid)
            del self._services[sid], self._conversations[sid], self._unique_names[sid], self._roles[sid]
            self._commit()

    def configuration(self, service_sid: str) -> Configuration:
        return self.service(service_sid).configuration

    def update_configuration(self, service_sid: str, form: Mapping[str, str]) -> Configuration:
        changes = parse_configuration_form(form)
        with self._lock:
            service = self._service(service_sid, "Configuration")
            given = {key: value for key, value in vars(changes).items() if value is not None}
            configuration = replace(service.configuration, **given)
            self._services[service_sid] = replace(service, configuration=configuration)
            self._commit()
            return configuration

    # Conversations

    def create_conversation(
        self, service_sid: str, form: Mapping[str, str], source: str | None = None, context: Params | None = None
    ) -> Conversation:
        """Create a conversation; `source` (`API`, `SMS`, …) fires its webhooks, None keeps them quiet.

        `context` adds to the events' parameters (an auto-created conversation names the message that made it).
        """
        parse_conversation_form(form, creating=True)
        with self._lock:
            self._service(service_sid, "Conversations")
        asked = {"ChatServiceSid": service_sid, **_conversation_form_params(form), **(context or {})}
        form = {**form, **self._ask(source, service_sid, "onConversationAdd", asked)}
        given = parse_conversation_form(form, creating=True)
        with self._lock:
            self._service(service_sid, "Conversations")
            if given.unique_name is not None:
                self._claim(service_sid, given.unique_name, None)
            now = self._clock()
            created = given.date_created or now
            conversation = Conversation(
                sid=new_sid("CH"),
                chat_service_sid=service_sid,
                date_created=created,
                date_updated=given.date_updated or created,
                seq=self._next_seq(),
                friendly_name=given.friendly_name,
                unique_name=given.unique_name,
                attributes=given.attributes or "{}",
                messaging_service_sid=given.messaging_service_sid,
                state=given.state or "active",
                date_inactive=timer_moment(now, given.timer_inactive, None),
                date_closed=timer_moment(now, given.timer_closed, None),
                email_address=given.email_address,
                email_name=given.email_name,
            )
            self._put(conversation, None)
            self._commit()
            self._emit(
                source, conversation, "onConversationAdded", {**_conversation_params(conversation), **(context or {})}
            )
            return conversation

    def conversation(self, service_sid: str, sid_or_unique_name: str) -> Conversation:
        with self._lock:
            return self._conversation(service_sid, sid_or_unique_name)

    def update_conversation(
        self, service_sid: str, sid_or_unique_name: str, form: Mapping[str, str], source: str | None = None
    ) -> Conversation:
        parse_conversation_form(form, creating=False)
        with self._lock:
            current = self._conversation(service_sid, sid_or_unique_name)
        asked = {**_conversation_params(current), **_conversation_form_params(form)}
        form = {**form, **self._ask(source, service_sid, "onConversationUpdate", asked)}
        with self._lock:
            current = self._conversation(service_sid, current.sid)
            if current.state == "closed":
                raise ApiError(400, errors.CLOSED_IS_FINAL, "Can't update conversation as it's in final closed state")
            given = parse_conversation_form(form, creating=False)
            unique_name = None if given.clears_unique_name else given.unique_name or current.unique_name
            if unique_name is not None and unique_name != current.unique_name:
                self._claim(service_sid, unique_name, current.sid)
            now = self._clock()
            state = given.state or current.state
            closing = state == "closed"
            updated = replace(
                current,
                date_created=given.date_created or current.date_created,
                date_updated=given.date_updated or now,
                friendly_name=_either(given.friendly_name, current.friendly_name),
                unique_name=unique_name,
                attributes=given.attributes or current.attributes,
                messaging_service_sid=given.messaging_service_sid or current.messaging_service_sid,
                state=state,
                date_inactive=None if closing else timer_moment(now, given.timer_inactive, current.date_inactive),
                date_closed=None if closing else timer_moment(now, given.timer_closed, current.date_closed),
                email_address=_either(given.email_address, current.email_address),
                email_name=_either(given.email_name, current.email_name),
            )
            self._put(updated, current)
            self._commit()
            self._emit(source, updated, "onConversationUpdated", _conversation_params(updated))
            if updated.state != current.state:
                moved = {"StateFrom": current.state, "StateTo": updated.state, "Reason": "API"}
                self._emit(source, updated, "onConversationStateUpdated", {**_conversation_params(updated), **moved})
            return updated

    def delete_conversation(self, service_sid: str, sid_or_unique_name: str, source: str | None = None) -> None:
        with self._lock:
            current = self._conversation(service_sid, sid_or_unique_name)
        self._ask(source, service_sid, "onConversationRemove", _conversation_params(current))
        with self._lock:
            current = self._conversation(service_sid, current.sid)
            self._emit(source, current, "onConversationRemoved", _conversation_params(current))
            del self._conversations[service_sid][current.sid]
            self._forget_contents(current.sid)
            if current.unique_name is not None:
                del self._unique_names[service_sid][current.unique_name]
            self._commit()

    def conversations(
        self, service_sid: str, *, state: str | None = None, start: str | None = None, end: str | None = None
    ) -> list[Conversation]:
        """A service's conversations in creation order; with a date filter, newest first (as Twilio lists them)."""
        if state is not None and state not in LISTABLE_STATES:
            raise ApiError(400, errors.INVALID_STATE, f"State {state!r} is invalid")
        after = parse_date_bound(start, "StartDate") if start is not None else None
        before = parse_date_bound(end, "EndDate") if end is not None else None
        with self._lock:
            self._service(service_sid, "Conversations")
            found = [
                conversation
                for conversation in self._advance_all(service_sid)
                if (state is None or conversation.state == state)
                and (after is None or conversation.date_created >= after)
                and (before is None or conversation.date_created <= before)
            ]
        if after is not None or before is not None:
            found.sort(key=lambda conversation: (conversation.date_created, conversation.seq), reverse=True)
        return found

    # Service settings: webhooks and push notifications (one of each per service, Twilio's defaults until set)

    def service_webhooks(self, service_sid: str) -> ServiceWebhooks:
        with self._lock:
            return self._service(service_sid, "Configuration/Webhooks").webhooks

    def update_service_webhooks(self, service_sid: str, form: Mapping[str, str], lists: Lists) -> ServiceWebhooks:
        given = parse_service_webhooks_form(form, lists)
        with self._lock:
            service = self._service(service_sid, "Configuration/Webhooks")
            current = service.webhooks
            webhooks = ServiceWebhooks(
                pre_webhook_url=_cleared(given.pre_webhook_url, current.pre_webhook_url),
                post_webhook_url=_cleared(given.post_webhook_url, current.post_webhook_url),
                # sent empty, the filters are gone: back to Twilio's answer for a service never configured
                filters=current.filters if given.filters is None else given.filters or None,
                method=given.method or current.method,
            )
            self._services[service_sid] = replace(service, webhooks=webhooks)
            self._commit()
            return webhooks

    def notifications(self, service_sid: str) -> Notifications:
        with self._lock:
            return self._service(service_sid, "Configuration/Notifications").notifications

    def update_notifications(self, service_sid: str, form: Mapping[str, str]) -> Notifications:
        changes = parse_notifications_form(form)
        with self._lock:
            service = self._service(service_sid, "Configuration/Notifications")
            notifications = service.notifications.updated(changes)
            self._services[service_sid] = replace(service, notifications=notifications)
            self._commit()
            return notifications

    # Roles

    def create_role(self, service_sid: str, form: Mapping[str, str], lists: Lists) -> Role:
        given = parse_role_form(form, lists)
        with self._lock:
            self._service(service_sid, "Roles")
            now = self._clock()
            role = Role(
                new_sid("RL"),
                service_sid,
                given.friendly_name,
                given.type,
                given.permissions,
                now,
                now,
                self._next_seq(),
            )
            self._roles[service_sid][role.sid] = role
            self._commit()
            return role

    def role(self, service_sid: str, sid: str) -> Role:
        with self._lock:
            return self._role(service_sid, sid)

    def roles(self, service_sid: str) -> list[Role]:
        with self._lock:
            self._service(service_sid, "Roles")
            return list(self._roles[service_sid].values())

    def update_role(self, service_sid: str, sid: str, lists: Lists) -> Role:
        """A role's permissions are replaced by those given; its name and type stay."""
        permissions = parse_role_update_form(lists)
        with self._lock:
            updated = replace(self._role(service_sid, sid), permissions=permissions, date_updated=self._clock())
            self._roles[service_sid][sid] = updated
            self._commit()
            return updated

    def delete_role(self, service_sid: str, sid: str) -> None:
        with self._lock:
            self._role(service_sid, sid)
            del self._roles[service_sid][sid]
            self._commit()

    # Address configurations (account-wide; one per type and address)

    def create_address(self, form: Mapping[str, str], lists: Lists) -> AddressConfiguration:
        given = parse_address_form(form, lists, creating=True)
        assert given.type is not None and given.address is not None, "required on create"
        with self._lock:
            if self._find_address(given.type, given.address) is not None:
                raise ApiError(
                    409,
                    errors.ADDRESS_TAKEN,
                    f"An address configuration for {given.type.lower()} address {given.address} already exists",
                )
            now = self._clock()
            created = self._with_auto_creation(
                AddressConfiguration(
                    sid=new_sid("IG"),
                    type=given.type,
                    address=given.address,
                    date_created=now,
                    date_updated=now,
                    seq=self._next_seq(),
                    friendly_name=given.friendly_name,
                    address_country=given.address_country,
                ),
                given.auto_creation,
            )
            self._addresses[created.sid] = created
            self._commit()
            return created

    def address(self, sid_or_address: str) -> AddressConfiguration:
        with self._lock:
            return self._address(sid_or_address)

    def addresses(self, address_type: str | None = None) -> list[AddressConfiguration]:
        """The account's address configurations in creation order, of one type (any case) when given."""
        with self._lock:
            found = list(self._addresses.values())
        return [item for item in found if address_type is None or item.type.lower() == address_type.lower()]

    def update_address(self, sid_or_address: str, form: Mapping[str, str], lists: Lists) -> AddressConfiguration:
        given = parse_address_form(form, lists, creating=False)
        with self._lock:
            current = self._address(sid_or_address)
            updated = self._with_auto_creation(
                replace(
                    current,
                    friendly_name=_either(given.friendly_name, current.friendly_name),
                    date_updated=self._clock(),
                ),
                given.auto_creation,
            )
            self._addresses[current.sid] = updated
            self._commit()
            return updated

    def delete_address(self, sid_or_address: str) -> None:
        with self._lock:
            del self._addresses[self._address(sid_or_address).sid]
            self._commit()

    # Conversation-scoped webhooks

    def create_webhook(
        self, service_sid: str, conversation: str, form: Mapping[str, str], lists: Lists
    ) -> ConversationWebhook:
        given = parse_webhook_form(form, lists, creating=True)
        assert given.target is not None, "required on create"
        check_webhook_target(given.target, given.url, given.triggers or (), given.flow_sid)
        with self._lock:
            found = self._conversation(service_sid, conversation)
            webhooks = self._webhooks.setdefault(found.sid, {})
            if len(webhooks) >= MAX_CONVERSATION_WEBHOOKS:
                raise ApiError(
                    400,
                    errors.TOO_MANY_WEBHOOKS,
                    f"A conversation can have at most {MAX_CONVERSATION_WEBHOOKS} webhooks",
                )
            now = self._clock()
            created = ConversationWebhook(
                sid=new_sid("WH"),
                chat_service_sid=service_sid,
                conversation_sid=found.sid,
                target=given.target,
                date_created=now,
                date_updated=now,
                seq=self._next_seq(),
                url=given.url,
                method=given.method or "POST",
                filters=given.filters or (),
                triggers=given.triggers or (),
                flow_sid=given.flow_sid,
                replay_after=given.replay_after,
            )
            webhooks[created.sid] = created
            self._commit()
            return created

    def webhook(self, service_sid: str, conversation: str, sid: str) -> ConversationWebhook:
        with self._lock:
            return self._webhook(service_sid, conversation, sid)

    def webhooks(self, service_sid: str, conversation: str) -> list[ConversationWebhook]:
        with self._lock:
            found = self._conversation(service_sid, conversation)
            return list(self._webhooks.get(found.sid, {}).values())

    def update_webhook(
        self, service_sid: str, conversation: str, sid: str, form: Mapping[str, str], lists: Lists
    ) -> ConversationWebhook:
        """The configuration fields given replace the webhook's; its target stays and must still be served."""
        given = parse_webhook_form(form, lists, creating=False)
        with self._lock:
            current = self._webhook(service_sid, conversation, sid)
            updated = replace(
                current,
                url=_either(given.url, current.url),
                method=given.method or current.method,
                filters=_either(given.filters, current.filters) or (),
                triggers=_either(given.triggers, current.triggers) or (),
                flow_sid=_either(given.flow_sid, current.flow_sid),
                date_updated=self._clock(),
            )
            check_webhook_target(updated.target, updated.url, updated.triggers, updated.flow_sid)
            self._webhooks[current.conversation_sid][sid] = updated
            self._commit()
            return updated

    def delete_webhook(self, service_sid: str, conversation: str, sid: str) -> None:
        with self._lock:
            current = self._webhook(service_sid, conversation, sid)
            del self._webhooks[current.conversation_sid][sid]
            self._commit()

    # Participants

    def create_participant(
        self, service_sid: str, conversation: str, form: Mapping[str, str], source: str | None = None
    ) -> Participant:
        given = parse_participant_form(form, creating=True)
        with self._lock:
            found = self._conversation(service_sid, conversation)
        asked = {**_conversation_params(found), **_participant_form_params(given)}
        self._ask(source, service_sid, "onParticipantAdd", asked)
        with self._lock:
            found = self._conversation(service_sid, found.sid)
            members = self._participants.setdefault(found.sid, {})
            if given.identity is not None and any(p.identity == given.identity for p in members.values()):
                raise ApiError(
                    409, errors.IDENTITY_TAKEN, f"Participant {given.identity!r} is already in the conversation"
                )
            if given.address is not None and given.proxy_address is not None:
                bound = self._bound_conversation(given.address, given.proxy_address)
                if bound is not None:
                    raise ApiError(
                        409,
                        errors.BINDING_TAKEN,
                        f"A binding for this participant and proxy address already exists in Conversation {bound}",
                    )
            if given.role_sid is not None:
                self._role(service_sid, given.role_sid)
            now = self._clock()
            created = given.date_created or now
            binding = given.address or given.projected_address
            participant = Participant(
                sid=new_sid("MB"),
                chat_service_sid=service_sid,
                conversation_sid=found.sid,
                date_created=created,
                date_updated=given.date_updated or created,
                seq=self._next_seq(),
                identity=given.identity,
                attributes=given.attributes or "{}",
                role_sid=given.role_sid or self._services[service_sid].configuration.default_conversation_role_sid,
                binding_type=None if binding is None else binding_type(binding),
                binding_address=given.address,
                binding_proxy_address=given.proxy_address or None,
                binding_projected_address=given.projected_address or None,
            )
            members[participant.sid] = participant
            self._commit()
            self._emit(source, found, "onParticipantAdded", _participant_params(participant))
            return participant

    def participant(self, service_sid: str, conversation: str, sid: str) -> Participant:
        with self._lock:
            return self._participant(service_sid, conversation, sid)

    def participants(self, service_sid: str, conversation: str) -> list[Participant]:
        with self._lock:
            found = self._conversation(service_sid, conversation)
            return list(self._participants.get(found.sid, {}).values())

    def update_participant(
        self, service_sid: str, conversation: str, sid: str, form: Mapping[str, str], source: str | None = None
    ) -> Participant:
        given = parse_participant_form(form, creating=False)
        with self._lock:
            current = self._participant(service_sid, conversation, sid)
        asked = {**_participant_params(current), **_participant_form_params(given)}
        self._ask(source, service_sid, "onParticipantUpdate", asked)
        with self._lock:
            current = self._participant(service_sid, conversation, sid)
            if given.role_sid is not None:
                self._role(service_sid, given.role_sid)
            updated = replace(
                current,
                identity=_either(given.identity, current.identity),
                attributes=given.attributes or current.attributes,
                role_sid=given.role_sid or current.role_sid,
                binding_proxy_address=_cleared(given.proxy_address, current.binding_proxy_address),
                binding_projected_address=_cleared(given.projected_address, current.binding_projected_address),
                date_created=given.date_created or current.date_created,
                date_updated=given.date_updated or self._clock(),
                last_read_message_index=_either(given.last_read_message_index, current.last_read_message_index),
                last_read_timestamp=_either(given.last_read_timestamp, current.last_read_timestamp),
            )
            self._participants[current.conversation_sid][current.sid] = updated
            self._commit()
            found = self._conversation(service_sid, current.conversation_sid)
            self._emit(source, found, "onParticipantUpdated", _participant_params(updated))
            return updated

    def delete_participant(self, service_sid: str, conversation: str, sid: str, source: str | None = None) -> None:
        with self._lock:
            current = self._participant(service_sid, conversation, sid)
        self._ask(source, service_sid, "onParticipantRemove", _participant_params(current))
        with self._lock:
            current = self._participant(service_sid, conversation, sid)
            del self._participants[current.conversation_sid][current.sid]
            self._commit()
            found = self._conversation(service_sid, current.conversation_sid)
            self._emit(source, found, "onParticipantRemoved", _participant_params(current))

    # Messages

    def create_message(
        self, service_sid: str, conversation: str, form: Mapping[str, str], source: str | None = None
    ) -> Message:
        """Add a message; a pre-action webhook may block it, or change its body, author and attributes."""
        parse_message_form(form, creating=True)
        with self._lock:
            found = self._conversation(service_sid, conversation)
        # a new message's author is `system` unless given, as Twilio defaults it
        asked = {**_conversation_params(found), "Author": "system", **_message_form_params(form)}
        form = {**form, **self._ask(source, service_sid, "onMessageAdd", asked)}
        given = parse_message_form(form, creating=True)
        with self._lock:
            found = self._conversation(service_sid, found.sid)
            now = self._clock()
            created = given.date_created or now
            index = self._next_index.get(found.sid, 0)
            self._next_index[found.sid] = index + 1
            author = given.author or "system"
            message = Message(
                sid=new_sid("IM"),
                chat_service_sid=service_sid,
                conversation_sid=found.sid,
                index=index,
                date_created=created,
                date_updated=given.date_updated or created,
                seq=self._next_seq(),
                author=author,
                body=given.body,
                attributes=given.attributes or "{}",
                participant_sid=self._author_sid(found.sid, author),
                subject=given.subject,
                media_sid=given.media_sid,
                content_sid=given.content_sid,
            )
            self._messages.setdefault(found.sid, {})[message.sid] = message
            self._commit()
            self._emit(source, found, "onMessageAdded", _message_params(message), message)
            return message

    def message(self, service_sid: str, conversation: str, sid: str) -> Message:
        with self._lock:
            return self._message(service_sid, conversation, sid)

    def messages(self, service_sid: str, conversation: str) -> list[Message]:
        """A conversation's messages, oldest first."""
        with self._lock:
            found = self._conversation(service_sid, conversation)
            return list(self._messages.get(found.sid, {}).values())

    def update_message(
        self, service_sid: str, conversation: str, sid: str, form: Mapping[str, str], source: str | None = None
    ) -> Message:
        parse_message_form(form, creating=False)
        with self._lock:
            current = self._message(service_sid, conversation, sid)
        asked = {**_message_params(current), **_message_form_params(form)}
        form = {**form, **self._ask(source, service_sid, "onMessageUpdate", asked)}
        given = parse_message_form(form, creating=False)
        with self._lock:
            current = self._message(service_sid, conversation, sid)
            author = given.author or current.author
            updated = replace(
                current,
                author=author,
                participant_sid=self._author_sid(current.conversation_sid, author),
                body=_either(given.body, current.body),
                attributes=given.attributes or current.attributes,
                subject=_either(given.subject, current.subject),
                date_created=given.date_created or current.date_created,
                date_updated=given.date_updated or self._clock(),
            )
            self._messages[current.conversation_sid][sid] = updated
            self._commit()
            found = self._conversation(service_sid, current.conversation_sid)
            self._emit(source, found, "onMessageUpdated", _message_params(updated), updated)
            return updated

    def delete_message(self, service_sid: str, conversation: str, sid: str, source: str | None = None) -> None:
        with self._lock:
            current = self._message(service_sid, conversation, sid)
        self._ask(source, service_sid, "onMessageRemove", _message_params(current))
        with self._lock:
            current = self._message(service_sid, conversation, sid)
            del self._messages[current.conversation_sid][sid]
            self._commit()
            found = self._conversation(service_sid, current.conversation_sid)
            self._emit(source, found, "onMessageRemoved", _message_params(current), current)

    # Inbound messages (what a phone sends to a Twilio address), routed as Twilio routes them

    def inbound(self, channel: str, sender: str, to: str, body: str) -> Conversation:
        """Deliver a message from `sender` to the address `to`; the conversation it landed in.

        Twilio's routing: the (sender, Twilio address) pair belongs to at most one conversation that is
        not closed, and a message from the pair goes there. Otherwise the address's configuration, when
        its auto-creation is enabled, makes a new conversation in its service: the sender joins with a
        messaging binding (address = sender, proxy address = `to`), the configured webhook (type
        `webhook`) or Studio flow (type `studio`) is attached to it, the service's webhooks apply, and
        the message is added. An address nothing routes is refused.
        """
        source = channel.upper()
        with self._lock:
            bound = self._bound_conversation(sender, to)
            config = None if bound is not None else self._inbound_address(channel, to)
        target = bound if bound is not None else self._auto_create(channel, sender, to, body, config, source)
        self.create_message(target.chat_service_sid, target.sid, {"Author": sender, "Body": body}, source)
        return target

    def _auto_create(
        self,
        channel: str,
        sender: str,
        to: str,
        body: str,
        config: AddressConfiguration | None,
        source: str,
    ) -> Conversation:
        if config is None or not config.auto_enabled:
            why = "has no address configuration" if config is None else "has auto-creation disabled"
            raise ApiError(
                404,
                errors.NO_ROUTE,
                f"The {channel} address {to} {why}, and no open conversation binds {sender} to it: "
                "the message reaches no conversation",
            )
        service_sid = config.auto_conversation_service_sid
        if service_sid is None:
            raise ApiError(
                400,
                errors.INVALID_PARAMETER,
                f"The address configuration {config.sid} names no AutoCreation.ConversationServiceSid, and the "
                "emulator has no default Conversation Service to create the conversation in",
            )
        binding = {"MessagingBinding.Address": sender, "MessagingBinding.ProxyAddress": to}
        conversation = self.create_conversation(service_sid, {}, source, {**binding, "MessageBody": body})
        with self._lock:
            self._attach_auto_creation_webhook(config, conversation)
            self._commit()
        self.create_participant(service_sid, conversation.sid, binding, source)
        return conversation

    def _attach_auto_creation_webhook(self, config: AddressConfiguration, conversation: Conversation) -> None:
        """The conversation-scoped webhook an auto-creation of type webhook or studio gives a new conversation."""
        if config.auto_type not in ("webhook", "studio"):
            return
        now = self._clock()
        hook = ConversationWebhook(
            sid=new_sid("WH"),
            chat_service_sid=conversation.chat_service_sid,
            conversation_sid=conversation.sid,
            target=config.auto_type,
            date_created=now,
            date_updated=now,
            seq=self._next_seq(),
            url=config.auto_webhook_url if config.auto_type == "webhook" else None,
            method=config.auto_webhook_method,
            filters=config.auto_webhook_filters if config.auto_type == "webhook" else (),
            flow_sid=config.auto_studio_flow_sid if config.auto_type == "studio" else None,
        )
        self._webhooks.setdefault(conversation.sid, {})[hook.sid] = hook

    # Events (see `events`)

    def _ask(self, source: str | None, service_sid: str, event: str, params: Params) -> dict[str, str]:
        """Call the service's pre-action webhook for `event` (call without the lock): the changes it answered."""
        if source is None or self._dispatcher is None:
            return {}
        with self._lock:
            hooks = self._service(service_sid).webhooks
        if not hooks.pre_webhook_url or event not in (hooks.filters or ()):
            return {}
        target = Target(hooks.pre_webhook_url, hooks.method)
        return self._dispatcher.pre(event, {**params, "Source": source}, target)

    def _emit(
        self, source: str | None, conversation: Conversation, event: str, params: Params, message: Message | None = None
    ) -> None:
        """Queue a post-action event for the service's webhook and the conversation's (lock held; returns at once)."""
        if source is None or self._dispatcher is None:
            return
        hooks = self._services[conversation.chat_service_sid].webhooks
        targets = []
        if hooks.post_webhook_url and event in (hooks.filters or ()):
            targets.append(Target(hooks.post_webhook_url, hooks.method))
        for hook in self._webhooks.get(conversation.sid, {}).values():
            target = _scoped_target(hook, event, message, self._dispatcher.account_sid)
            if target is not None:
                targets.append(target)
        self._dispatcher.post(event, {**params, "Source": source}, targets)

    # Internals (call with the lock held)

    def _forget_contents(self, conversation_sid: str) -> None:
        for contents in (self._webhooks, self._participants, self._messages, self._next_index):
            contents.pop(conversation_sid, None)

    def _participant(self, service_sid: str, conversation: str, key: str) -> Participant:
        """By SID, or by identity ("Alternatively, you can pass a Participant's `identity`": the spec)."""
        found = self._conversation(service_sid, conversation)
        members = self._participants.get(found.sid, {})
        participant = members.get(key) or next((p for p in members.values() if p.identity == key), None)
        if participant is None:
            raise not_found(f"/v1/Services/{service_sid}/Conversations/{conversation}/Participants/{key}")
        return participant

    def _message(self, service_sid: str, conversation: str, sid: str) -> Message:
        found = self._conversation(service_sid, conversation)
        check_sid(sid, "IM", "Sid")
        message = self._messages.get(found.sid, {}).get(sid)
        if message is None:
            raise not_found(f"/v1/Services/{service_sid}/Conversations/{conversation}/Messages/{sid}")
        return message

    def _author_sid(self, conversation_sid: str, author: str) -> str | None:
        """The participant a message's author names (by identity or messaging address); None for `system`."""
        for participant in self._participants.get(conversation_sid, {}).values():
            if author in (participant.identity, participant.binding_address):
                return participant.sid
        return None

    def _bound_conversation(self, address: str, proxy_address: str) -> Conversation | None:
        """The conversation, not closed, in which `address` talks through `proxy_address` (at most one)."""
        for conversations in self._conversations.values():
            for sid, stored in conversations.items():
                members = self._participants.get(sid, {}).values()
                if any((p.binding_address, p.binding_proxy_address) == (address, proxy_address) for p in members):
                    current = stored.advanced_to(self._clock())
                    if current.state != "closed":
                        return current
        return None

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _service(self, sid: str, below: str = "") -> Service:
        check_sid(sid, "IS", "ChatServiceSid" if below else "Sid")
        service = self._services.get(sid)
        if service is None:
            raise not_found(f"/v1/Services/{sid}" + (f"/{below}" if below else ""))
        return service

    def _conversation(self, service_sid: str, key: str) -> Conversation:
        self._service(service_sid, "Conversations")
        conversations = self._conversations[service_sid]
        sid = key if is_sid(key, "CH") else self._unique_names[service_sid].get(key, "")
        stored = conversations.get(sid)
        if stored is None:
            raise not_found(f"/v1/Services/{service_sid}/Conversations/{key}")
        current = stored.advanced_to(self._clock())
        conversations[sid] = current
        return current

    def _advance_all(self, service_sid: str) -> list[Conversation]:
        now = self._clock()
        conversations = self._conversations[service_sid]
        for sid, stored in conversations.items():
            conversations[sid] = stored.advanced_to(now)
        return list(conversations.values())

    def _add_default_roles(self, service: Service, now: datetime) -> None:
        """The roles its configuration names, with Twilio's default permissions, unless the service has them."""
        roles = self._roles[service.sid]
        for field_name, (friendly_name, role_type, permissions) in DEFAULT_ROLES.items():
            sid = getattr(service.configuration, field_name)
            if sid not in roles:
                roles[sid] = Role(sid, service.sid, friendly_name, role_type, permissions, now, now, self._next_seq())

    def _role(self, service_sid: str, sid: str) -> Role:
        self._service(service_sid, "Roles")
        check_sid(sid, "RL", "Sid")
        role = self._roles[service_sid].get(sid)
        if role is None:
            raise not_found(f"/v1/Services/{service_sid}/Roles/{sid}")
        return role

    def _find_address(self, address_type: str, address: str) -> AddressConfiguration | None:
        for item in self._addresses.values():
            if item.type.lower() == address_type.lower() and item.address == address:
                return item
        return None

    def _inbound_address(self, channel: str, to: str) -> AddressConfiguration | None:
        """The configuration of the address a message was sent to, with or without its channel prefix (`whatsapp:`)."""
        bare = to.partition(":")[2] if to.lower().startswith(f"{channel.lower()}:") else to
        for candidate in (to, bare, f"{channel}:{bare}"):
            found = self._find_address(channel, candidate)
            if found is not None:
                return found
        return None

    def _address(self, key: str) -> AddressConfiguration:
        """By SID, or by the address itself (as Twilio's fetch, update and delete take either)."""
        found = self._addresses.get(key) if is_sid(key, "IG") else None
        if found is None:
            found = next((item for item in self._addresses.values() if item.address == key), None)
        if found is None:
            raise not_found(f"/v1/Configuration/Addresses/{key}")
        return found

    @staticmethod
    def _with_auto_creation(record: AddressConfiguration, given: AutoCreationInput) -> AddressConfiguration:
        """`record` with the auto-creation fields `given` set; the result must still be complete for its type."""
        updated = replace(
            record,
            auto_enabled=record.auto_enabled if given.enabled is None else given.enabled,
            auto_type=given.type or record.auto_type,
            auto_conversation_service_sid=_either(given.conversation_service_sid, record.auto_conversation_service_sid),
            auto_webhook_url=_cleared(given.webhook_url, record.auto_webhook_url),
            auto_webhook_method=given.webhook_method or record.auto_webhook_method,
            auto_webhook_filters=record.auto_webhook_filters
            if given.webhook_filters is None
            else given.webhook_filters,
            auto_studio_flow_sid=_either(given.studio_flow_sid, record.auto_studio_flow_sid),
            auto_studio_retry_count=_either(given.studio_retry_count, record.auto_studio_retry_count),
        )
        check_auto_creation(updated.auto_type, updated.auto_webhook_url, updated.auto_studio_flow_sid)
        return updated

    def _webhook(self, service_sid: str, conversation: str, sid: str) -> ConversationWebhook:
        found = self._conversation(service_sid, conversation)
        check_sid(sid, "WH", "Sid")
        webhook = self._webhooks.get(found.sid, {}).get(sid)
        if webhook is None:
            raise not_found(f"/v1/Services/{service_sid}/Conversations/{conversation}/Webhooks/{sid}")
        return webhook

    def _claim(self, service_sid: str, unique_name: str, owner: str | None) -> None:
        holder = self._unique_names[service_sid].get(unique_name)
        if holder is not None and holder != owner:
            raise ApiError(409, errors.UNIQUE_NAME_TAKEN, "Conversation with provided unique name already exists")

    def _put(self, conversation: Conversation, previous: Conversation | None) -> None:
        names = self._unique_names[conversation.chat_service_sid]
        if previous is not None and previous.unique_name is not None:
            del names[previous.unique_name]
        if conversation.unique_name is not None:
            names[conversation.unique_name] = conversation.sid
        self._conversations[conversation.chat_service_sid][conversation.sid] = conversation

    def _commit(self) -> None:
        if self._path is not None:
            _write_atomically(self._path, json.dumps(self._to_state(), indent=1))

    def _to_state(self) -> dict[str, Any]:
        return {
            "version": STATE_FILE_VERSION,
            "seq": self._seq,
            "services": [
                {
                    **service.to_state(),
                    "roles": [record_to_state(role) for role in self._roles[service.sid].values()],
                    "conversations": [
                        {
                            **conversation.to_state(),
                            "webhooks": [record_to_state(hook) for hook in self._webhooks.get(sid, {}).values()],
                            "participants": [record_to_state(p) for p in self._participants.get(sid, {}).values()],
                            "messages": [record_to_state(m) for m in self._messages.get(sid, {}).values()],
                            "next_message_index": self._next_index.get(sid, 0),
                        }
                        for sid, conversation in self._conversations[service.sid].items()
                    ],
                }
                for service in self._services.values()
            ],
            "addresses": [record_to_state(address) for address in self._addresses.values()],
        }

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != STATE_FILE_VERSION:
                raise ValueError(f"version {data.get('version')!r}, expected {STATE_FILE_VERSION}")
            self._seq = int(data["seq"])
            for entry in data["services"]:
                service = Service.from_state({k: v for k, v in entry.items() if k not in ("conversations", "roles")})
                self._services[service.sid] = service
                self._conversations[service.sid] = {}
                self._unique_names[service.sid] = {}
                self._roles[service.sid] = {}
                for role in entry.get("roles", []):
                    loaded = record_from_state(Role, role)
                    self._roles[service.sid][loaded.sid] = loaded
                self._add_default_roles(service, service.date_created)  # a state file from before roles were kept
                for item in entry["conversations"]:
                    conversation = Conversation.from_state({k: v for k, v in item.items() if k not in _CONTENTS})
                    self._put(conversation, None)
                    hooks = [record_from_state(ConversationWebhook, hook) for hook in item.get("webhooks", [])]
                    if hooks:
                        self._webhooks[conversation.sid] = {hook.sid: hook for hook in hooks}
                    members = [record_from_state(Participant, member) for member in item.get("participants", [])]
                    if members:
                        self._participants[conversation.sid] = {member.sid: member for member in members}
                    messages = [record_from_state(Message, message) for message in item.get("messages", [])]
                    if messages:
                        self._messages[conversation.sid] = {message.sid: message for message in messages}
                    self._next_index[conversation.sid] = int(item.get("next_message_index", 0))
            for address in data.get("addresses", []):
                loaded_address = record_from_state(AddressConfiguration, address)
                self._addresses[loaded_address.sid] = loaded_address
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path} is not an emulator state file ({exc}); move it away or pick another") from exc


# The parameters of each kind of event, in Twilio's names (its Conversations webhooks guide)


def _conversation_params(conversation: Conversation) -> dict[str, str | None]:
    return {
        "ChatServiceSid": conversation.chat_service_sid,
        "ConversationSid": conversation.sid,
        "FriendlyName": conversation.friendly_name,
        "UniqueName": conversation.unique_name,
        "Attributes": conversation.attributes,
        "State": conversation.state,
        "MessagingServiceSid": conversation.messaging_service_sid,
        "DateCreated": format_timestamp(conversation.date_created),
        "DateUpdated": format_timestamp(conversation.date_updated),
    }


def _conversation_form_params(form: Mapping[str, str]) -> dict[str, str | None]:
    """What a conversation write asks for, as a pre-action webhook is told."""
    return {key: form.get(key) for key in ("FriendlyName", "UniqueName", "Attributes", "State") if key in form}


def _participant_params(participant: Participant) -> dict[str, str | None]:
    return {
        "ChatServiceSid": participant.chat_service_sid,
        "ConversationSid": participant.conversation_sid,
        "ParticipantSid": participant.sid,
        "Identity": participant.identity,
        "RoleSid": participant.role_sid,
        "Attributes": participant.attributes,
        "MessagingBinding.Type": participant.binding_type,
        "MessagingBinding.Address": participant.binding_address,
        "MessagingBinding.ProxyAddress": participant.binding_proxy_address,
        "MessagingBinding.ProjectedAddress": participant.binding_projected_address,
        "DateCreated": format_timestamp(participant.date_created),
        "DateUpdated": format_timestamp(participant.date_updated),
    }


def _participant_form_params(given: ParticipantInput) -> dict[str, str | None]:
    return {
        "Identity": given.identity,
        "Attributes": given.attributes,
        "RoleSid": given.role_sid,
        "MessagingBinding.Address": given.address,
        "MessagingBinding.ProxyAddress": given.proxy_address or None,
        "MessagingBinding.ProjectedAddress": given.projected_address or None,
    }


def _message_params(message: Message) -> dict[str, str | None]:
    return {
        "ChatServiceSid": message.chat_service_sid,
        "ConversationSid": message.conversation_sid,
        "MessageSid": message.sid,
        "Index": str(message.index),
        "Author": message.author,
        "Body": message.body,
        "Attributes": message.attributes,
        "ParticipantSid": message.participant_sid,
        "DateCreated": format_timestamp(message.date_created),
        "DateUpdated": format_timestamp(message.date_updated),
    }


def _message_form_params(form: Mapping[str, str]) -> dict[str, str | None]:
    """What a message write asks for."""
    return {key: form[key] for key in ("Author", "Body", "Attributes") if form.get(key)}


def _scoped_target(hook: ConversationWebhook, event: str, message: Message | None, account_sid: str) -> Target | None:
    """Where a conversation-scoped webhook sends `event`, if it takes it.

    `webhook` takes the events its filters name; `trigger` takes a new message whose body holds one of
    its keywords as a word; `studio` takes every new message, at the flow's Twilio URL (never called: not
    loopback, so the delivery is recorded as refused; Studio is not emulated).
    """
    if hook.target == "webhook" and event in hook.filters and hook.url:
        return Target(hook.url, hook.method)
    if event != "onMessageAdded" or message is None:
        return None
    if hook.target == "trigger" and hook.url:
        words = {word.strip(".,!?;:").lower() for word in (message.body or "").split()}
        if words & {keyword.lower() for keyword in hook.triggers}:
            return Target(hook.url, hook.method)
    if hook.target == "studio" and hook.flow_sid:
        return Target(f"https://webhooks.twilio.com/v1/Accounts/{account_sid}/Flows/{hook.flow_sid}", "POST")
    return None


def _either(given: _V | None, current: _V | None) -> _V | None:
    return current if given is None else given


def _cleared(given: str | None, current: str | None) -> str | None:
    """A URL as an update leaves it: unchanged when not given, cleared when given empty."""
    return current if given is None else given or None


def _write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a reader (or a crash) sees the old file or the new, never half."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
