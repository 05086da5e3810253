"""Changes made to Twilio outside Pulumi (the console, another script), for drift and adoption tests."""

from __future__ import annotations

import requests

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator


class OutsidePulumi:
    """Changes made to Twilio by someone else (the console, another script): plain HTTP to the emulator."""

    def __init__(self, emulator: Emulator) -> None:
        self.base_url = emulator.base_url
        self.session = requests.Session()
        self.session.auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)

    def call(self, method: str, path: str, **form: str) -> requests.Response:
        response = self.session.request(method, self.base_url + path, data=form or None, timeout=10)
        response.raise_for_status()
        return response
