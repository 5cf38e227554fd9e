"""The command line run in this process, for tests: a fresh interpreter per command costs about a second of
CPU for the imports alone, and the library's per-process start-up work (language files, pattern analysis)
again on its first cue call."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from pathlib import Path


def run(*args: str, cwd: Path, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``reconnect-signals *args`` in this process: a CompletedProcess as ``subprocess.run`` gives."""
    from reconnect_signals.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_env = {k: os.environ.get(k) for k in (env_extra or {})}
    here = os.getcwd()
    try:
        os.chdir(cwd)
        os.environ.update(env_extra or {})
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(here)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return subprocess.CompletedProcess(["reconnect-signals", *args], code, out.getvalue(), err.getvalue())
