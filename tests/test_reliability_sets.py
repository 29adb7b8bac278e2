"""Output sets survive kills and full disks: real processes killed before every file-system step (tests/crash.py).

A set (a report, ``analyze --output``) killed at any point leaves the old
set, the new one, or files the next run recognises as its own; the next
run removes the killed run's temporary files and never refuses gapcheck's
own output.  A full disk names the file and keeps the previous set.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gapcheck.core.output import MANIFEST, PENDING, write_files

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

REPO = Path(__file__).resolve().parents[1]
CRASH = Path(__file__).with_name("crash.py")
NAMES = ["report.html", "report.md", "report.json", "report.junit.xml", "report.xlsx", "results.parquet"]


def python(*args: str, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name == PENDING)


def assert_settled(folder: Path) -> None:
    """No temporary file, no journal, and the manifest knows every file in the folder as it is."""
    assert leftovers(folder) == []
    manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    for name, data in listing(folder).items():
        if not name.startswith("."):
            assert manifest.get(name) == sha(data), name


def _sets() -> dict[str, dict[str, str]]:
    big = "".join(f"row {n:07}\n" for n in range(250_000))  # 3 MB: written in three os.write calls
    old = {"a.html": "<p>old</p>\n", "b.md": "# old\n", "c.json": '{"v": 1}\n', "e.xlsx": "old " + big}
    new = {"a.html": "<p>new</p>\n", "b.md": "# new\n", "c.json": '{"v": 2}\n', "e.xlsx": "new " + big,
           "d.xml": "<new/>\n"}  # one file the old set did not have
    return {"old": old, "new": new, "other": {"b.md": "# another command\n"}}


WRITE = """
import json, sys
from gapcheck.core.output import write_files
files = json.load(open("sets.json"))[sys.argv[1]]
write_files("out", files)
"""


def test_a_set_killed_before_any_step_is_recovered_by_the_next_run(tmp_path: Path) -> None:
    sets = _sets()
    (tmp_path / "sets.json").write_text(json.dumps(sets), "utf-8")
    old = {n: d.encode() for n, d in sets["old"].items()}
    new = {n: d.encode() for n, d in sets["new"].items()}
    kills: list[str] = []
    write_files(tmp_path / "old", old)
    for k in range(1, 200):
        out = tmp_path / "out"
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(tmp_path / "old", out)
        run = python(str(CRASH), "kill", str(k), "-c", WRITE, "new", cwd=tmp_path)
        if run.returncode == 0:
            break
        assert run.returncode == -9, run.stderr
        kills.append(run.stderr.strip())
        # Every file is whole: the old one, the new one, or (a new name) not there yet.
        for name in set(old) | set(new):
            here = (out / name).read_bytes() if (out / name).exists() else None
            assert here in (old.get(name), new.get(name)), (run.stderr, name)
        if not (out / PENDING).exists():  # no journal: the set is entirely old or entirely new, with its manifest
            state = {n: (out / n).read_bytes() for n in set(old) | set(new) if (out / n).exists()}
            assert state in (old, new), run.stderr
        # The next run, of another command writing one file there, is not refused and settles the folder.
        assert write_files(out, {"b.md": sets["other"]["b.md"]}) in ({"b.md": "updated"},), run.stderr
        assert_settled(out)
        # And the next full run replaces everything without --force.
        write_files(out, new)
        assert {n: (out / n).read_bytes() for n in new} == new
        assert_settled(out)
    else:
        pytest.fail("the run never finished")
    assert len(kills) == 27, kills  # journal 4, temporary files 12, renames 5 + 1, manifest 4, journal removed 1
    steps = "\n".join(kills)
    for step in ("write .e.xlsx.", "fsync .e.xlsx.", "replace .a.html.", "replace .e.xlsx.", "replace ..gapcheck-manifest.json.",
                 "unlink .gapcheck-manifest.pending.json"):
        assert step in steps, step
    assert sum("write .e.xlsx." in line for line in kills) >= 3  # killed half-way through the big file, more than once


def _report(small: Path, cli, day: str, out: str = "reports") -> None:
    res = cli("report", "--as-of", day, "--jobs", "1", "--output", out)
    assert res.exit_code == 0, res.stderr


def _restore(folder: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(folder)
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)


@pytest.mark.parametrize("step", ["replace .report.md.#1", "replace ..gapcheck-manifest.json.#1"])
def test_a_killed_report_is_never_refused_by_the_next_one(small: Path, cli, step: str) -> None:
    """Killed after its first rename (the case that used to be refused), and just before its manifest."""
    _report(small, cli, "2026-11-29")
    killed = python(str(CRASH), "kill", step, "-m", "gapcheck", "report", "--as-of", "2026-12-01", "--jobs", "1", cwd=small)
    assert killed.returncode == -9, killed.stderr
    res = cli("report", "--as-of", "2026-12-02", "--jobs", "1")  # the next day's run, without --force
    assert res.exit_code == 0, (killed.stderr, res.stderr)
    assert res.stderr.splitlines() == [f"updated: reports/{n}" for n in NAMES]
    assert_settled(small / "reports")


def test_a_killed_analyze_output_is_recovered(small: Path, cli) -> None:
    assert cli("analyze", "--format", "csv", "--output", "out").exit_code == 0
    (small / "mappings" / "kaigo.yaml").write_text(
        (small / "mappings" / "kaigo.yaml").read_text("utf-8").replace("judgement: gap}", "judgement: fit}"), "utf-8")
    killed = python(str(CRASH), "kill", "replace .kaigo.#2", "-m", "gapcheck", "analyze", "--format", "csv",
                    "--output", "out", cwd=small)
    assert killed.returncode == -9, killed.stderr
    res = cli("analyze", "--format", "csv", "--output", "out")
    assert res.exit_code == 0, res.stderr
    assert_settled(small / "out")


def test_temporary_files_of_a_killed_run_are_removed(small: Path, cli) -> None:
    _report(small, cli, "2026-11-29")
    junk = small / "reports" / ".report.html.k3j9x2ab.tmp"
    junk.write_bytes(b"half a report")
    mine = small / "reports" / ".report.html.notes.tmp"  # not a name gapcheck makes: the user's
    mine.write_bytes(b"keep me")
    _report(small, cli, "2026-12-01")
    assert not junk.exists() and mine.read_bytes() == b"keep me"


@pytest.mark.parametrize("block", ["folder", "read-only"])
def test_a_file_that_cannot_be_replaced_stops_the_set_before_anything_is_replaced(small: Path, cli, block: str) -> None:
    _report(small, cli, "2026-11-29")
    target = small / "reports" / "report.json"
    if block == "folder":
        target.unlink()
        target.mkdir()
    else:
        target.chmod(0o444)
    before = listing(small / "reports")
    res = cli("report", "--as-of", "2026-12-01", "--jobs", "1")
    assert res.exit_code == 2
    why = ("is a folder, not a regular file: gapcheck writes only regular files; move it away" if block == "folder"
           else "is read-only; make it writable or use --force")
    assert res.stderr == f"gapcheck: reports/report.json: {why}; nothing was written\n"
    assert listing(small / "reports") == before


def test_a_full_disk_names_the_file_and_keeps_the_previous_set(small: Path, cli) -> None:
    _report(small, cli, "2026-11-29")
    before = listing(small / "reports")
    html = len((small / "reports" / "report.html").read_bytes())
    # Room for the journal and the new HTML page, then the disk is full.
    run = python(str(CRASH), "enospc", f"{html + 2000}:{small / 'reports'}", "-m", "gapcheck", "report",
                 "--as-of", "2026-12-01", "--jobs", "1", cwd=small)
    assert run.returncode == 2, run.stderr
    assert run.stderr == ("gapcheck: reports/report.md: cannot write: No space left on device; nothing was replaced, "
                          "the previous files are kept\n")
    assert listing(small / "reports") == before
    res = cli("report", "--as-of", "2026-12-01", "--jobs", "1")  # space again: gapcheck's own files are replaced
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines() == [f"updated: reports/{n}" for n in NAMES]


def _can_mount_tmpfs() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


FULL_DISK = """
import json, os, subprocess, sys
disk, project, room = sys.argv[1], sys.argv[2], int(sys.argv[3])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk], check=True)
def report(day):
    r = subprocess.run([sys.executable, "-m", "gapcheck", "report", "--as-of", day, "--jobs", "1", "--output", disk + "/out"],
                       cwd=project, capture_output=True, text=True)
    return [r.returncode, r.stderr, {n: open(disk + "/out/" + n, "rb").read().hex() for n in sorted(os.listdir(disk + "/out"))}]
first = report("2026-11-29")
st = os.statvfs(disk)
with open(disk + "/filler", "wb") as fh:
    fh.write(b"x" * (st.f_bavail * st.f_frsize - room))
full = report("2026-12-01")
os.unlink(disk + "/filler")
again = report("2026-12-01")
print(json.dumps([first, full, again]))
"""


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs `unshare -rm` and tmpfs (Linux user namespaces) for a real full disk")
def test_a_real_full_disk_keeps_the_previous_set(small: Path, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    room = 100_000  # less than the new HTML page (about 140 KB)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(["unshare", "-rm", sys.executable, "-c", FULL_DISK, str(disk), str(small), str(room)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    first, full, again = json.loads(run.stdout)
    assert first[0] == 0, first[1]
    assert full[0] == 2, full[1]
    assert full[1] == (f"gapcheck: {disk}/out/report.html: cannot write: No space left on device; nothing was replaced, "
                       "the previous files are kept\n")
    assert full[2] == first[2]  # the previous set, whole, and no temporary file
    assert again[0] == 0, again[1]
    assert again[1].splitlines() == [f"updated: {disk}/out/{n}" for n in NAMES]
