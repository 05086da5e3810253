"""The dashboard page over HTTP, without a browser: its auth, what it never shows, escaping, filters, paging,
live changes and replays (tests/emulator/test_emulator_dashboard_browser.py drives it in Chromium)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests
from twilio.request_validator import RequestValidator

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator, Receiver

from emulator_support import Api, error, media_message, wire_inbound

CUSTOMER, SUPPORT = "+15550001111", "+15559990000"
SCRIPTED = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


@pytest.fixture
def backend(emulator: Emulator) -> Iterator[Receiver]:
    with emulator.receiver() as receiver:
        yield receiver


@pytest.fixture
def wired(api: Api, service: str, backend: Receiver) -> str:
    """The demo's wiring: SUPPORT opens conversations in the service; onMessageAdded goes to the backend."""
    wire_inbound(api, service, address=SUPPORT, post_url=backend.url, filters=["onMessageAdded"])
    return service


def _page(api: Api, query: str = "") -> str:
    answer = api.get(f"/emulator/{query}")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html"), answer.text
    return answer.text


def _bodies(page: str) -> list[str]:
    """The message bodies on the page, top to bottom."""
    return re.findall(r'data-field="body" class="body">([^<]+)<', page)


def _events(page: str) -> list[str]:
    """The event types of the deliveries on the page, top to bottom."""
    return re.findall(r'data-field="event_type">([^<]+)<', page)


def _token(page: str) -> str:
    found = re.search(r'data-token="([^"]+)"', page)
    assert found, "the page carries its replay token"
    return found[1]


def test_the_dashboard_asks_for_the_api_credentials(emulator: Emulator, api: Api) -> None:
    """Without Basic auth the page, its changes and its script answer 401 with a Basic challenge (a browser prompts)."""
    for path in ("/emulator/", "/emulator/dashboard/changes", "/emulator/static/dashboard.js"):
        anonymous = requests.get(emulator.base_url + path, timeout=10)
        assert error(anonymous) == (401, 20003) and anonymous.headers["WWW-Authenticate"].startswith("Basic ")
        wrong = requests.get(emulator.base_url + path, auth=(DEFAULT_ACCOUNT_SID, "not-the-token"), timeout=10)
        assert error(wrong) == (401, 20003)
    assert "Twilio Conversations emulator" in _page(api)


def test_the_dashboard_never_shows_the_auth_token() -> None:
    """No page, script, style or change feed of the dashboard contains the auth token, even with state in it."""
    token = "dashboard-secret-9f3c"  # a token that could not appear by accident
    with Emulator(auth_token=token) as emulator, Receiver(token).start() as backend:
        api = Api(emulator, auth=(DEFAULT_ACCOUNT_SID, token))
        service = emulator.create_service("Support")["sid"]
        wire_inbound(api, service, address=SUPPORT, post_url=backend.url, filters=["onMessageAdded"])
        emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="hello")
        emulator.wait_for_deliveries()
        served = [
            api.get(path).text
            for path in (
                "/emulator/",
                "/emulator/dashboard/changes?seq=0&delivery=0",
                "/emulator/static/dashboard.js",
                "/emulator/static/dashboard.css",
            )
        ]
        assert "hello" in served[0] and '"onMessageAdded"' in served[1], "the state is on show"
        assert not [text for text in served if token in text]


def test_every_user_string_is_escaped(emulator: Emulator, api: Api, wired: str) -> None:
    """A `<script>` message body or an HTML service name shows as text: escaped in the page, never as markup."""
    service = emulator.create_service("<b>bold</b> & co")["sid"]
    emulator.inbound(from_=CUSTOMER, to=SUPPORT, body=SCRIPTED)
    emulator.wait_for_deliveries()
    page = _page(api)
    assert (
        "&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt;"
        in page
    )
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in page and service in page
    assert "<script>window" not in page and "<img" not in page and "<b>bold" not in page
    assert page.count("<script") == 1, "the page's own script is the only one"


