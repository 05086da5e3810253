"""The dashboard in a real browser: Chromium (the distribution's package) driven by Playwright, through the
demo's flow: the page loads, an inbound message sent from its form appears in its conversation without a
reload, a replayed delivery reaches the receiver freshly signed, and an injected script stays text.

Chromium comes from `make browser` (apt-get), never from `playwright install`. Without it the test fails
under CI=true and skips elsewhere, saying why.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from twilio.request_validator import RequestValidator

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

from emulator_support import Api, wire_inbound

pytestmark = pytest.mark.browser

# README's picture, rewritten when UPDATE_SCREENSHOTS=1 (otherwise the test's screenshot goes to its tmp_path,
# so a run leaves the checkout as it was)
SCREENSHOT = Path(__file__).parents[2] / "docs" / "images" / "emulator-dashboard.png"
CUSTOMER, SUPPORT = "+15550001111", "+15559990000"
INJECTED = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def _unavailable(why: str) -> None:
    """A missing browser fails the run in CI (the test must run there) and skips it elsewhere."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{why}: the dashboard's browser test must run in CI (`make browser` installs Chromium)")
    pytest.skip(f"{why} (`make browser` installs Chromium; CI=true turns this skip into a failure)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium from the system's packages, launched by Playwright (whose own download is never used)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (the `test` extra has it)")
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(executable, os.X_OK):
        _unavailable("no chromium on PATH nor at /usr/bin/chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, emulator: Emulator) -> Iterator[Any]:
    """A fresh browser context signed in to the emulator with Basic auth, as a user answering the prompt."""
    context = browser.new_context(
        http_credentials={"username": DEFAULT_ACCOUNT_SID, "password": DEFAULT_AUTH_TOKEN},
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_the_demo_flow_in_a_browser(emulator: Emulator, api: Api, service: str, page: Any, tmp_path: Path) -> None:
    """Load the page; an SMS sent from its form shows in its conversation live; Replay re-sends the delivery with a
    second valid signature; a `<script>` body renders as text and never runs (live and after a reload)."""
    from playwright.sync_api import expect

    with emulator.receiver() as backend:
        wire_inbound(api, service, address=SUPPORT, post_url=backend.url, filters=["onMessageAdded"])
        page.goto(emulator.dashboard_url)
        expect(page.get_by_role("heading", name="Twilio Conversations emulator")).to_be_visible()
        expect(page.locator("#live")).to_contain_text("live · updated")
        page.evaluate("window.__loaded = 'once'")  # gone if the page reloaded

        _send(page, "where is my parcel?")
        expect(page.locator("#inbound-result")).to_contain_text("landed in CH")
        conversation = page.locator("#inbound-result").text_content().split()[-1]
        card = page.locator(f'#conversations article[data-key="{conversation}"]')
        expect(card.locator("td.body")).to_have_text(["where is my parcel?"])
        expect(card.locator('[data-field="participants"]')).to_have_text(f"{CUSTOMER} via {SUPPORT}")

        delivery = page.locator("#deliveries tbody tr").filter(has_text="onMessageAdded")
        expect(delivery).to_have_count(1)
        expect(delivery).to_contain_text("200 delivered")
        delivery.get_by_role("button", name="Replay").click()
        expect(page.locator("#deliveries tbody tr").filter(has_text="replay of #1")).to_have_count(1)
        first, second = backend.wait(2)
        validator = RequestValidator(DEFAULT_AUTH_TOKEN)
        assert second.form == first.form and second.form["Body"] == "where is my parcel?"
        assert validator.validate(second.url, second.form, second.headers["X-Twilio-Signature"])
        assert validator.validate(first.url, first.form, first.headers["X-Twilio-Signature"])

        _send(page, INJECTED)
        expect(card.locator("td.body").first).to_have_text(INJECTED)
        assert page.evaluate("window.__loaded") == "once", "everything above arrived without a reload"
        assert page.evaluate("window.__pwned") is None, "the injected body did not run"
        page.locator("#deliveries tbody tr details").first.evaluate("details => { details.open = true }")
        screenshot = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path / SCREENSHOT.name
        page.screenshot(path=str(screenshot), full_page=True)
        assert screenshot.read_bytes().startswith(b"\x89PNG")

        page.reload()
        expect(card.locator("td.body")).to_have_text([INJECTED, "where is my parcel?"])
        assert page.evaluate("window.__pwned") is None, "the server-rendered body did not run either"


def _send(page: Any, body: str) -> None:
    """Fill the inbound form as a user would and press Send."""
    form = page.locator("#inbound")
    form.get_by_label("To").fill(SUPPORT)
    form.get_by_label("Body").fill(body)
    form.get_by_role("button", name="Send").click()
