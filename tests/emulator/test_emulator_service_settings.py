"""A service's webhook and push-notification settings, driven through Twilio's official SDK."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from twilio.rest import Client

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import Api, error, raised


def test_webhook_settings_of_a_new_service_are_twilios_defaults(client: Client, service: str) -> None:
    """A service never configured has no webhook URLs, no filters and no method: all null, as Twilio's example of it."""
    webhooks = client.conversations.v1.services(service).configuration.webhooks().fetch()
    assert (webhooks.pre_webhook_url, webhooks.post_webhook_url, webhooks.filters) == (None, None, None)
    assert webhooks.method is None and webhooks.chat_service_sid == service


def test_webhook_settings_update_changes_only_what_was_sent(client: Client, service: str) -> None:
    """Repeated Filters become the list; a later update of Method alone leaves URLs and filters as they were."""
    settings = client.conversations.v1.services(service).configuration.webhooks()
    settings.update(
        pre_webhook_url="https://hooks.example.com/pre",
        post_webhook_url="https://hooks.example.com/post",
        filters=["onMessageAdded", "onConversationRemoved"],
    )
    updated = settings.update(method="get")
    assert updated.method == "GET"
    assert updated.filters == ["onMessageAdded", "onConversationRemoved"]
    fetched = settings.fetch()
    assert (fetched.pre_webhook_url, fetched.post_webhook_url) == (
        "https://hooks.example.com/pre",
        "https://hooks.example.com/post",
    )
    assert (fetched.method, fetched.filters) == ("GET", ["onMessageAdded", "onConversationRemoved"])


def test_an_empty_webhook_url_clears_it(client: Client, service: str) -> None:
    """Sending PreWebhookUrl empty removes the pre-event webhook; the post-event one stays."""
    settings = client.conversations.v1.services(service).configuration.webhooks()
    settings.update(pre_webhook_url="https://hooks.example.com/pre", post_webhook_url="https://hooks.example.com/post")
    cleared = settings.update(pre_webhook_url="")
    assert (cleared.pre_webhook_url, cleared.post_webhook_url) == (None, "https://hooks.example.com/post")


def test_settings_can_be_put_back_to_the_defaults(api: Api, service: str) -> None:
    """Empty URLs, an empty Filters, Method=POST and empty templates give back a never-configured service's answers."""
    webhooks = f"/v1/Services/{service}/Configuration/Webhooks"
    notifications = f"/v1/Services/{service}/Configuration/Notifications"
    defaults = [api.get(webhooks).json(), api.get(notifications).json()]
    api.post(webhooks, {"PreWebhookUrl": "https://h.example/pre", "Filters": ["onMessageAdded"], "Method": "GET"})
    api.post(notifications, {"NewMessage.Enabled": "true", "NewMessage.Template": "t", "NewMessage.Sound": "s"})
    reset = {"PreWebhookUrl": "", "PostWebhookUrl": "", "Filters": "", "Method": "POST"}
    assert api.post(webhooks, reset).json() == defaults[0]
    cleared = {"NewMessage.Enabled": "false", "NewMessage.Template": "", "NewMessage.Sound": ""}
    assert api.post(notifications, cleared).json() == defaults[1]


def test_a_webhook_method_other_than_get_or_post_is_refused(client: Client, service: str) -> None:
    """Method=PUT is a 400 / 20001 and changes nothing."""
    settings = client.conversations.v1.services(service).configuration.webhooks()
    refused = raised(lambda: settings.update(method="PUT"))
    assert (refused.status, refused.code) == (400, 20001)
    assert settings.fetch().method is None


def test_notifications_of_a_new_service_are_all_off(client: Client, service: str) -> None:
    """Every push notification kind, badge counts and logging are off, with no template or sound."""
    notifications = client.conversations.v1.services(service).configuration.notifications().fetch()
    assert notifications.log_enabled is False
    assert notifications.new_message == {
        "enabled": False,
        "template": None,
        "sound": None,
        "badge_count_enabled": False,
        "with_media": {"enabled": False, "template": None},
    }
    for kind in (notifications.added_to_conversation, notifications.removed_from_conversation):
        assert kind == {"enabled": False, "template": None, "sound": None}


def test_notifications_update_sets_each_field_and_keeps_the_others(client: Client, service: str) -> None:
    """Every NewMessage.*, AddedToConversation.*, RemovedFromConversation.*, WithMedia.* and LogEnabled field lands."""
    settings = client.conversations.v1.services(service).configuration.notifications()
    settings.update(
        log_enabled=True,
        new_message_enabled=True,
        new_message_template="${PARTICIPANT}: ${MESSAGE}",
        new_message_sound="ring",
        new_message_badge_count_enabled=True,
        new_message_with_media_enabled=True,
        new_message_with_media_template="${MEDIA_COUNT} files",
        added_to_conversation_enabled=True,
        added_to_conversation_template="added to ${CONVERSATION}",
        added_to_conversation_sound="chime",
        removed_from_conversation_enabled=True,
        removed_from_conversation_template="removed from ${CONVERSATION}",
        removed_from_conversation_sound="bell",
    )
    settings.update(removed_from_conversation_enabled=False)
    fetched = settings.fetch()
    assert fetched.log_enabled is True
    assert fetched.new_message == {
        "enabled": True,
        "template": "${PARTICIPANT}: ${MESSAGE}",
        "sound": "ring",
        "badge_count_enabled": True,
        "with_media": {"enabled": True, "template": "${MEDIA_COUNT} files"},
    }
    assert fetched.added_to_conversation == {"enabled": True, "template": "added to ${CONVERSATION}", "sound": "chime"}
    assert fetched.removed_from_conversation == {
        "enabled": False,
        "template": "removed from ${CONVERSATION}",
        "sound": "bell",
    }