def test_the_page_admits_only_its_own_script(api: Api) -> None:
    """The page's Content-Security-Policy runs no inline script, and nothing of the dashboard is cached or framed."""
    answer = api.get("/emulator/")
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert answer.headers["Cache-Control"] == "no-store" and answer.headers["X-Content-Type-Options"] == "nosniff"
    assert '<script src="/emulator/static/dashboard.js"></script>' in answer.text
    script = api.get("/emulator/static/dashboard.js")
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("text/javascript")
    assert "innerHTML" not in script.text, "the script writes data with textContent only"


def test_the_page_shows_services_addresses_conversations_and_deliveries(
    emulator: Emulator, api: Api, wired: str, backend: Receiver
) -> None:
    """The page lists the service's settings and roles, the address, the conversation with its participant and
    message, and the delivery with its event, target, status, signed form and the receiver's answer."""
    backend.body = "thanks, got it"
    conversation = emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="where is my parcel?")
    [delivery] = emulator.wait_for_deliveries()
    page = _page(api)
    for shown in (
        wired,
        "Service User (RL",  # a default role, named where the configuration refers to it
        "post_webhook_url",
        backend.url,
        SUPPORT,
        conversation,
        f"{CUSTOMER} via {SUPPORT}",
        "where is my parcel?",
        "onMessageAdded",
        "200 delivered",
        f"ConversationSid={conversation}",
        delivery.signature,
        "thanks, got it",
    ):
        assert shown in page, f"{shown!r} is on the page"


def test_filters_narrow_conversations_and_deliveries(emulator: Emulator, api: Api, wired: str) -> None:
    """Filtering by conversation or event type shows only what matches; another service's filter shows none of it."""
    first = emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="first customer")
    second = emulator.inbound(from_="+15550002222", to=SUPPORT, body="second customer")
    emulator.wait_for_deliveries()
    only_first = _page(api, f"?conversation={first}")
    assert "first customer" in only_first and "second customer" not in only_first and second not in only_first
    assert _events(only_first) == ["onMessageAdded"], "the first conversation's delivery only"
    assert _events(_page(api, "?event=onMessageAdded")) == ["onMessageAdded"] * 2
    assert _events(_page(api, "?event=onConversationAdded")) == []
    other = emulator.create_service("Sales")["sid"]
    assert "first customer" not in _page(api, f"?service={other}")


def test_messages_are_newest_first_and_paged(emulator: Emulator, api: Api, wired: str) -> None:
    """A conversation's messages show newest first, twenty a page, with a link to the older ones."""
    conversation = emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="message 0")
    for number in range(1, 25):
        emulator.inbound(from_=CUSTOMER, to=SUPPORT, body=f"message {number}")
    first = _page(api)
    assert _bodies(first) == [f"message {number}" for number in range(24, 4, -1)]
    older = re.search(r'href="(\?[^"]*page=2[^"]*)">older', first)
    assert older and conversation in older[1]
    second = _page(api, older[1].replace("&amp;", "&"))
    assert _bodies(second) == [f"message {number}" for number in range(4, -1, -1)]


def test_changes_bring_what_is_new_since_the_page(emulator: Emulator, api: Api, wired: str) -> None:
    """The change feed the page polls holds only rows newer than the page's cursor: a new conversation, its
    message (in that conversation) and its delivery."""
    emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="before")
    emulator.wait_for_deliveries()
    page = _page(api)
    delivery, seq = (re.search(rf'data-{name}="(\d+)"', page)[1] for name in ("delivery", "seq"))  # type: ignore[index]
    assert api.get(f"/emulator/dashboard/changes?delivery={delivery}&seq={seq}").json() == {
        "cursor": {"delivery": int(delivery), "seq": int(seq)},
        "conversations": [],
        "messages": [],
        "deliveries": [],
    }
    landed = emulator.inbound(from_="+15550002222", to=SUPPORT, body="after")
    emulator.wait_for_deliveries()
    changes = api.get(f"/emulator/dashboard/changes?delivery={delivery}&seq={seq}").json()
    assert [c["key"] for c in changes["conversations"]] == [landed]
    assert [(m["conversation"], m["body"]) for m in changes["messages"]] == [(landed, "after")]
    assert [d["event_type"] for d in changes["deliveries"]] == ["onMessageAdded"]
    assert changes["cursor"]["delivery"] == int(delivery) + 1 and changes["cursor"]["seq"] > int(seq)


