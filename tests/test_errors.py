"""The exception tree: each class raised the way a user meets it, through the real client and the emulator."""

from __future__ import annotations

import copy
import pickle
import re
import socket
from collections.abc import Callable

import pytest

import pulumi_twilio_conversations as package
from pulumi_twilio_conversations import errors
from pulumi_twilio_conversations.conversation import ConversationProvider
from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator, Faults
from pulumi_twilio_conversations.errors import (
    AdoptError,
    AdoptNotFoundError,
    AmbiguousWriteError,
    LostResponseError,
    NotFoundError,
    ServerWriteError,
    SettingsError,
    TwilioApiError,
    TwilioConnectionError,
    TwilioError,
    TwilioRequestError,
)
from pulumi_twilio_conversations.service import ConversationServiceProvider
from pulumi_twilio_conversations.settings import Settings
from pulumi_twilio_conversations.twilio import RetryPolicy, TwilioClient

from harness import ProviderError, ProviderServer

pytestmark = pytest.mark.sdk

SERVICES = "/v1/Services"


def _client(base_url: str, token: str = DEFAULT_AUTH_TOKEN, read_timeout: float = 30.0) -> TwilioClient:
    settings = Settings(DEFAULT_ACCOUNT_SID, token, base_url_override=base_url)
    return TwilioClient(settings, retry=RetryPolicy(max_elapsed=0.3, base_delay=0.01), timeout=(5.0, read_timeout))


@pytest.fixture
def closed_port_url() -> str:
    """An http URL on loopback where nothing listens (the port was just free)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def in_process(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """Providers called in this process find the emulator through the TWILIO_* variables."""
    for name, value in emulator.client_env().items():
        monkeypatch.setenv(name, value)


def _raised(call: Callable[[], object]) -> TwilioError:
    with pytest.raises(TwilioError) as caught:
        call()
    return caught.value


def test_the_tree_in_the_docstring_is_the_real_hierarchy() -> None:
    """Every class drawn in errors.py's tree exists there, under the parent it is drawn under, and is exported."""
    drawn: dict[str, tuple[int, bool]] = {}  # name: (depth, marked *)
    for line in (errors.__doc__ or "").splitlines():
        match = re.match(r"^    ((?:[│ ]   |[├└]── )*)(\w+Error)( \*)?", line)
        if match:
            drawn[match[2]] = (len(match[1]) // 4, bool(match[3]))
    defined = {
        name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, TwilioError)
    }
    assert set(drawn) == defined
    parents: list[str] = []
    for name, (depth, ambiguous) in drawn.items():
        del parents[depth:]
        cls = getattr(errors, name)
        if parents:
            assert cls.__bases__[0] is getattr(errors, parents[-1]), name
        assert issubclass(cls, AmbiguousWriteError) == (ambiguous or cls is AmbiguousWriteError), name
        assert getattr(package, name) is cls and name in package.__all__
        parents.append(name)


def test_a_refused_connection_is_a_connection_error_not_http_0(closed_port_url: str) -> None:
    """Nothing listening: TwilioConnectionError with sent=False, no status, no 'HTTP 0', the settings to check."""
    error = _raised(lambda: _client(closed_port_url).get(SERVICES))
    assert type(error) is TwilioConnectionError and not error.sent
    assert not isinstance(error, TwilioApiError) and not hasattr(error, "status")
    assert "HTTP 0" not in str(error) and "Connection refused" in str(error)
    assert "nothing was sent" in str(error) and "twilio:conversationsBaseUrl" in str(error)
    assert str(error).endswith("(twilio:maxRetrySeconds sets the limit)")


def test_pulumi_up_against_a_closed_port_says_it_never_reached_twilio(
    closed_port_url: str, start_provider: Callable[..., ProviderServer]
) -> None:
    """Through the provider, an unreachable endpoint reads as such (not 'HTTP 0'), naming the setting to check."""
    provider = start_provider(TWILIO_CONVERSATIONS_BASE_URL=closed_port_url, TWILIO_MAX_RETRY_SECONDS="0.3")
    inputs, _ = provider.check(None, {"chat_service_sid": f"IS{'0' * 32}", "friendly_name": "x"})
    with pytest.raises(ProviderError, match=r"could not reach Twilio .*nothing was sent") as error:
        provider.create(inputs)
    assert "twilio:conversationsBaseUrl" in str(error.value) and "HTTP 0" not in str(error.value)


