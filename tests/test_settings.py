"""Credentials and endpoint: where they come from, what is refused, and that they are never shown."""

from __future__ import annotations

import pytest

from pulumi_twilio_conversations.errors import SettingsError
from pulumi_twilio_conversations.settings import Settings
from pulumi_twilio_conversations.twilio import TwilioClient

AC = "AC" + "1" * 32
SK = "SK" + "2" * 32
TOKEN = "tok-SENTINEL-8b1f"


def test_stack_config_wins_over_environment() -> None:
    """A `twilio:*` stack config value is used before the TWILIO_* variable."""
    config = {"twilio:accountSid": AC, "twilio:authToken": TOKEN}
    settings = Settings.load(config.get, {"TWILIO_ACCOUNT_SID": "AC" + "9" * 32, "TWILIO_AUTH_TOKEN": "env"})
    assert settings.account_sid == AC and settings.auth == (AC, TOKEN)


def test_environment_is_the_fallback_and_api_keys_authenticate() -> None:
    """With no stack config, TWILIO_* variables are used; an API key and secret replace the token."""
    env = {"TWILIO_ACCOUNT_SID": AC, "TWILIO_API_KEY": SK, "TWILIO_API_SECRET": "s3"}
    assert Settings.load(None, env).auth == (SK, "s3")


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({}, "no Twilio account"),
        ({"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": TOKEN}, "twilio:accountSid must be"),
        ({"TWILIO_ACCOUNT_SID": AC}, "no Twilio credentials"),
        ({"TWILIO_ACCOUNT_SID": AC, "TWILIO_API_KEY": SK}, "apiSecret"),
        ({"TWILIO_ACCOUNT_SID": AC, "TWILIO_AUTH_TOKEN": TOKEN, "TWILIO_REGION": "ie1"}, "needs twilio:edge"),
        (
            {"TWILIO_ACCOUNT_SID": AC, "TWILIO_AUTH_TOKEN": TOKEN, "TWILIO_REGION": "au1", "TWILIO_EDGE": "sydney"},
            "not offered",
        ),
        (
            {
                "TWILIO_ACCOUNT_SID": AC,
                "TWILIO_AUTH_TOKEN": TOKEN,
                "TWILIO_CONVERSATIONS_BASE_URL": "http://10.0.0.5:8089",
            },
            "only for loopback",
        ),
        (
            {"TWILIO_ACCOUNT_SID": AC, "TWILIO_AUTH_TOKEN": TOKEN, "TWILIO_MAX_RETRY_SECONDS": "soon"},
            "number of seconds",
        ),
    ],
)
def test_bad_settings_are_refused_with_the_setting_named(env: dict[str, str], words: str) -> None:
    """Missing or malformed settings fail before any request, naming the setting, never echoing the token."""
    with pytest.raises(SettingsError, match=words) as error:
        Settings.load(None, env)
    assert TOKEN not in str(error.value)


def test_hosts_follow_region_and_edge() -> None:
    """Region and edge select Twilio's regional host; loopback http is allowed for the emulator."""
    base = {"TWILIO_ACCOUNT_SID": AC, "TWILIO_AUTH_TOKEN": TOKEN}
    assert Settings.load(None, base).base_url == "https://conversations.twilio.com"
    regional = Settings.load(None, {**base, "TWILIO_REGION": "ie1", "TWILIO_EDGE": "dublin"})
    assert regional.base_url == "https://conversations.dublin.ie1.twilio.com"
    local = Settings.load(None, {**base, "TWILIO_CONVERSATIONS_BASE_URL": "http://127.0.0.1:8089/"})
    assert local.base_url == "http://127.0.0.1:8089"


def test_secrets_stay_out_of_reprs() -> None:
    """Neither the settings nor the client show a token or API secret when printed."""
    settings = Settings.load(None, {"TWILIO_ACCOUNT_SID": AC, "TWILIO_AUTH_TOKEN": TOKEN})
    keyed = Settings.load(None, {"TWILIO_ACCOUNT_SID": AC, "TWILIO_API_KEY": SK, "TWILIO_API_SECRET": TOKEN})
    for text in (repr(settings), str(settings), repr(keyed), repr(TwilioClient(settings))):
        assert TOKEN not in text