def test_a_replay_sends_the_same_form_freshly_signed(
    emulator: Emulator, api: Api, wired: str, backend: Receiver
) -> None:
    """Replaying a delivery posts its form again with a valid signature, recorded as a new delivery naming the first."""
    emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="hi")
    [original] = emulator.wait_for_deliveries()
    replayed = api.post(f"/emulator/deliveries/{original.number}/replay", {"Token": _token(_page(api))})
    assert replayed.status_code == 201, replayed.text
    assert (replayed.json()["replay_of"], replayed.json()["number"]) == (original.number, original.number + 1)
    first, second = backend.wait(2)
    assert second.form == first.form and second.url == first.url
    validator = RequestValidator(DEFAULT_AUTH_TOKEN)
    assert all(validator.validate(call.url, call.form, call.headers["X-Twilio-Signature"]) for call in (first, second))
    assert second.headers["I-Twilio-Idempotency-Token"] != first.headers["I-Twilio-Idempotency-Token"]
    assert "replay of #1" in _page(api)


def test_a_replay_needs_the_page_token_and_a_recorded_delivery(
    emulator: Emulator, api: Api, wired: str, backend: Receiver
) -> None:
    """A replay without the page's token is refused 403 (another site cannot trigger one); an unknown number is 404."""
    emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="hi")
    emulator.wait_for_deliveries()
    assert error(api.post("/emulator/deliveries/1/replay", {"Token": "guessed"})) == (403, 20403)
    assert error(api.post("/emulator/deliveries/1/replay")) == (403, 20403)
    assert error(api.post("/emulator/deliveries/99/replay", {"Token": _token(_page(api))})) == (404, 20404)
    assert len(backend.requests) == 1, "nothing was sent again"


def test_the_cli_prints_the_dashboard_url(tmp_path: str) -> None:
    """`python -m …emulator` says on stderr where the dashboard is (stdout keeps its one banner line)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pulumi_twilio_conversations.emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        base_url = re.search(r"listening on (\S+)", process.stdout.readline())[1]  # type: ignore[index]
        line = process.stderr.readline()
        assert line.startswith(f"Dashboard: {base_url}/emulator/ "), line
        page = requests.get(f"{base_url}/emulator/", auth=(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN), timeout=10)
        assert page.status_code == 200 and DEFAULT_AUTH_TOKEN not in line
    finally:
        process.terminate()
        process.communicate(timeout=20)


def test_a_delivery_shows_how_long_the_receiver_took(
    emulator: Emulator, api: Api, wired: str, backend: Receiver
) -> None:
    """A receiver that takes 0.3 s to answer shows a delivery of at least 300 ms, and the record says so too."""
    backend.delay = 0.3
    emulator.inbound(from_=CUSTOMER, to=SUPPORT, body="hi")
    [delivery] = emulator.wait_for_deliveries()
    assert 0.3 <= delivery.duration < 5
    took = re.search(r'data-field="duration">(\d+) ms<', _page(api))
    assert took and int(took[1]) >= 300


def test_a_message_shows_its_media_and_delivery_escaped(emulator: Emulator, api: Api, service: str) -> None:
    """A message's file names and delivery summary are on the page, as text."""
    _, receipt = media_message(api, emulator, service, "<img src=x>.gif")
    emulator.set_receipt_status(receipt["sid"], "delivered")
    page = _page(api)
    assert '<td data-field="media">&lt;img src=x&gt;.gif</td>' in page and "<img" not in page
    assert '<td data-field="delivery">1: sent all, delivered all</td>' in page
