"""Shared files are changed under a lock: real processes at once lose nothing, and a dead holder blocks no one.

The history and each output folder's manifest are read, merged and written
back while an OS lock is held (``gapcheck.core.lock``).  A run that cannot
get the lock in ``--lock-timeout`` seconds exits 75 naming the file; the
kernel releases the lock of a killed holder.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gapcheck.loading.history import Snapshot, load_history

REPO = Path(__file__).resolve().parents[1]
ENV = {"PYTHONPATH": str(REPO)}

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

HOLD = """
import sys, time
from gapcheck.core.lock import locked
with locked(sys.argv[1]):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold(target: Path, seconds: float = 60) -> subprocess.Popen[str]:
    """Another process that holds the lock of ``target`` (it has it once this returns)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(target), str(seconds)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, **ENV})
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    return proc


def release(proc: subprocess.Popen[str], kill: bool = True) -> None:
    """End the holder (SIGKILL: no clean-up at all, so only the kernel can drop its lock)."""
    if kill:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.stdout is not None
    proc.stdout.close()


def test_a_held_history_lock_makes_snapshot_give_up_naming_the_file(small: Path, cli) -> None:
    history = small / "reports" / "history.jsonl"
    assert cli("snapshot", "--as-of", "2026-11-29").exit_code == 0
    before = history.read_bytes()
    holder = hold(history)
    try:
        started = time.monotonic()
        res = cli("snapshot", "--as-of", "2026-11-30", "--lock-timeout", "0.5")
        waited = time.monotonic() - started
        assert res.exit_code == 75
        assert res.stderr == (f"gapcheck: reports/history.jsonl: lock-held: another gapcheck run is changing this file "
                              f"(lock reports/history.jsonl.lock, held by process {holder.pid}); gave up after waiting "
                              "0.5 s (--lock-timeout)\n")
        assert waited >= 0.5
        assert history.read_bytes() == before
    finally:
        release(holder)  # a holder killed outright: the kernel drops its lock
    res = cli("snapshot", "--as-of", "2026-11-30", "--lock-timeout", "5")
    assert res.exit_code == 0, res.stderr
    assert {s.date for s in load_history(history)[0]} == {dt.date(2026, 11, 29), dt.date(2026, 11, 30)}


def test_a_run_waits_for_the_lock_and_then_writes(small: Path, cli) -> None:
    holder = hold(small / "reports" / "history.jsonl", seconds=1.0)
    try:
        started = time.monotonic()
        res = cli("snapshot", "--as-of", "2026-11-29")  # the default timeout: 30 s
        assert res.exit_code == 0, res.stderr
        assert time.monotonic() - started >= 0.5
    finally:
        release(holder, kill=False)


@pytest.mark.parametrize("command", [["report", "--jobs", "1"], ["analyze", "--output", "reports"],
                                     ["mapping", "template", "--operation", "kaigo"],
                                     ["export", "oscal", "--operation", "kaigo", "--output", "reports/oscal.json"],
                                     ["inventory", "template", "--operation", "kaigo"], ["plan", "template"]])
def test_writers_of_an_output_folder_wait_for_its_manifest_lock(small: Path, cli, command: list[str]) -> None:
    (small / "reports").mkdir()
    if command[0] == "plan":
        (small / "current_system" / "plan.yaml").write_text(
            'gapcheck: plan/1\nstart: "2022-04-01"\nsteps:\n  - {id: P01, phase: 計画立案, name: 体制}\noperations: {}\n', "utf-8")
    holder = hold(small / "reports" / ".gapcheck-manifest.json")
    try:
        res = cli(*command, "--lock-timeout", "0")
        assert res.exit_code == 75, res.stderr
        assert res.stderr.endswith(
            f"gapcheck: reports/.gapcheck-manifest.json: lock-held: another gapcheck run is changing this file (lock "
            f"reports/.gapcheck-manifest.json.lock, held by process {holder.pid}); gave up after waiting 0 s (--lock-timeout)\n")
        assert sorted(p.name for p in (small / "reports").iterdir()) == [".gapcheck-manifest.json.lock"]
    finally:
        release(holder)
    assert cli(*command, "--lock-timeout", "0").exit_code == 0


RECORD = """
import datetime as dt, sys, time
from pathlib import Path
from gapcheck.loading.history import Snapshot
from gapcheck.readiness.history import record
history, day, ready, go = Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
snaps = [Snapshot(day, f"op{n:02}", "on-track", n, 0.5, 0.25, 0, 1) for n in range(18)]
ready.touch()
while not go.exists():
    time.sleep(0.001)
