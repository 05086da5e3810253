"""The members and the account's side through the real `pulumi` command, by both doors: Python programs (the
dynamic provider) and Pulumi YAML programs (the provider plugin, examples/members among them), against the
emulator: Participant, User, Credential, the account's two settings, and a conversation made without a service.

Each test walks one program through several steps (every `pulumi` command costs seconds).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from pulumi_twilio_conversations.emulator import Emulator

from harness import create_answers_lost, posts
from outside import OutsidePulumi
from workspace import REPO, MakeWorkspace, Run, Workspace

TOKEN = "pulumi-python:dynamic/twilio:"
PARTICIPANT, USER, CREDENTIAL = TOKEN + "Participant", TOKEN + "User", TOKEN + "Credential"
CONFIGURATION, WEBHOOKS = TOKEN + "AccountConfiguration", TOKEN + "AccountWebhookConfiguration"
SERVER_KEY, API_KEY = "AAAA-server-key-never-shown", "AIza-api-key-never-shown"
MEMBERS = REPO / "examples" / "members" / "Pulumi.yaml"
PROGRAM = """
    from pulumi_twilio_conversations import Participant

    where = dict(chat_service_sid={service!r}, conversation_sid={conversation!r})
    Participant("bot", identity="support-bot", attributes={attributes!r}, **where)
    Participant("customer", messaging_binding_address="+15558675310", messaging_binding_proxy_address={proxy!r},
                **where)
"""
YAML = """
    name: project
    runtime: yaml
    resources:
      support:
        type: twilio-conversations:index:ConversationService
        properties:
          friendlyName: Support
      lobby:
        type: twilio-conversations:index:Conversation
        properties:
          chatServiceSid: ${{support.sid}}
          uniqueName: lobby
      bot:
        type: twilio-conversations:index:Participant
        properties:
          chatServiceSid: ${{support.sid}}
          conversationSid: ${{lobby.sid}}
          identity: support-bot
          attributes:
            kind: {kind}
    outputs:
      service: ${{support.sid}}
      conversation: ${{lobby.sid}}
"""


def members(outside: OutsidePulumi, service: str, conversation: str) -> list[Any]:
    path = f"/v1/Services/{service}/Conversations/{conversation}/Participants"
    return sorted(outside.call("GET", path).json()["participants"], key=lambda p: str(p["identity"]))


def test_participants_from_a_python_program_through_their_lifecycle(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi, service: str
) -> None:
    """Create, rest (a second up writes nothing), update attributes in place, replace on a new proxy (deleting
    first), destroy."""
    conversation = str(emulator.create_conversation(service, FriendlyName="Lobby")["sid"])
    where = {"service": service, "conversation": conversation}
    stack = make_workspace("")
    stack.write_program(PROGRAM.format(**where, attributes={"kind": "bot"}, proxy="+15017122661"))
    assert stack.up().changes == {"create": 2}
    customer, bot = members(outside, service, conversation)
    assert bot["identity"] == "support-bot" and bot["attributes"] == '{"kind":"bot"}'
    assert customer["messaging_binding"]["proxy_address"] == "+15017122661"

    emulator.counters.reset()
    assert stack.up().changes == {"same": 2}
    assert emulator.counters.writes() == 0

    stack.write_program(PROGRAM.format(**where, attributes={"kind": "bot", "tier": 2}, proxy="+15017120000"))
    emulator.counters.reset()
    run = stack.up()
    assert run.ops(PARTICIPANT).count("update") == 1
    assert run.ops(PARTICIPANT).index("delete-replaced") < run.ops(PARTICIPANT).index("create-replacement")
    customer, bot = members(outside, service, conversation)
    assert bot["attributes"] == '{"kind":"bot","tier":2}' and customer["messaging_binding"]["proxy_address"] == (
        "+15017120000"
    )

    assert stack.destroy().changes == {"delete": 2}
    assert members(outside, service, conversation) == []


def test_a_participant_from_a_yaml_program_through_the_plugin(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi
) -> None:
    """The plugin's Participant: created in a conversation of the same program, a no-op second up, an update of
    its attributes only, destroyed with the rest."""
    stack = make_workspace(YAML.format(kind="bot"), runtime="yaml", project="project")
    assert stack.up().changes == {"create": 3}
    service, conversation = stack.outputs()["service"], stack.outputs()["conversation"]
    [bot] = members(outside, service, conversation)
    assert bot["identity"] == "support-bot"

    emulator.counters.reset()
    assert stack.up().changes == {"same": 3}
    assert emulator.counters.writes() == 0

    stack.write_program(YAML.format(kind="agent"))
    emulator.counters.reset()
    assert stack.up().changes == {"update": 1, "same": 2}
    assert [r.form for r in emulator.counters.log if r.method == "POST"] == [{"Attributes": '{"kind":"agent"}'}]
    assert stack.destroy().changes == {"delete": 3}


def get(outside: OutsidePulumi, path: str) -> Any:
    return outside.call("GET", path).json()


def account(outside: OutsidePulumi) -> list[Any]:
    """The account's configuration and webhook settings as Twilio reports them."""
    return [get(outside, "/v1/Configuration"), get(outside, "/v1/Configuration/Webhooks")]


