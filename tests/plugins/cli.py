"""Running the ``pser-desk`` command in tests: in-process (fast) or as a real process."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.out.splitlines() if line.strip()]


RunCli = Callable[..., CliResult]


@pytest.fixture
def run_cli(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> RunCli:
    """Run ``pser-desk ARGS`` in this process with *stdin* text; returns code, stdout, stderr."""
    from pser_desk import cli
    from tests.plugins.store import FAST_SCRYPT

    def run(*args: str, stdin: str = "") -> CliResult:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            # Tests hash passwords at a low scrypt cost, wired in as the application does;
            # tests/unit/security/test_password_cost.py holds production's to N >= 2^17.
            code = cli.main(["--data-dir", str(data_dir), *args], password_cost=FAST_SCRYPT)
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def run_cli_process(data_dir: Path) -> RunCli:
    """Run ``python -m pser_desk ARGS`` as a separate process (for kill tests and real I/O)."""

    def run(
        *args: str, stdin: str = "", timeout: float = 120, env: dict[str, str] | None = None
    ) -> CliResult:
        full_env = {**os.environ, **(env or {})}
        proc = subprocess.run(
            [sys.executable, "-m", "pser_desk", "--data-dir", str(data_dir), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=full_env,
            check=False,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    return run


def cli_command(*args: Sequence[str]) -> list[str]:
    return [sys.executable, "-m", "pser_desk", *[str(a) for a in args]]