record(history, snaps)
"""


def test_eight_snapshots_at_once_on_a_large_history_lose_nothing(tmp_path: Path) -> None:
    """Without the lock every round loses dates (benchmarks/concurrency.py measures it on 20,000 lines)."""
    history = tmp_path / "history.jsonl"
    start = dt.date(2000, 1, 1)
    old = [Snapshot(start + dt.timedelta(days=n // 20), f"op{n % 20:02}", "on-track", 5, 0.5, 0.5, 0, 0)
           for n in range(5_000)]
    history.write_text("".join(s.to_json() + "\n" for s in old), "utf-8")
    expected = {s.date: 20 for s in old}
    for rnd in range(3):
        go = tmp_path / f"go-{rnd}"
        days = [dt.date(2030 + rnd, 1, 1) + dt.timedelta(days=n) for n in range(8)]
        procs = [subprocess.Popen([sys.executable, "-c", RECORD, str(history), d.isoformat(), str(tmp_path / f"ready-{rnd}-{n}"),
                                   str(go)], env={**os.environ, **ENV}, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
                 for n, d in enumerate(days)]
        while not all((tmp_path / f"ready-{rnd}-{n}").exists() for n in range(8)):
            time.sleep(0.01)
        go.touch()  # all eight read, merge and write at once
        errors = [p.communicate(timeout=300)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * 8, errors
        expected.update(dict.fromkeys(days, 18))
        snaps, problems = load_history(history)
        assert problems == []
        counts: dict[dt.date, int] = {}
        for s in snaps:
            counts[s.date] = counts.get(s.date, 0) + 1
        assert counts == expected, f"round {rnd}: lost {sorted(set(expected) - set(counts))}"
    assert len(history.read_text("utf-8").splitlines()) == 5_000 + 3 * 8 * 18


def test_a_snapshot_killed_before_its_rename_leaves_the_history_whole(tmp_path: Path) -> None:
    """Killed with the new history written to its temporary file but not renamed: the old one stands, the next run cleans up."""
    history = tmp_path / "history.jsonl"
    old = [Snapshot(dt.date(2026, 1, 1), f"op{n:02}", "on-track", 5, 0.5, 0.5, 0, 0) for n in range(20)]
    history.write_text("".join(s.to_json() + "\n" for s in old), "utf-8")
    before = history.read_bytes()
    crash = Path(__file__).with_name("crash.py")
    killed = subprocess.run([sys.executable, str(crash), "kill", "replace .history.jsonl.#1", "-c", RECORD, str(history),
                             "2026-02-01", str(tmp_path / "ready"), str(tmp_path / "ready")],
                            env={**os.environ, **ENV}, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr
    assert history.read_bytes() == before
    assert [p.name for p in tmp_path.glob(".history.jsonl.*.tmp")] != []  # what the killed run left
    from gapcheck.readiness.history import record

    record(history, [Snapshot(dt.date(2026, 3, 1), "op00", "on-track", 1, 0.9, 0.9, 0, 0)])
    assert [p.name for p in tmp_path.glob(".history.jsonl.*.tmp")] == []
    assert {s.date for s in load_history(history)[0]} == {dt.date(2026, 1, 1), dt.date(2026, 3, 1)}


LIST = "管理番号,種別,機能名\nF1,機能,資格異動\nF2,機能,番号付番\nF3,機能,証出力\nF4,機能,独自機能（未決定）\nF5,機能,独自機能（廃止）\n" \
       "F6,機能,旧機能（禁止）\nR1,帳票,被保険者証\nR2,帳票,独自帳票\nF7,機能,{name}\n"


def _waiting_on(proc: subprocess.Popen[str], lock: Path, seconds: float = 30) -> None:
    """Return once ``proc`` has the lock file ``lock`` open, that is, waits for the lock (Linux: /proc/PID/fd)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        assert proc.poll() is None, proc.communicate()
        try:
            if any(os.readlink(f) == str(lock) for f in Path(f"/proc/{proc.pid}/fd").iterdir()):
                return
        except OSError:
            pass  # a descriptor closed while listed
        time.sleep(0.02)
    raise AssertionError(f"{proc.args} never waited for {lock}")