def assert_never_shown(stack: Workspace, runs: list[Run], *keys: str) -> None:
    """The key material is in no command's output and only as ciphertext in `pulumi stack export`."""
    exported = json.dumps(stack.export())
    assert "ciphertext" in exported
    for key in keys:
        assert key not in exported
        assert all(key not in run.output for run in runs)


USERS_AND_CREDENTIALS = """
    from pulumi_twilio_conversations import Credential, User

    User("bot", chat_service_sid={service!r}, identity={identity!r}, friendly_name={name!r},
         attributes={{"kind": "bot"}})
    Credential("android", type={kind!r}, friendly_name="android", **{key!r})
"""


@pytest.mark.sdk
def test_a_user_and_a_credential_from_a_python_program_through_their_lifecycle(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi, service: str
) -> None:
    """A broken rule fails preview naming it; preview sends nothing; create; rest; an edit updates that field
    only (a rotated key is sent, a failing up does not show it); a new identity or type replaces; destroy. The
    key is never shown, state holds it encrypted."""
    first = {"service": service, "identity": "support-bot", "name": "Bot", "kind": "fcm",
             "key": {"secret": SERVER_KEY}}  # fmt: skip
    stack = make_workspace("")
    stack.write_program(USERS_AND_CREDENTIALS.format(**{**first, "kind": "voip"}))
    runs = [stack.preview(check=False)]  # the rules, before any request
    assert runs[0].returncode != 0 and emulator.counters.requests == {}
    assert re.search(r"Credential resource 'android': property type .*apn, fcm, gcm", runs[0].output)
    stack.write_program(USERS_AND_CREDENTIALS.format(**first))
    runs.append(stack.preview())
    assert runs[-1].changes == {"create": 2} and emulator.counters.requests == {}
    runs.append(stack.up())
    assert runs[-1].changes == {"create": 2}
    [bot] = get(outside, f"/v1/Services/{service}/Users")["users"]
    [android] = get(outside, "/v1/Credentials")["credentials"]
    assert (bot["identity"], bot["friendly_name"], bot["attributes"]) == ("support-bot", "Bot", '{"kind":"bot"}')
    assert (android["type"], android["friendly_name"]) == ("fcm", "android")

    emulator.counters.reset()
    runs.append(stack.up())
    assert runs[-1].changes == {"same": 2} and emulator.counters.writes() == 0

    rotated = {**first, "name": "Support bot", "key": {"secret": SERVER_KEY + "-2"}}
    stack.write_program(USERS_AND_CREDENTIALS.format(**rotated))
    runs.append(stack.pulumi("up", "--yes", check=False, env={"TWILIO_AUTH_TOKEN": "wrong"}))
    assert runs[-1].returncode != 0 and "HTTP 401" in runs[-1].output
    emulator.counters.reset()
    runs.append(stack.up())
    assert runs[-1].changes == {"update": 2}
    assert posts(emulator) == {"/v1/Services/{ChatServiceSid}/Users/{Sid}": {"FriendlyName"},
                               "/v1/Credentials/{Sid}": {"Secret"}}  # fmt: skip

    replaced = {**rotated, "identity": "helper-bot", "kind": "gcm", "key": {"api_key": API_KEY}}
    stack.write_program(USERS_AND_CREDENTIALS.format(**replaced))
    runs.append(stack.up())
    assert runs[-1].ops(USER) == runs[-1].ops(CREDENTIAL) == ["create-replacement", "replace", "delete-replaced"]
    [helper] = get(outside, f"/v1/Services/{service}/Users")["users"]
    [google] = get(outside, "/v1/Credentials")["credentials"]
    assert (helper["identity"], google["type"]) == ("helper-bot", "gcm")
    assert_never_shown(stack, runs, SERVER_KEY, API_KEY)

    assert stack.destroy().changes == {"delete": 2}
    assert get(outside, f"/v1/Services/{service}/Users")["users"] == []
    assert get(outside, "/v1/Credentials")["credentials"] == []


