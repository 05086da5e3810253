"""The Credential core: `/v1/Credentials`, the account's push credentials (CR…) for APNs and Firebase.

The key material (`certificate`, `private_key` for apn; `secret` for fcm; `api_key` for gcm) is
write-only: Twilio never returns it. State keeps it as declared (the typed class and the schema make
it a Pulumi secret), diff compares the declaration with that record, and a change is an update that
sends it (the preview says which one changes, not its value); a change made outside Pulumi cannot be
seen. No message shows it. A new `type` replaces the credential (DESIGN.md; Twilio's update takes one,
but a credential of another type is another credential to the apps that use it, and nothing of the old
one is carried to it).

Credentials have no unique field. After a create whose answer was lost, the credential is found again
by its type and friendly name when exactly one of the account's credentials has both; without a
friendly name, or with several, the create is not posted again (it could make a second one) and the
error says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..ids import parse_scoped_id
from .base import (
    ACCOUNT_FIELD,
    ADOPT_WORDS,
    DATE_FIELDS,
    DECLARED_KEY,
    SID_FIELD,
    URL_FIELD,
    Checked,
    Diffed,
    Field,
    Found,
    ResourceSpec,
    is_unknown,
    say,
)
from .table import ObjectCore, Wire, removal_rules

if TYPE_CHECKING:
    from ..twilio import Json, TwilioClient

WIRES = (
    Wire("type", "Type", "string", "apn (Apple), fcm (Firebase Cloud Messaging) or gcm (Google Cloud Messaging).",
         required=True, replaces=True),
    Wire("friendly_name", "FriendlyName", "string", "A name for it, at most 64 characters; how a lost create "
         "is found again."),
    Wire("certificate", "Certificate", "string", "For apn: the certificate (PEM). Write-only: kept as a secret, "
         "a change outside Pulumi cannot be seen.", secret=True),
    Wire("private_key", "PrivateKey", "string", "For apn: the private key (PEM). Write-only: kept as a secret, "
         "a change outside Pulumi cannot be seen.", secret=True),
    Wire("sandbox", "Sandbox", "boolean", "For apn: whether notifications go to the sandbox APNs."),
    Wire("api_key", "ApiKey", "string", "For gcm: the project's API key. Write-only: kept as a secret, a change "
         "outside Pulumi cannot be seen.", secret=True),
    Wire("secret", "Secret", "string", "For fcm: the project's server key. Write-only: kept as a secret, a change "
         "outside Pulumi cannot be seen.", secret=True),
)  # fmt: skip
SECRETS = tuple(wire.name for wire in WIRES if wire.secret)
# Which inputs each type takes, and which of them a new credential of that type needs.
TAKES = {"apn": ("certificate", "private_key", "sandbox"), "fcm": ("secret",), "gcm": ("api_key",)}
NEEDS = {"apn": ("certificate", "private_key"), "fcm": ("secret",), "gcm": ("api_key",)}
_TYPED = frozenset(name for names in TAKES.values() for name in names)


class CredentialCore(ObjectCore):
    """Push credentials of the account: created, read, updated, deleted."""

    kind = "Credential"
    wires = WIRES
    model = "CredentialInputs"
    kept = ("adopt", *SECRETS)  # Twilio never reports the key material: state keeps it as declared
    rules = removal_rules(WIRES, create_only=frozenset({"adopt"}))

    def collection(self, props: Mapping[str, Any]) -> str:
        return "/v1/Credentials"

    def path(self, props: Mapping[str, Any], id_: str) -> str:
        (sid,) = parse_scoped_id(id_, ("CR",))
        return f"/v1/Credentials/{sid}"

    def unfindable(self, props: Mapping[str, Any]) -> str | None:
        if props.get("friendly_name"):
            return None
        return (
            "Twilio may or may not have created the credential; without a friendly_name the provider cannot "
            "find it again, so it does not post again. Check the account's credentials before retrying"
        )

    def find(self, client: TwilioClient, props: Mapping[str, Any]) -> Json | None:
        matches = [
            credential
            for page in client.pages(self.collection(props), "credentials", {"PageSize": "100"})
            for credential in page
            if credential.get("type") == props["type"] and credential.get("friendly_name") == props["friendly_name"]
        ]
        return matches[0] if len(matches) == 1 else None

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> Checked:
        """The table's rules and, for a new credential (not an adopted one, which keeps its key material),
        the key material its type needs. A new type replaces the credential: a new one, which carries
        nothing forward from the old (its key material is another type's)."""
        kind = news.get("type")
        if olds and not is_unknown(kind) and kind != olds.get("type"):
            olds = {}
        checked = super().check(olds, news)
        inputs = checked.inputs
        if olds or checked.failures or inputs.get("adopt") or is_unknown(inputs.get("type")):
            return checked
        kind = inputs["type"]
        missing = [(name, f"is required for type {kind!r}") for name in NEEDS.get(kind, ()) if name not in inputs]
        return Checked(inputs, missing)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> Diffed:
        """The table's diff, saying which key material changes: a preview of a Python program (the dynamic
        provider, which cannot return a detailed diff) shows a secret as `[secret]` either way."""
        diffed = super().diff(id_, olds, news)
        rotated = [name for name in SECRETS if name in diffed.changed and name not in diffed.replaces]
        if rotated:
            say(f"Credential {id_}: {', '.join(rotated)} changes (a secret, not shown); the update sends it")
        return diffed

    def read(self, client: TwilioClient, id_: str, props: dict[str, Any]) -> Found:
        """The table's read, declaring only what the credential's type takes: Twilio reports `sandbox` for
        every type, and an imported fcm credential declaring it would fail its check."""
        found = super().read(client, id_, props)
        foreign = _TYPED - set(TAKES.get(found.outputs.get("type", ""), ()))
        if found.inputs is None or not foreign & found.inputs.keys():
            return found
        declared = [name for name in found.outputs.get(DECLARED_KEY) or [] if name not in foreign]
        inputs = {name: value for name, value in found.inputs.items() if name not in foreign}
        return Found(found.id, {**found.outputs, DECLARED_KEY: declared}, inputs)

    def cross_rules(self, news: Mapping[str, Any]) -> list[tuple[str, str]]:
        kind = news.get("type", "")
        wrong = sorted(_TYPED - set(TAKES.get(kind, ())))
        return [(name, f"is for type {_owner(name)} only, not {kind!r}") for name in wrong if name in news]


def _owner(name: str) -> str:
    return next(kind for kind, names in TAKES.items() if name in names)


SPEC = ResourceSpec(
    name="Credential",
    description="A push credential of the account (`/v1/Credentials`): APNs or Firebase keys for the apps' "
    "notifications. The key material is write-only: Pulumi keeps it as a secret and cannot see changes made "
    "outside it.",
    core=CredentialCore(),
    import_id="CR… (the credential SID); the key material is not imported (Twilio never returns it)",
    fields=(
        *(wire.field for wire in WIRES),
        Field("adopt", "string", f"An existing credential SID (CR…) to {ADOPT_WORDS}."),
        SID_FIELD,
        ACCOUNT_FIELD,
        URL_FIELD,
        *DATE_FIELDS,
    ),
)
