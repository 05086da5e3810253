"""The package as a user gets it: the wheel and the sdist that `python -m build` makes, installed into a
fresh virtualenv (not the source tree), running the quickstart through the real `pulumi` command."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from email.parser import HeaderParser
from importlib.metadata import version
from pathlib import Path

import pytest
import requests
from packaging.requirements import Requirement

from workspace import REPO, pulumi_dir

pytestmark = pytest.mark.sdk

PACKAGE = "pulumi_twilio_conversations"
VERSION = version("pulumi-twilio-conversations")  # what pip read from pyproject.toml, the one place it is set
SCRIPTS = ("pulumi-twilio-conversations", "twilio-conversations-emulator")
AUTH_TOKEN = "dist-test-token"

StartEmulator = Callable[[Path], tuple[str, str]]


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and the wheel, the wheel built from the sdist (as `python -m build` does), so a file
    missing from the sdist fails here too."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], check=True, capture_output=True, timeout=600
    )
    [wheel] = out.glob("*.whl")
    [sdist] = out.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def _headers(text: str) -> dict[str, list[str]]:
    headers = HeaderParser().parsestr(text)
    return {key: headers.get_all(key, []) for key in ("Version", "Requires-Dist")}


def _wheel_metadata(wheel: Path) -> dict[str, list[str]]:
    with zipfile.ZipFile(wheel) as archive:
        return _headers(archive.read(f"{PACKAGE}-{VERSION}.dist-info/METADATA").decode())


def _sdist_metadata(sdist: Path) -> dict[str, list[str]]:
    with tarfile.open(sdist) as archive:
        pkg_info = archive.extractfile(f"{PACKAGE}-{VERSION}/PKG-INFO")
        assert pkg_info is not None
        return _headers(pkg_info.read().decode())


def _pulumi_requirement(metadata: Mapping[str, list[str]]) -> Requirement:
    [requirement] = [Requirement(r) for r in metadata["Requires-Dist"] if Requirement(r).name == "pulumi"]
    return requirement


def _package_files() -> list[Path]:
    """The package's files in the source tree: its modules, the py.typed marker, and pulumi-plugin.json (which
    tells the Python language host that the package needs no resource plugin of its own)."""
    root = REPO / "provider" / PACKAGE
    return [*root.rglob("*.py"), root / "py.typed", root / "pulumi-plugin.json"]


def test_the_wheel_holds_the_package_and_its_marker_but_no_tests(dists: dict[str, Path]) -> None:
    """The wheel installs only the package (with py.typed, the emulator and both console scripts), never tests."""
    info = f"{PACKAGE}-{VERSION}.dist-info"
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = wheel.namelist()
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    assert {name.split("/")[0] for name in names} == {PACKAGE, info}
    assert {f"{PACKAGE}/py.typed", f"{PACKAGE}/pulumi-plugin.json", f"{PACKAGE}/emulator/__main__.py"} <= set(names)
    assert not [name for name in names if re.search(r"(^|/)(tests?/|conftest\.py$|test_)", name)]
    assert all(re.search(rf"^{script} = ", entry_points, re.MULTILINE) for script in SCRIPTS)
    assert _wheel_metadata(dists["wheel"])["Version"] == [VERSION]


def test_the_sdist_holds_what_a_rebuild_and_a_reader_need(dists: dict[str, Path]) -> None:
    """The sdist has the README, the changelog, pyproject.toml and every file of the package (py.typed too),
    and no stray test modules (they would not run without the conftest and harness)."""
    top = f"{PACKAGE}-{VERSION}"
    with tarfile.open(dists["sdist"]) as sdist:
        names = set(sdist.getnames())
    sources = {f"provider/{PACKAGE}/{path.relative_to(REPO / 'provider' / PACKAGE)}" for path in _package_files()}
    assert {f"{top}/{name}" for name in {"README.md", "CHANGELOG.md", "pyproject.toml", *sources}} <= names
    assert not [name for name in names if name.startswith(f"{top}/tests")]
    assert _sdist_metadata(dists["sdist"])["Version"] == [VERSION]


def test_the_sdk_is_a_range_that_admits_the_sdk_tested_here(dists: dict[str, Path]) -> None:
    """Both artifacts accept a range of Pulumi SDKs below 4, not one pin, and the SDK this suite runs on is in it."""
    specifier = _pulumi_requirement(_wheel_metadata(dists["wheel"])).specifier
    assert specifier == _pulumi_requirement(_sdist_metadata(dists["sdist"])).specifier
    assert specifier.contains(version("pulumi")) and not specifier.contains("4.0.0")
    assert not any(spec.operator in ("==", "===", "~=") for spec in specifier)


@pytest.fixture
def emulator_from() -> Iterator[StartEmulator]:
    """Start the installed `twilio-conversations-emulator` of a venv; yields a starter, stops it at the end."""
    processes: list[subprocess.Popen[str]] = []

    def start(bin_dir: Path) -> tuple[str, str]:
        process = subprocess.Popen(
            [str(bin_dir / "twilio-conversations-emulator"), "--port", "0", "--auth-token", AUTH_TOKEN],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        processes.append(process)
        assert process.stdout is not None
        banner = process.stdout.readline()
        found = re.search(r"listening on (http://\S+) \(account (AC[0-9a-f]{32})\)", banner)
        assert found, banner
        return found[1], found[2]

    try:
        yield start
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_a_fresh_venv_runs_the_quickstart_from_the_installed_package(
    kind: str, dists: dict[str, Path], tmp_path: Path, emulator_from: StartEmulator
) -> None:
    """`pip install <wheel or sdist>[emulator]` in a new venv, then the quickstart's preview, up, no-op up and
    destroy through `pulumi`, against the emulator that the same install brought."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(REPO / "Pulumi.yaml", project)
    shutil.copytree(REPO / "examples" / "quickstart", project / "examples" / "quickstart")
    venv = project / ".venv"  # where Pulumi.yaml's `virtualenv` points
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    bin_dir = venv / "bin"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "PULUMI_", "PYTHON", "VIRTUAL_ENV"))}
    # Only the new venv and the pulumi toolchain on PATH: nothing can fall back to the source tree's venv.
    env = {**clean, "PATH": f"{pulumi_dir()}{os.pathsep}{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin"}
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, f"{dists[kind]}[emulator]"], check=True, env=env, timeout=600, capture_output=True)

    imported = subprocess.run(
        [str(bin_dir / "python"), "-c", f"import {PACKAGE}; print({PACKAGE}.__file__)"],
        cwd=tmp_path, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    assert Path(imported).is_relative_to(venv) and "site-packages" in imported
    shown = subprocess.run(
        [str(bin_dir / "pulumi-twilio-conversations"), "--version"], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert shown.strip() == f"pulumi-twilio-conversations {VERSION}"

    base_url, account = emulator_from(bin_dir)
    env |= {
        "PULUMI_HOME": str(tmp_path / "home"),
        "PULUMI_BACKEND_URL": f"file://{tmp_path / 'state'}",
        "PULUMI_CONFIG_PASSPHRASE": "",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }
    (tmp_path / "state").mkdir()

    def pulumi(*args: str) -> str:
        run = subprocess.run(
            ["pulumi", *args, "--non-interactive"], cwd=project, env=env, capture_output=True, text=True, timeout=600
        )
        assert run.returncode == 0, f"pulumi {' '.join(args)} exited {run.returncode}:\n{run.stdout}{run.stderr}"
        return run.stdout

    pulumi("stack", "init", "dev")
    pulumi("config", "set", "twilio:accountSid", account)
    pulumi("config", "set", "--secret", "twilio:authToken", AUTH_TOKEN)
    pulumi("config", "set", "twilio:conversationsBaseUrl", base_url)
    preview = pulumi("preview", "--diff")
    assert "+ 3 to create" in preview
    assert "pulumi-resource-twilio-conversations" not in preview  # a Python program needs no plugin of ours
    pulumi("up", "--yes")
    outputs = json.loads(pulumi("stack", "output", "--json"))
    assert outputs["conversation_state"] == "active"
    remote = requests.get(
        f"{base_url}/v1/Services/{outputs['service_sid']}/Conversations/{outputs['conversation_sid']}",
        auth=(account, AUTH_TOKEN),
        timeout=10,
    )
    assert remote.status_code == 200 and remote.json()["unique_name"] == "triage"
    pulumi("up", "--yes", "--expect-no-changes")
    pulumi("destroy", "--yes")
    assert requests.get(f"{base_url}/v1/Services", auth=(account, AUTH_TOKEN), timeout=10).json()["services"] == []