ACCOUNT = """
    import pulumi
    from pulumi_twilio_conversations import AccountConfiguration, AccountWebhookConfiguration, Conversation

    retain = pulumi.ResourceOptions(retain_on_delete={retain!r})
    defaults = AccountConfiguration("defaults", default_chat_service_sid={service!r}, default_closed_timer={closed!r},
                                    opts=retain)
    AccountWebhookConfiguration("events", post_webhook_url={url!r}, filters=["onMessageAdded"], method="POST",
                                opts=retain)
    lobby = Conversation("lobby", friendly_name={lobby!r}, unique_name="lobby",
                         opts=pulumi.ResourceOptions(depends_on=[defaults]))
    pulumi.export("lobby", lobby.sid)
"""


def test_the_account_settings_are_taken_over_and_put_back_and_a_conversation_goes_to_the_default_service(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi, service: str
) -> None:
    """Create takes the account's settings over (the service-less conversation lands in the declared default
    service), rest, an edit updates those fields only, destroy puts back what was there; `retain_on_delete`
    keeps the declared values; a second declaration of a setting fails preview naming both."""
    outside.call("POST", "/v1/Configuration", DefaultInactiveTimer="PT5M", DefaultClosedTimer="PT1H")
    outside.call("POST", "/v1/Configuration/Webhooks", PostWebhookUrl="https://before.invalid/", Method="GET")
    before = account(outside)
    first = {"service": service, "closed": "P7D", "url": "https://backend.invalid/events", "retain": False,
             "lobby": "Lobby"}  # fmt: skip
    stack = make_workspace("")
    stack.write_program(ACCOUNT.format(**first))
    assert stack.up().changes == {"create": 3}
    configuration, webhooks = account(outside)
    assert (configuration["default_chat_service_sid"], configuration["default_closed_timer"]) == (service, "P7D")
    assert configuration["default_inactive_timer"] == "PT5M"  # not declared: left as it was
    assert (webhooks["post_webhook_url"], webhooks["method"], webhooks["filters"]) == (
        "https://backend.invalid/events",
        "POST",
        ["onMessageAdded"],
    )
    [lobby] = emulator.conversations(service)
    assert lobby["sid"] == stack.outputs()["lobby"] and get(outside, "/v1/Conversations/lobby")["sid"] == lobby["sid"]

    emulator.counters.reset()
    assert stack.up().changes == {"same": 3} and emulator.counters.writes() == 0

    edited = {**first, "closed": "P1D", "url": "https://backend.invalid/v2", "lobby": "Lobby 2"}
    stack.write_program(ACCOUNT.format(**edited))
    emulator.counters.reset()
    assert stack.up().changes == {"update": 3}
    assert posts(emulator) == {  # the conversation by its service's path, as every request after its create
        "/v1/Configuration": {"DefaultClosedTimer"},
        "/v1/Configuration/Webhooks": {"PostWebhookUrl"},
        "/v1/Services/{ChatServiceSid}/Conversations/{Sid}": {"FriendlyName"},
    }

    assert stack.destroy().changes == {"delete": 3}
    assert account(outside) == before and emulator.conversations(service) == []

    stack.write_program(ACCOUNT.format(**{**first, "retain": True}))
    stack.up()
    kept = account(outside)
    stack.destroy()
    assert account(outside) == kept and kept[1]["post_webhook_url"] == "https://backend.invalid/events"

    stack.write_program("""
        from pulumi_twilio_conversations import AccountWebhookConfiguration

        AccountWebhookConfiguration("events", method="POST")
        AccountWebhookConfiguration("more-events", method="GET")
    """)
    emulator.counters.reset()
    refused = stack.preview(check=False)
    assert refused.returncode != 0 and "'events'" in refused.output and "'more-events'" in refused.output
    assert emulator.counters.writes() == 0


LOST = """
    from pulumi_twilio_conversations import Conversation, Credential, Participant, User

    User("bot", chat_service_sid={service!r}, identity="support-bot", friendly_name="Bot")
    Credential("android", type="fcm", friendly_name="android", secret={key!r})
    Participant("customer", chat_service_sid={service!r}, conversation_sid={conversation!r},
                messaging_binding_address="+15558675310", messaging_binding_proxy_address="+15017122661")
    Conversation("lobby", unique_name="lobby", friendly_name="Lobby")
"""


