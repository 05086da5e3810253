"""Credentials: the account's push credentials (APN, FCM, GCM) that services send notifications with.

Routes: `/v1/Credentials` and `/v1/Credentials/{Sid}` (the account's). The key material (`Certificate`,
`PrivateKey`, `ApiKey`, `Secret`) is accepted and kept, as Twilio keeps it, but never answered back: the
answer has the spec's eight keys only. `sandbox` is the text `"True"` / `"False"`, as the spec's schema
(a string) and every one of its examples give it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from werkzeug.wrappers import Response

from ..errors import not_found
from ..records import JsonObject, new_sid, when
from ..routing import Call, Family, Route, no_content
from ..rules import check_choice, check_friendly_name, check_sid, either, optional, parse_boolean, require
from ..state import Kind, State

PUSH_TYPES = ("apn", "gcm", "fcm")
MAX_CREDENTIAL_FRIENDLY_NAME = 64  # "It can be up to 64 characters long" (Twilio's Credential docs)


@dataclass(frozen=True)
class Credential:
    sid: str
    type: str
    date_created: datetime
    date_updated: datetime
    seq: int
    friendly_name: str | None = None
    sandbox: bool = False
    certificate: str | None = None
    private_key: str | None = None
    api_key: str | None = None
    secret: str | None = None

    def render(self, account_sid: str, base: str) -> JsonObject:
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "friendly_name": self.friendly_name,
            "type": self.type,
            "sandbox": str(self.sandbox),
            "date_created": when(self.date_created),
            "date_updated": when(self.date_updated),
            "url": f"{base}/v1/Credentials/{self.sid}",
        }

    def __repr__(self) -> str:  # key material stays out of logs and tracebacks
        return f"Credential(sid={self.sid!r}, type={self.type!r}, friendly_name={self.friendly_name!r})"


CREDENTIALS: Kind[Credential] = Kind("credentials", Credential)

# Rules


@dataclass(frozen=True)
class CredentialInput:
    """The fields one create or update set; None means not given."""

    type: str | None = None
    friendly_name: str | None = None
    sandbox: bool | None = None
    certificate: str | None = None
    private_key: str | None = None
    api_key: str | None = None
    secret: str | None = None


def parse_credential_form(form: Mapping[str, str], *, creating: bool) -> CredentialInput:
    """Type (`apn`, `gcm`, `fcm`; required on create), FriendlyName (at most 64 characters), Sandbox a boolean."""
    kind = require(form, "Type") if creating else form.get("Type")
    return CredentialInput(
        type=None if kind is None else check_choice(kind, "Type", PUSH_TYPES),
        friendly_name=optional(
            form, "FriendlyName", lambda text: check_friendly_name(text, MAX_CREDENTIAL_FRIENDLY_NAME)
        ),
        sandbox=optional(form, "Sandbox", lambda text: parse_boolean(text, "Sandbox")),
        certificate=form.get("Certificate"),
        private_key=form.get("PrivateKey"),
        api_key=form.get("ApiKey"),
        secret=form.get("Secret"),
    )


# Operations


def get_credential(state: State, sid: str) -> Credential:
    """The credential, else a 404 (lock held)."""
    check_sid(sid, "CR", "Sid")
    found = state.rows(CREDENTIALS).get(sid)
    if found is None:
        raise not_found(f"/v1/Credentials/{sid}")
    return found


def create_credential(state: State, form: Mapping[str, str]) -> Credential:
    given = parse_credential_form(form, creating=True)
    assert given.type is not None, "required on create"
    with state.lock:
        now = state.now()
        created = Credential(
            sid=new_sid("CR"),
            type=given.type,
            date_created=now,
            date_updated=now,
            seq=state.next_seq(),
            friendly_name=given.friendly_name,
            sandbox=bool(given.sandbox),
            certificate=given.certificate,
            private_key=given.private_key,
            api_key=given.api_key,
            secret=given.secret,
        )
        state.add(CREDENTIALS, created)
        state.commit()
        return created


def credential(state: State, sid: str) -> Credential:
    with state.lock:
        return get_credential(state, sid)


def credentials(state: State) -> list[Credential]:
    with state.lock:
        return list(state.rows(CREDENTIALS).values())


def update_credential(state: State, sid: str, form: Mapping[str, str]) -> Credential:
    """What the form carries replaces what the credential had; the rest stays."""
    given = parse_credential_form(form, creating=False)
    with state.lock:
        current = get_credential(state, sid)
        updated = replace(
            current,
            type=given.type or current.type,
            friendly_name=either(given.friendly_name, current.friendly_name),
            sandbox=current.sandbox if given.sandbox is None else given.sandbox,
            certificate=either(given.certificate, current.certificate),
            private_key=either(given.private_key, current.private_key),
            api_key=either(given.api_key, current.api_key),
            secret=either(given.secret, current.secret),
            date_updated=state.now(),
        )
        state.add(CREDENTIALS, updated)
        state.commit()
        return updated


def delete_credential(state: State, sid: str) -> None:
    with state.lock:
        state.remove(CREDENTIALS, get_credential(state, sid))
        state.commit()


# Routes


def _list(call: Call) -> Response:
    return call.page("credentials", credentials(call.state))


def _create(call: Call) -> Response:
    return call.record(create_credential(call.state, call.form), 201)


def _fetch(call: Call) -> Response:
    return call.record(credential(call.state, call.args["Sid"]))


def _update(call: Call) -> Response:
    return call.record(update_credential(call.state, call.args["Sid"], call.form))


def _delete(call: Call) -> Response:
    delete_credential(call.state, call.args["Sid"])
    return no_content()


FAMILY = Family(
    "credentials",
    kinds=(CREDENTIALS,),
    account_routes=(
        Route("/Credentials", "GET", _list),
        Route("/Credentials", "POST", _create),
        Route("/Credentials/<Sid>", "GET", _fetch),
        Route("/Credentials/<Sid>", "POST", _update),
        Route("/Credentials/<Sid>", "DELETE", _delete),
    ),
)