def test_a_create_that_never_left_is_not_in_doubt(closed_port_url: str) -> None:
    """A create POST that could not connect is retried and reported as never sent, not as an ambiguous write."""
    error = _raised(lambda: _client(closed_port_url).post(SERVICES, {"FriendlyName": "x"}, idempotent=False))
    assert type(error) is TwilioConnectionError and not error.sent
    assert not isinstance(error, AmbiguousWriteError)


def test_a_read_that_timed_out_may_have_arrived_but_is_no_write(emulator: Emulator) -> None:
    """A GET with no answer in time: TwilioConnectionError with sent=True, not an AmbiguousWriteError."""
    emulator.faults = Faults(latency=0.3)
    error = _raised(lambda: _client(emulator.base_url, read_timeout=0.05).get(SERVICES))
    assert type(error) is TwilioConnectionError and error.sent
    assert "got no answer (none within 0.05 s: ReadTimeout)" in str(error)


def test_a_lost_create_answer_is_an_ambiguous_connection_error(emulator: Emulator) -> None:
    """A create whose answer is lost after Twilio applied it: LostResponseError, an AmbiguousWriteError, no status."""
    emulator.faults = Faults(lost_response=1.0)
    error = _raised(lambda: _client(emulator.base_url).post(SERVICES, {"FriendlyName": "x"}, idempotent=False))
    assert type(error) is LostResponseError and isinstance(error, AmbiguousWriteError)
    assert isinstance(error, TwilioConnectionError) and error.sent and not isinstance(error, TwilioApiError)
    assert "may or may not have applied it" in str(error)
    assert [service["friendly_name"] for service in emulator.services()] == ["x"]  # it was applied


def test_a_create_answered_5xx_is_an_ambiguous_api_error(emulator: Emulator) -> None:
    """A create answered 500/503: ServerWriteError, both an AmbiguousWriteError and a TwilioApiError with its code."""
    emulator.faults = Faults(server_error=1.0)
    error = _raised(lambda: _client(emulator.base_url).post(SERVICES, {"FriendlyName": "x"}, idempotent=False))
    assert type(error) is ServerWriteError and isinstance(error, AmbiguousWriteError)
    assert (error.status, error.code) in ((500, 20500), (503, 20503))
    assert "may or may not have applied it" in str(error) and emulator.services() == []


def test_a_refusal_is_an_api_error_with_twilios_fields(emulator: Emulator) -> None:
    """A 400 is a plain TwilioApiError carrying status, Twilio's code, message and more_info."""
    error = _raised(lambda: _client(emulator.base_url).post(SERVICES, {"FriendlyName": "x" * 257}))
    assert type(error) is TwilioApiError
    assert (error.status, error.code, error.more_info) == (400, 50003, "https://www.twilio.com/docs/errors/50003")
    assert "failed with HTTP 400 (Twilio error 50003): FriendlyName is too long" in str(error)


def test_wrong_credentials_say_which_settings_to_check(emulator: Emulator) -> None:
    """A 401 names the credential settings to check, and never the token."""
    error = _raised(lambda: _client(emulator.base_url, token="wrong-s3cr3t").get(SERVICES))
    assert type(error) is TwilioApiError and (error.status, error.code) == (401, 20003)
    assert "twilio:authToken" in str(error) and "wrong-s3cr3t" not in str(error) + repr(error)


def test_a_missing_resource_is_a_not_found_error(emulator: Emulator) -> None:
    """A 404 is a NotFoundError (code 20404)."""
    error = _raised(lambda: _client(emulator.base_url).get(f"{SERVICES}/IS{'0' * 32}"))
    assert type(error) is NotFoundError and (error.status, error.code) == (404, 20404)