CREATES = (
    "/v1/Services/{ChatServiceSid}/Users",
    "/v1/Credentials",
    "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants",
    "/v1/Conversations",
)


def test_creates_whose_answers_are_lost_are_found_again_not_made_twice(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi, service: str
) -> None:
    """The answer of each create lost: the user, credential, participant and service-less conversation are each
    posted once and found again, state holds them, and the next up writes nothing."""
    conversation = str(emulator.create_conversation(service, FriendlyName="Triage")["sid"])
    stack = make_workspace(LOST.format(service=service, conversation=conversation, key=SERVER_KEY))
    emulator.counters.reset()
    with create_answers_lost(emulator, *CREATES):
        assert stack.up("--skip-preview").changes == {"create": 4}
    posted = sorted((r.route, r.status) for r in emulator.counters.log if r.method == "POST" and r.route in CREATES)
    assert posted == sorted((route, 0) for route in CREATES)  # each posted once, its answer lost
    users = get(outside, f"/v1/Services/{service}/Users")["users"]
    credentials = get(outside, "/v1/Credentials")["credentials"]
    members = get(outside, f"/v1/Services/{service}/Conversations/{conversation}/Participants")["participants"]
    lobby = get(outside, "/v1/Conversations/lobby")
    assert [r["sid"] for r in users] == [r["id"] for r in stack.resources(USER)]
    assert [r["sid"] for r in credentials] == [r["id"] for r in stack.resources(CREDENTIAL)]
    assert [r["sid"] for r in members] == [r["id"] for r in stack.resources(PARTICIPANT)]
    assert [lobby["sid"]] == [r["id"] for r in stack.resources(TOKEN + "Conversation")]
    emulator.counters.reset()
    assert stack.up().changes == {"same": 4} and emulator.counters.writes() == 0


ADOPTED = """
    from pulumi_twilio_conversations import Credential, Participant, User

    User("bot", chat_service_sid={service!r}, identity="support-bot", friendly_name="Bot", adopt={user!r})
    Credential("android", type="fcm", friendly_name="android", adopt={credential!r})
    Participant("bot-in-triage", chat_service_sid={service!r}, conversation_sid={conversation!r},
                identity="support-bot", adopt={participant!r})
"""


KINDS = {"user": "User", "credential": "Credential", "participant": "Participant"}


def test_adopt_takes_over_a_user_a_credential_and_a_participant_without_a_write(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi, service: str
) -> None:
    """`adopt=` of what exists as declared: created in state with Twilio's SIDs, no write; the next up rests."""
    conversation = str(emulator.create_conversation(service, FriendlyName="Triage")["sid"])
    made = {
        "user": outside.call("POST", f"/v1/Services/{service}/Users", Identity="support-bot", FriendlyName="Bot"),
        "credential": outside.call("POST", "/v1/Credentials", Type="fcm", FriendlyName="android", Secret=SERVER_KEY),
        "participant": outside.call(
            "POST", f"/v1/Services/{service}/Conversations/{conversation}/Participants", Identity="support-bot"
        ),
    }
    sids = {name: response.json()["sid"] for name, response in made.items()}
    stack = make_workspace(ADOPTED.format(service=service, conversation=conversation, **sids))
    emulator.counters.reset()
    assert stack.up().changes == {"create": 3} and emulator.counters.writes() == 0
    states = {name: stack.resources(TOKEN + kind) for name, kind in KINDS.items()}
    assert {name: [r["id"] for r in state] for name, state in states.items()} == {
        name: [sid] for name, sid in sids.items()
    }
    assert stack.up().changes == {"same": 3} and emulator.counters.writes() == 0


