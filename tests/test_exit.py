"""A finished command leaves without the interpreter's teardown, but only when nothing is left to finish
(gapcheck/cli/__init__.py: main, exit_now).  Real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, invoke


def _python(code: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=cwd, timeout=60)


def _gapcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "gapcheck", *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=120)


def test_a_real_process_prints_all_its_output_and_keeps_its_exit_code(small: Path) -> None:
    inside = invoke("analyze", "--format", "json", "--as-of", "2026-11-29", "--fail-on", "gap")
    for _ in range(2):  # the second run answers from the result cache
        proc = _gapcheck("analyze", "--format", "json", "--as-of", "2026-11-29", "--fail-on", "gap", cwd=small)
        assert (proc.returncode, proc.stdout, proc.stderr) == (1, inside.stdout, inside.stderr)
        assert proc.stderr == "gapcheck: 見つかりました: gap 2 件（--fail-on）\n"


def test_a_usage_error_still_exits_2_with_its_message(small: Path) -> None:
    proc = _gapcheck("analyze", "--bogus", cwd=small)
    assert proc.returncode == 2 and "No such option: --bogus" in proc.stderr


EXIT = """
import atexit, sys
from gapcheck.cli import exit_now
atexit.register(lambda: print("atexit ran"))
{setup}
print("before", end="")
exit_now(5)
print(" returned")
sys.exit(3)
"""


def test_exit_now_skips_the_teardown_after_flushing_the_output() -> None:
    proc = _python(EXIT.format(setup=""))
    assert (proc.returncode, proc.stdout) == (5, "before")


def test_exit_now_returns_while_another_thread_runs() -> None:
    setup = "import threading, time\nthreading.Thread(target=time.sleep, args=(0.3,)).start()"
    proc = _python(EXIT.format(setup=setup))
    assert (proc.returncode, proc.stdout) == (3, "before returned\natexit ran\n")


def test_exit_now_returns_while_a_temporary_folder_waits_for_its_finalizer(tmp_path: Path) -> None:
    setup = f"import tempfile\nkept = tempfile.TemporaryDirectory(dir={str(tmp_path)!r})"
    proc = _python(EXIT.format(setup=setup))
    assert (proc.returncode, proc.stdout) == (3, "before returned\natexit ran\n")
    assert list(tmp_path.iterdir()) == []  # removed by the normal exit


def test_exit_now_returns_while_a_child_process_runs() -> None:
    setup = ("import multiprocessing, time\nif __name__ == '__main__':\n"
             "    p = multiprocessing.get_context('fork').Process(target=time.sleep, args=(0.3,)); p.start()")
    proc = _python(EXIT.format(setup=setup))
    assert (proc.returncode, proc.stdout) == (3, "before returned\natexit ran\n")


def test_a_command_collects_cycles_seldom_and_a_library_user_keeps_the_defaults() -> None:
    code = ("import gc, sys\nimport gapcheck.cli as cli\nfrom gapcheck.analysis import cache\n"
            "print(gc.get_threshold())\ncli.exit_now = lambda code: print(gc.get_threshold())\n"
            "sys.argv = ['gapcheck', 'operations', '--format', 'json']\ncli.main()")
    proc = _python(code)
    assert proc.stdout.splitlines()[0] == "(700, 10, 10)" and proc.stdout.splitlines()[-1] == "(50000, 20, 10)"