def test_a_notification_flag_that_is_not_a_boolean_is_refused(api: Api, service: str) -> None:
    """NewMessage.Enabled=yes is a 400 / 20001 naming the field."""
    refused = api.post(f"/v1/Services/{service}/Configuration/Notifications", {"NewMessage.Enabled": "yes"})
    assert error(refused) == (400, 20001) and "NewMessage.Enabled" in refused.json()["message"]


def test_settings_of_a_missing_service_are_not_found(client: Client) -> None:
    """Webhook and notification settings of a service that does not exist are 404 / 20404."""
    missing = client.conversations.v1.services("IS" + "0" * 32).configuration
    for call in (missing.webhooks().fetch, missing.notifications().fetch, lambda: missing.webhooks().update()):
        answer = raised(call)
        assert (answer.status, answer.code) == (404, 20404)


def test_settings_are_kept_in_the_state_file(tmp_path: Path) -> None:
    """Webhook and notification settings survive a restart on the same state file."""
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as first:
        sid = first.create_service("Support")["sid"]
        api = Api(first)
        api.post(f"/v1/Services/{sid}/Configuration/Webhooks", {"Filters": ["onMessageAdded"], "Method": "GET"})
        api.post(f"/v1/Services/{sid}/Configuration/Notifications", {"NewMessage.Sound": "ring"})
        before = [api.get(f"/v1/Services/{sid}/Configuration/{part}").json() for part in ("Webhooks", "Notifications")]
    with Emulator(state_file=state) as second:
        api = Api(second)
        after = [api.get(f"/v1/Services/{sid}/Configuration/{part}").json() for part in ("Webhooks", "Notifications")]
    strip = [{key: value for key, value in body.items() if key != "url"} for body in before]
    assert [{key: value for key, value in body.items() if key != "url"} for body in after] == strip
    assert after[0]["filters"] == ["onMessageAdded"] and after[1]["new_message"]["sound"] == "ring"


@pytest.mark.parametrize(
    "url", ["r", "J\x14", "hooks.example.com/pre", "ftp://hooks.example.com", "http://a b.example", "http://[::1"]
)
def test_a_webhook_url_that_is_not_an_absolute_http_url_is_refused(api: Api, service: str, url: str) -> None:
    """Regression (found by the fuzzer): PreWebhookUrl=r was stored and answered back, breaking the spec's `uri`."""
    path = f"/v1/Services/{service}/Configuration/Webhooks"
    refused = api.post(path, {"PreWebhookUrl": url})
    assert error(refused) == (400, 20001) and "PreWebhookUrl" in refused.json()["message"]
    assert api.get(path).json()["pre_webhook_url"] is None


def test_a_configuration_without_method_has_post_and_sends_with_it(emulator: Emulator, api: Api, service: str) -> None:
    """A URL set without Method: the method is POST, Twilio's default, and the events are sent with it."""
    webhooks = f"/v1/Services/{service}/Configuration/Webhooks"
    with emulator.receiver() as backend:
        answer = api.post(webhooks, {"PostWebhookUrl": backend.url, "Filters": ["onConversationAdded"]}).json()
        assert (answer["post_webhook_url"], answer["method"]) == (backend.url, "POST")
        api.post(f"/v1/Services/{service}/Conversations", {}, headers={"X-Twilio-Webhook-Enabled": "true"})
        [call] = backend.wait(1)
    assert (call.method, call.form["EventType"]) == ("POST", "onConversationAdded")
    emptied = api.post(webhooks, {"PostWebhookUrl": "", "Filters": ""}).json()
    assert (emptied["filters"], emptied["method"]) == (None, None), "back to the defaults: never configured again"


def test_a_never_configured_service_from_an_older_state_file_reads_null(tmp_path: Path) -> None:
    """A state file from when the emulator answered `"method": "POST"` for a new service loads as never configured."""
    state = tmp_path / "state.json"
    fixtures = Path(__file__).with_name("fixtures")
    state.write_text((fixtures / "state_v1.json").read_text(encoding="utf-8"), encoding="utf-8")
    path = json.loads((fixtures / "state_v1_answers.json").read_text(encoding="utf-8"))["paths"]["fresh_webhooks"]
    with Emulator(state_file=state) as emulator:
        api = Api(emulator)
        answer = api.get(path).json()
        api.session.close()
    assert {key: answer[key] for key in ("pre_webhook_url", "post_webhook_url", "filters", "method")} == dict.fromkeys(
        ("pre_webhook_url", "post_webhook_url", "filters", "method")
    )