@pytest.mark.sdk
def test_the_members_example_through_the_plugin_takes_over_the_account_and_puts_it_back(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi
) -> None:
    """examples/members: preview sends nothing, up makes every resource (the server key a secret, the service-less
    conversation in the new default service), a second up writes nothing, a new backend URL is one update of the
    account webhook URL, destroy puts the account back."""
    # Timers set before (docs/reference.md: destroy cannot unset one the account never had).
    outside.call("POST", "/v1/Configuration", DefaultInactiveTimer="PT5M", DefaultClosedTimer="PT1H")
    before = account(outside)
    stack = make_workspace(MEMBERS.read_text(), runtime="yaml", project=yaml.safe_load(MEMBERS.read_text())["name"])
    stack.config_set("fcmServerKey", SERVER_KEY, secret=True)
    emulator.counters.reset()
    runs = [stack.preview()]
    assert runs[0].changes == {"create": 10} and emulator.counters.requests == {}
    runs.append(stack.up())
    [service] = [s for s in emulator.services() if s["sid"] != before[0]["default_chat_service_sid"]]
    lobby, welcome = sorted(emulator.conversations(service["sid"]), key=lambda c: str(c["unique_name"]))
    assert (welcome["unique_name"], welcome["sid"]) == ("welcome", stack.outputs()["welcome"])  # the new default
    bot = get(outside, f"/v1/Services/{service['sid']}/Users/support-bot")
    assert stack.outputs()["bot"] == bot["sid"] and bot["role_sid"] is not None
    [android] = get(outside, "/v1/Credentials")["credentials"]
    assert stack.outputs()["pushCredential"] == android["sid"]
    members = get(outside, f"/v1/Services/{service['sid']}/Conversations/{lobby['sid']}/Participants")
    assert sorted(str(m["identity"]) for m in members["participants"]) == ["None", "support-bot"]
    configuration, webhooks = account(outside)
    assert configuration["default_chat_service_sid"] == service["sid"]
    assert webhooks["post_webhook_url"] == "https://backend.invalid/account-events"

    emulator.counters.reset()
    runs.append(stack.up())
    assert runs[-1].changes == {"same": 10} and emulator.counters.writes() == 0

    stack.config_set("backendUrl", "https://elsewhere.invalid")
    emulator.counters.reset()
    runs.append(stack.up())
    assert runs[-1].changes == {"update": 1, "same": 9}
    assert [r.form for r in emulator.counters.log if r.method == "POST"] == [
        {"PostWebhookUrl": "https://elsewhere.invalid/account-events"}
    ]
    assert_never_shown(stack, runs, SERVER_KEY)

    runs.append(stack.destroy())
    assert runs[-1].changes == {"delete": 10}
    assert account(outside) == before and [s["sid"] for s in emulator.services()] == [
        before[0]["default_chat_service_sid"]  # the account's default service, which was there before
    ]
    assert get(outside, "/v1/Credentials")["credentials"] == []


def test_pulumi_import_of_each_new_resource_through_the_plugin_gives_an_empty_preview(
    make_workspace: MakeWorkspace, emulator: Emulator, outside: OutsidePulumi, service: str
) -> None:
    """`pulumi import` of a credential, the two account settings, a user, a participant and a conversation of the
    default service: the generated YAML, as the program, previews no change and sends nothing."""
    conversation = outside.call("POST", "/v1/Conversations", UniqueName="lobby", FriendlyName="Lobby").json()
    default = conversation["chat_service_sid"]
    user = outside.call("POST", f"/v1/Services/{service}/Users", Identity="bot", Attributes='{"kind": "bot"}').json()
    member = outside.call(
        "POST", f"/v1/Services/{default}/Conversations/{conversation['sid']}/Participants", Identity="bot"
    ).json()
    credential = outside.call("POST", "/v1/Credentials", Type="fcm", FriendlyName="android", Secret=SERVER_KEY).json()
    outside.call(
        "POST", "/v1/Configuration/Webhooks", PostWebhookUrl="https://backend.invalid/", Filters="onMessageAdded"
    )
    account_sid = credential["account_sid"]
    imports = [
        ("Credential", "android", credential["sid"]),
        ("AccountConfiguration", "defaults", account_sid),
        ("AccountWebhookConfiguration", "events", account_sid),
        ("User", "bot", f"{service}/{user['sid']}"),
        ("Participant", "botInLobby", f"{default}/{conversation['sid']}/{member['sid']}"),
        ("Conversation", "lobby", conversation["sid"]),
    ]
    stack = make_workspace("name: project\nruntime: yaml\n", runtime="yaml", project="project")
    listing = stack.root / "import.json"
    listing.write_text(json.dumps({"resources": [
        {"type": f"twilio-conversations:index:{kind}", "name": name, "id": id_} for kind, name, id_ in imports
    ]}))  # fmt: skip
    generated = stack.root / "imported.yaml"
    stack.pulumi("import", "--file", str(listing), "--yes", "--out", str(generated))
    declared = yaml.safe_load(generated.read_text())["resources"]
    assert set(declared) == {name for _, name, _ in imports}
    assert "secret" not in declared["android"]["properties"]  # Twilio never returns the key
    stack.write_program(yaml.safe_dump({"name": "project", "runtime": "yaml", "resources": declared}))
    emulator.counters.reset()
    preview = stack.preview()
    assert set(preview.changes) <= {"same"}, preview.steps
    assert emulator.counters.writes() == 0
