"""Fixtures shared by the interop tests of the `mpe` command."""

from __future__ import annotations

import pathlib
import subprocess
from typing import Callable

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
MPE = ROOT / "target" / "debug" / "mpe"


@pytest.fixture(scope="session")
def mpe_cli() -> Callable[..., subprocess.CompletedProcess]:
    """`mpe_cli(cwd, *args)` runs the built `mpe` (built first if missing)."""
    if not MPE.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "mpe-cli"], cwd=ROOT, check=True)

    def run(cwd: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(MPE), *args], cwd=cwd, capture_output=True, text=True, timeout=120)

    return run
