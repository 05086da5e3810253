"""State across restarts, the command line (banner, signals, --help, bad flags, console script) and keep-alive."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import requests

from pulumi_twilio_conversations.emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

from emulator_support import Api, error, media_message

MODULE = "pulumi_twilio_conversations.emulator"
SCRIPT = "twilio-conversations-emulator"
BANNER = re.compile(
    r"Twilio Conversations emulator listening on (http://127\.0\.0\.1:(\d+)) \(account (AC[0-9a-f]{32})\)"
)
TIMEOUT = 20


def _rebased(body: Any, old: str, new: str) -> Any:
    """`body` as the emulator at `new` would write it: only the base of url/links differs between runs."""
    return json.loads(json.dumps(body).replace(old, new))


def _as_served_now(answer: Any) -> Any:
    """An answer of the emulator at efaa37b as it is served since: an email binding's address is reported as
    `projected_address`, as Twilio's recorded email conversation reports it (the only change in what it answers)."""
    text = json.dumps(answer).replace('"email": {"address": ', '"email": {"projected_address": ')
    return json.loads(text)


def _snapshot(api: Api, service: str) -> dict[str, Any]:
    return {
        "service": api.get(f"/v1/Services/{service}").json(),
        "configuration": api.get(f"/v1/Services/{service}/Configuration").json(),
        "conversations": api.get(f"/v1/Services/{service}/Conversations").json()["conversations"],
    }


def test_state_survives_a_restart_on_a_new_emulator(tmp_path: Path) -> None:
    """With a state file, a new Emulator finds the same SIDs and fields, and keeps enforcing unique names."""
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as first:
        api = Api(first)
        service = api.post("/v1/Services", {"FriendlyName": "Support"}).json()["sid"]
        conversations = f"/v1/Services/{service}/Conversations"
        api.post(f"/v1/Services/{service}/Configuration", {"ReachabilityEnabled": "true"})
        api.post(
            conversations,
            {
                "FriendlyName": "Desk",
                "UniqueName": "desk",
                "Attributes": '{"tier": 2}',
                "State": "inactive",
                "Timers.Closed": "P1D",
                "Bindings.Email.Address": "help@example.com",
            },
        )
        gone = api.post(conversations, {"FriendlyName": "deleted"}).json()["sid"]
        api.delete(f"{conversations}/{gone}")
        api.post(conversations, {"FriendlyName": "second"})
        before, old_base = _snapshot(api, service), first.base_url
        api.session.close()

    with Emulator(state_file=state) as second:
        api = Api(second)
        assert _snapshot(api, service) == _rebased(before, old_base, second.base_url)
        assert api.get(f"{conversations}/desk").json()["sid"] == before["conversations"][0]["sid"]
        assert error(api.get(f"{conversations}/{gone}")) == (404, 20404)
        assert error(api.post(conversations, {"UniqueName": "desk"})) == (409, 50353)
        api.post(conversations, {"FriendlyName": "third"})
        listed = api.get(conversations).json()["conversations"]
        assert [c["friendly_name"] for c in listed] == ["Desk", "second", "third"], "new ones list after old ones"
        api.session.close()


def test_an_unreadable_state_file_is_refused_clearly(tmp_path: Path) -> None:
    """A file that is not the emulator's state stops start-up with an error naming the file, and is left alone."""
    state = tmp_path / "state.json"
    state.write_text('{"something": "else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="is not an emulator state file"):
        Emulator(state_file=state)
    assert state.read_text(encoding="utf-8") == '{"something": "else"}'


def _env() -> dict[str, str]:
    """The test's environment without TWILIO_*, so the command line's own defaults apply."""
    return {key: value for key, value in os.environ.items() if not key.startswith("TWILIO_")}


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", MODULE, *args], capture_output=True, text=True, timeout=TIMEOUT, env=env or _env()
    )


