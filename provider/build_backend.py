"""The package's build backend: setuptools, with Pulumi's plugin manifest in editable installs too.

The Pulumi Python language host decides whether an installed `pulumi-*` package needs a resource plugin by
reading `<location>/<module>/pulumi-plugin.json`, `<location>` being where `pip list -v` says the package is:
site-packages. A wheel puts the package's manifest there (`"resource": false`: no plugin for Python programs).
An editable install puts only a `.pth` file there, pointing at provider/, so the host found no manifest, took
the package for the resource plugin `twilio-conversations`, and every `pulumi` command of a Python program
warned that it was "using pulumi-resource-twilio-conversations from $PATH". The editable wheel built here also
carries the manifest at that place. The directory it lands in holds no `__init__.py`, so it is at most a
namespace portion: the import system still takes the package from provider/ (PEP 420).
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (every other hook is setuptools' own)

MANIFEST = "pulumi_twilio_conversations/pulumi-plugin.json"
SOURCE = Path(__file__).resolve().parent / MANIFEST


def build_editable(
    wheel_directory: str, config_settings: dict[str, Any] | None = None, metadata_directory: str | None = None
) -> str:
    """setuptools' editable wheel, plus the plugin manifest where the language host reads it."""
    name: str = _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
    _add_to_wheel(Path(wheel_directory) / name, MANIFEST, SOURCE.read_bytes())
    return name


def _add_to_wheel(wheel: Path, member: str, content: bytes) -> None:
    """Rewrite the wheel with one more file, listed in its RECORD with its hash and size."""
    with zipfile.ZipFile(wheel) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr(member, content)
        for info, data in entries:
            if info.filename.endswith(".dist-info/RECORD"):
                data = f"{member},sha256={digest},{len(content)}\n".encode() + data
            target.writestr(info, data)