@pytest.mark.parametrize("faults", [Faults(lost_response=1.0), Faults(server_error=1.0)], ids=["lost", "5xx"])
def test_a_hint_keeps_the_class_and_fields(emulator: Emulator, faults: Faults) -> None:
    """with_hint returns the same class with the same fields, its message ending with the hint."""
    emulator.faults = faults
    error = _raised(lambda: _client(emulator.base_url).post(SERVICES, {"FriendlyName": "x"}, idempotent=False))
    assert isinstance(error, TwilioRequestError)
    hinted = error.with_hint("Check the service before retrying")
    assert type(hinted) is type(error) and isinstance(hinted, AmbiguousWriteError)
    assert vars(hinted) == {**vars(error), "hint": "Check the service before retrying"}
    assert str(hinted) == f"{error}. Check the service before retrying"


def test_a_hinted_not_found_is_still_not_found(emulator: Emulator) -> None:
    """A NotFoundError given a hint can still be caught as NotFoundError (it used to become a plain API error)."""
    error = _raised(lambda: _client(emulator.base_url).get(f"{SERVICES}/IS{'0' * 32}"))
    assert isinstance(error, NotFoundError)
    with pytest.raises(NotFoundError, match=r"HTTP 404.*\. Look elsewhere$"):
        raise error.with_hint("Look elsewhere")


def test_request_errors_survive_copy_and_pickle(emulator: Emulator) -> None:
    """An error copied or pickled (as a worker pool does) keeps its class, fields and message."""
    error = _raised(lambda: _client(emulator.base_url).get(f"{SERVICES}/IS{'0' * 32}"))
    for clone in (copy.copy(error), pickle.loads(pickle.dumps(error))):
        assert type(clone) is NotFoundError and vars(clone) == vars(error) and str(clone) == str(error)


@pytest.mark.usefixtures("in_process")
def test_adopting_a_missing_conversation_is_an_adopt_not_found_error(emulator: Emulator, service: str) -> None:
    """Adopting a conversation that does not exist: AdoptNotFoundError naming adopt, no made-up HTTP 404."""
    error = _raised(lambda: ConversationProvider().create({"chat_service_sid": service, "adopt": "ghost"}))
    assert type(error) is AdoptNotFoundError and isinstance(error, AdoptError)
    assert str(error).startswith(f"adopt: there is no conversation 'ghost' in {service}; nothing was created")
    assert "HTTP" not in str(error) and emulator.counters.writes() == 0


@pytest.mark.usefixtures("in_process")
def test_adopting_a_missing_service_is_an_adopt_not_found_error(emulator: Emulator) -> None:
    """Adopting a service that does not exist: the same AdoptNotFoundError as for a conversation."""
    missing = f"IS{'0' * 32}"
    error = _raised(lambda: ConversationServiceProvider().create({"friendly_name": "S", "adopt": missing}))
    assert type(error) is AdoptNotFoundError
    assert str(error).startswith(f"adopt: there is no Conversation Service {missing}; nothing was created")
    assert emulator.counters.writes() == 0


@pytest.mark.usefixtures("in_process")
def test_adopting_a_service_under_another_name_is_an_adopt_error(emulator: Emulator) -> None:
    """A service that exists under another friendly_name cannot be adopted (no rename): AdoptError, nothing written."""
    existing = emulator.create_service("Support")["sid"]
    emulator.counters.reset()
    error = _raised(lambda: ConversationServiceProvider().create({"friendly_name": "Sales", "adopt": existing}))
    assert type(error) is AdoptError and "declare friendly_name='Support'" in str(error)
    assert emulator.counters.writes() == 0


def test_malformed_settings_are_a_settings_error() -> None:
    """A malformed account SID is a SettingsError naming the setting, before any request."""
    error = _raised(lambda: Settings.load(environ={"TWILIO_ACCOUNT_SID": "AC-nope", "TWILIO_AUTH_TOKEN": "t"}))
    assert type(error) is SettingsError and "twilio:accountSid" in str(error)