@contextmanager
def _cli(*args: str) -> Iterator[tuple[subprocess.Popen[str], re.Match[str]]]:
    """The emulator's command line on a free port, with its banner line read (no sleeps: the banner says when)."""
    process = subprocess.Popen(
        [sys.executable, "-m", MODULE, "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], TIMEOUT)
        assert ready, f"no banner within {TIMEOUT}s"
        line = process.stdout.readline().rstrip("\n")
        banner = BANNER.fullmatch(line)
        assert banner, f"unexpected first line {line!r} (exit status {process.poll()})"
        yield process, banner
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=TIMEOUT)


def _stop(process: subprocess.Popen[str], signum: int) -> tuple[int, str]:
    """Send `signum`, wait for the exit; its status and whatever it wrote to stdout after the banner."""
    process.send_signal(signum)
    rest, _ = process.communicate(timeout=TIMEOUT)
    return process.returncode, rest


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_cli_prints_one_banner_serves_and_stops_cleanly(tmp_path: Path, signum: signal.Signals) -> None:
    """`python -m …emulator --port 0` prints one line with its URL and account, serves, and exits 0 on the signal."""
    with _cli("--state-file", str(tmp_path / "state.json")) as (process, banner):
        base_url, port, account = banner.groups()
        assert int(port) > 0 and account == DEFAULT_ACCOUNT_SID
        created = requests.post(
            f"{base_url}/v1/Services", data={"FriendlyName": "Support"}, auth=(account, DEFAULT_AUTH_TOKEN), timeout=10
        )
        assert created.status_code == 201 and created.json()["url"].startswith(base_url)
        assert requests.get(f"{base_url}/v1/Services", timeout=10).status_code == 401
        assert _stop(process, signum) == (0, ""), "exit status 0 and nothing printed after the banner"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base_url}/v1/Services", timeout=10)


def test_the_cli_keeps_state_across_a_restart(tmp_path: Path) -> None:
    """Stopping the command line and starting it again on the same --state-file finds the same service."""
    state = str(tmp_path / "state.json")
    auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
    with _cli("--state-file", state) as (process, banner):
        created = requests.post(f"{banner[1]}/v1/Services", data={"FriendlyName": "Kept"}, auth=auth, timeout=10)
        assert _stop(process, signal.SIGTERM)[0] == 0
    with _cli("--state-file", state) as (process, banner):
        fetched = requests.get(f"{banner[1]}/v1/Services/{created.json()['sid']}", auth=auth, timeout=10)
        assert fetched.json()["friendly_name"] == "Kept"
        assert _stop(process, signal.SIGINT)[0] == 0


def _help_entries(text: str) -> dict[str, str]:
    """--help's option entries: each flag -> its help text, joined across wrapped lines."""
    entries: dict[str, str] = {}
    flag = None
    for line in text.splitlines():
        option = re.match(r"  (?:-\w, )?(--[\w-]+)(.*)", line)
        if option:
            flag = option[1]
            entries[flag] = option[2]
        elif flag and line.startswith("    "):
            entries[flag] += " " + line.strip()
        else:
            flag = None
    return {flag: " ".join(entry.split()) for flag, entry in entries.items()}


def test_help_documents_every_flag_with_its_default() -> None:
    """--help lists every flag the issue names, each with its default, and shows no secret from the environment."""
    finished = _run("--help", env={**_env(), "TWILIO_AUTH_TOKEN": "token-from-env", "TWILIO_API_SECRET": "s3cr3t"})
    assert finished.returncode == 0
    entries = _help_entries(finished.stdout)
    expected = {
        "--host": "127.0.0.1",
        "--port": "8089",
        "--account-sid": DEFAULT_ACCOUNT_SID,
        "--auth-token": DEFAULT_AUTH_TOKEN,
        "--api-key": "$TWILIO_API_KEY",
        "--api-secret": "$TWILIO_API_SECRET",
        "--state-file": "in memory only",
        "--seed": "0",
        "--rate-limit": "0.0",
        "--retry-after": "1.0",
        "--server-error": "0.0",
        "--latency-ms": "0.0",
        "--lost-response": "0.0",
        "--verbose": "off",
    }
    assert set(entries) == {"--help", *expected}
    for flag, default in expected.items():
        assert re.search(rf"\(default: [^)]*{re.escape(default)}[^)]*\)", entries[flag]), (flag, entries[flag])
    assert "token-from-env" not in finished.stdout and "s3cr3t" not in finished.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rate-limit", "2"], "argument --rate-limit: must be a share between 0 and 1, got '2'"),
        (["--lost-response", "-0.5"], "argument --lost-response: must be a share between 0 and 1"),
        (["--server-error", "often"], "argument --server-error: must be a number, got 'often'"),
        (["--latency-ms", "-1"], "argument --latency-ms: must be at least 0"),
        (["--rate-limit", "0.6", "--server-error", "0.6"], "--rate-limit plus --server-error must not exceed 1"),
        (["--port", "http"], "argument --port: invalid int value"),
        (["--account-sid", "AC123"], "account_sid must be 'AC' followed by 32 hex digits"),
    ],
)
def test_an_invalid_flag_exits_2_naming_the_problem(args: list[str], message: str) -> None:
    """A bad flag value stops the command line with status 2 and one clear error line, before it listens."""
    finished = _run(*args, "--port", "0") if "--port" not in args else _run(*args)
    assert finished.returncode == 2 and finished.stdout == ""
    last = finished.stderr.strip().splitlines()[-1]
    assert last.startswith("python -m pulumi_twilio_conversations.emulator: error: ") and message in last, last