def _changed_while_it_waits(args: list[str], cwd: Path, target: Path, change: Callable[[], object]) -> tuple[int, str]:
    """Run ``gapcheck ARGS`` while ``target``'s lock is held elsewhere; once it waits on the lock, ``change()``
    (what another run holding the lock does), then let the lock go. Its exit code and standard error."""
    holder = hold(target)
    proc = subprocess.Popen([sys.executable, "-m", "gapcheck", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **ENV, "GAPCHECK_CACHE": "off"})
    try:
        _waiting_on(proc, target.with_name(target.name + ".lock").resolve())
        change()
    finally:
        release(holder)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the waiting process")
def test_an_import_merging_into_a_file_changed_meanwhile_writes_nothing(small: Path) -> None:
    """inventory import reads the file, merges and writes under its lock only if the file is as it read it.

    Another run changes the inventory while the import waits for the lock: before, the import wrote its merge
    over that change (a lost update, exit 0); now it exits 75, writes nothing, and the other run's change stays.
    """
    inventory = small / "current_system" / "inventory.yaml"
    book = small / "list.csv"
    book.write_text(LIST.format(name="新機能"), "utf-8")
    other = inventory.read_text("utf-8").replace("{id: R2, kind: form, name: 独自帳票}",
                                                 "{id: R2, kind: form, name: 独自帳票（別の人の変更）}")
    # what another import, holding the lock, writes meanwhile
    result = _changed_while_it_waits(["inventory", "import", str(book), "-o", "kaigo", "--force"], small, inventory,
                                     lambda: inventory.write_text(other, "utf-8"))
    assert result == (75, "gapcheck: current_system/inventory.yaml: changed by another run while this one "
                          "was merging into it; nothing was written: run the command again\n")
    assert inventory.read_text("utf-8") == other
    rerun = subprocess.run([sys.executable, "-m", "gapcheck", "inventory", "import", str(book), "-o", "kaigo", "--force"],
                           cwd=small, capture_output=True, text=True, env={**os.environ, **ENV, "GAPCHECK_CACHE": "off"})
    assert rerun.returncode == 0, rerun.stderr
    assert "新機能" in inventory.read_text("utf-8")



@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the waiting process")
def test_an_import_never_overwrites_a_file_another_run_wrote_while_it_checked(small: Path) -> None:
    """spec import checks that its target holds no other content and renames under the target's lock: a catalogue
    another run wrote meanwhile is kept and the import refuses (before, the check and the rename were apart, and the
    import replaced the other run's file without --force)."""
    book = small / "book.csv"
    book.write_text("機能ID,機能名称,機能要件,実装区分\n0010001,転入,記録できること。,実装必須\n", "utf-8")
    target = small / "specs" / "juki" / "1.0.yaml"
    target.parent.mkdir()
    other = "# another run's catalogue\n"
    result = _changed_while_it_waits(["spec", "import", str(book), "--operation", "juki", "--version", "1.0",
                                      "--functions-only"], small, target, lambda: target.write_text(other, "utf-8"))
    assert result == (2, "gapcheck: specs/juki/1.0.yaml: exists with different content; use --force to replace it\n")
    assert target.read_text("utf-8") == other