def test_the_console_script_is_declared_and_installed() -> None:
    """The installed package declares `twilio-conversations-emulator` (from pyproject), pointing at the command
    line's main, and it runs (on every Python: the metadata is read, not pyproject.toml parsed)."""
    [installed] = entry_points(group="console_scripts", name=SCRIPT)
    assert installed.value == f"{MODULE}.__main__:main" and callable(installed.load())
    script = Path(sys.executable).parent / SCRIPT
    finished = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=TIMEOUT, env=_env())
    assert finished.returncode == 0 and "--state-file" in finished.stdout


def _local_port(response: requests.Response) -> int | None:
    """The client-side port of the TCP connection that carried `response` (None when it was already closed)."""
    connection = response.raw.connection
    return connection.sock.getsockname()[1] if connection is not None and connection.sock is not None else None


def test_sequential_requests_reuse_one_connection(api: Api, conversations_path: str) -> None:
    """Reads, writes, 204s, HEAD and error answers (401, 404, 405, an oversized 400) all keep one connection open."""
    ports: list[int | None] = []
    # a response hook runs before requests reads the body, while the answer still holds its connection
    api.session.hooks["response"].append(lambda response, **_: ports.append(_local_port(response)))
    big = {"Attributes": json.dumps({"x": "y" * 20_000})}
    for number in range(10):
        sid = api.post(conversations_path, {"FriendlyName": str(number)}).json()["sid"]
        assert api.get(f"{conversations_path}/{sid}").status_code == 200
        assert api.post(f"{conversations_path}/{sid}", {"FriendlyName": "x"}).status_code == 200
        assert api.get(conversations_path).status_code == 200
        assert api.post(conversations_path, big).status_code == 400
        assert api.get(f"{conversations_path}/nobody").status_code == 404
        assert api.session.put(api.url(conversations_path), timeout=10).status_code == 405
        assert api.get(conversations_path, auth=("AC" + "f" * 32, "x")).status_code == 401
        assert api.session.head(api.url(conversations_path), timeout=10).status_code == 200
        assert api.delete(f"{conversations_path}/{sid}").status_code == 204
    assert len(ports) == 100 and ports[0] is not None
    assert ports == [ports[0]] * 100, "every answer came back on the first connection"


FIXTURES = Path(__file__).with_name("fixtures")


def test_a_state_file_of_the_emulator_before_its_families_still_loads(tmp_path: Path) -> None:
    """A file written by the emulator at efaa37b serves what that emulator answered, and writes go on from it."""
    state = tmp_path / "state.json"
    state.write_text((FIXTURES / "state_v1.json").read_text(encoding="utf-8"), encoding="utf-8")
    old = json.loads((FIXTURES / "state_v1_answers.json").read_text(encoding="utf-8"))
    with Emulator(state_file=state) as emulator:
        api = Api(emulator)
        for name, answer in old["answers"].items():
            expected = _as_served_now(_rebased(answer, old["base_url"], emulator.base_url))
            assert api.get(old["paths"][name]).json() == expected, name
        conversations = old["paths"]["conversations"]
        desk = api.get(f"{conversations}/desk").json()
        assert desk["sid"] == old["answers"]["conversations"]["conversations"][0]["sid"], "found by its unique name"
        added = api.post(old["paths"]["messages"], {"Author": "alice", "Body": "after the restart"}).json()
        assert added["index"] == 3, "indexes go on after the deleted one, never reused"
        assert error(api.post(conversations, {"UniqueName": "desk"})) == (409, 50353)
        api.session.close()


def test_bindings_media_and_receipts_survive_a_restart(tmp_path: Path) -> None:
    """A binding, a message's media and its receipts (with a moved status) are served alike after a restart."""
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as first:
        api = Api(first)
        service = first.create_service("Support")["sid"]
        binding = first.create_binding(service, "alice", "apn", "CR" + "a" * 32)
        message, receipt = media_message(api, first, service, "dot.gif")
        first.set_receipt_status(receipt["sid"], "undelivered", 30005)
        paths = [binding["url"], message["url"], receipt["url"]]
        before, old_base = [api.get(path).json() for path in paths], first.base_url
        api.session.close()

    with Emulator(state_file=state) as second:
        api = Api(second)
        after = [api.get(path.replace(old_base, second.base_url)).json() for path in paths]
        assert after == _rebased(before, old_base, second.base_url)
        assert after[1]["delivery"]["undelivered"] == "all" and after[2]["error_code"] == 30005
        api.session.close()
