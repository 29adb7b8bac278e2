"""Only regular files are read, with a bound, and nothing in a data folder is skipped silently.

Devices, named pipes and sockets are refused before a byte is read (a FIFO
used to hang a run, ``/dev/zero`` to fill the memory); a file over 200 MB is
refused from its size; ``.YAML`` is read like ``.yaml``; a dangling link or
an unreadable folder is a problem; any other file gets a ``file-ignored``
warning.  Runs that could hang or eat the memory on the old code are real
processes with a timeout and a memory limit.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from gapcheck.loading.files import MAX_INPUT_BYTES, read_input

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

REPO = Path(__file__).resolve().parents[1]


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def gapcheck(*args: str, cwd: Path, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """The CLI in a new process, with a timeout (a FIFO must not hang it) and 2 GB of memory (nor /dev/zero fill it)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([*prefix, sys.executable, "-m", "gapcheck", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60, preexec_fn=_limit_memory)


def test_upper_case_extensions_are_read(small: Path, cli) -> None:
    (small / "mappings" / "kaigo.yaml").rename(small / "mappings" / "kaigo.YAML")
    (small / "current_system" / "inventory.yaml").rename(small / "current_system" / "inventory.Yml")
    res = cli("validate", "--format", "json")
    assert res.exit_code == 0, res.stderr
    assert {"mappings/kaigo.YAML", "current_system/inventory.Yml"} <= set(json.loads(res.stdout)["files"])
    overall = json.loads(cli("analyze", "--format", "json").stdout)["overall"]
    assert overall["states"]["fit"] == 2 and overall["linked"] == 5  # the mapping counts


def test_a_dangling_link_is_a_problem_not_an_empty_mapping(small: Path, cli) -> None:
    (small / "mappings" / "kaigo.yaml").unlink()
    (small / "mappings" / "kaigo.yaml").symlink_to("kaigo-v2.yaml")
    res = cli("validate")
    assert res.exit_code == 3
    assert res.stderr.splitlines()[0] == ("mappings/kaigo.yaml:0:0: file-missing: $: is a symbolic link to 'kaigo-v2.yaml', "
                                          "which does not exist (expected a readable file, found a dangling symbolic link)")


def test_files_that_are_not_read_are_named(small: Path, cli) -> None:
    shutil.copy(small / "mappings" / "kaigo.yaml", small / "mappings" / "kaigo.yaml.bak")
    (small / "specs" / "notes.txt").write_text("memo\n", "utf-8")
    for quiet in ("README.md", ".gitkeep", ".DS_Store", "Thumbs.db"):
        (small / "specs" / quiet).write_text("x\n", "utf-8")
    (small / "specs" / ".git").mkdir()
    (small / "specs" / ".git" / "config").write_text("x\n", "utf-8")
    res = cli("validate")
    assert res.exit_code == 0
    assert res.stderr.splitlines() == [
        "warning: mappings/kaigo.yaml.bak:0:0: file-ignored: $: not read: only .yaml and .yml files in this folder are inputs "
        "(rename it, or move it out of the data folder) (expected a .yaml or .yml file, found '.bak')",
        "warning: specs/notes.txt:0:0: file-ignored: $: not read: only .yaml and .yml files in this folder are inputs "
        "(rename it, or move it out of the data folder) (expected a .yaml or .yml file, found '.txt')",
        "OK: 3 file(s), 0 error(s), 2 warning(s)"]


def test_a_history_in_a_data_folder_is_not_called_ignored(small: Path, cli) -> None:
    (small / "gapcheck.toml").write_text('[paths]\nhistory = "current_system/history.jsonl"\n', "utf-8")
    assert cli("snapshot", "--as-of", "2026-11-29").exit_code == 0
    res = cli("validate")
    assert res.exit_code == 0 and "file-ignored" not in res.stderr, res.stderr


def test_a_folder_that_cannot_be_listed_is_a_problem(small: Path) -> None:
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("as root, needs setpriv to drop the capability to read any folder")
        prefix: tuple[str, ...] = ("setpriv", "--bounding-set", "-dac_override,-dac_read_search")
    else:
        prefix = ()
    locked = small / "mappings" / "old"
    locked.mkdir()
    shutil.copy(small / "mappings" / "kaigo.yaml", locked / "kaigo-5.0.yaml")
    locked.chmod(0)
    try:
        res = gapcheck("validate", cwd=small, prefix=prefix)
    finally:
        locked.chmod(0o755)
    assert res.returncode == 3, res.stderr
    assert res.stderr.splitlines()[0] == ("mappings/old:0:0: file-unreadable: $: cannot list folder: Permission denied "
                                          "(expected a readable folder, found an OS error)")


FIFO = "is a named pipe (FIFO), not a regular file: gapcheck reads only regular files (expected a regular file, found a named pipe (FIFO))"


def test_a_fifo_in_a_data_folder_is_refused_without_hanging(small: Path) -> None:
    os.mkfifo(small / "mappings" / "extra.yaml")
    res = gapcheck("validate", cwd=small)
    assert res.returncode == 3
    assert res.stderr.splitlines()[0] == f"mappings/extra.yaml:0:0: not-a-regular-file: $: {FIFO}"


@pytest.mark.parametrize("fifo, command", [
    ("current_system/pipe.yaml", ("inventory", "import", "list.csv", "-o", "kaigo", "--force")),
    ("current_system/plan.yaml", ("plan", "import", "plan.xlsx")),
])
def test_a_fifo_where_an_import_merges_is_refused_without_hanging(small: Path, fifo: str, command: tuple[str, ...]) -> None:
    """The merging imports read the files they merge into before the project (to see a change made meanwhile) with
    the project's bounded reader: a FIFO there is its not-a-regular-file problem (inventory import hung on it, and
    plan import, once past the hang, said "no migration plan")."""
    (small / "list.csv").write_text("管理番号,機能名\nF1,資格異動\n", "utf-8")
    (small / "plan.xlsx").write_bytes(b"")
    os.mkfifo(small / fifo)
    res = gapcheck(*command, cwd=small)
    assert (res.returncode, res.stderr.splitlines()) == (3, [f"{fifo}:0:0: not-a-regular-file: $: {FIFO}",
                                                             "gapcheck: 1 error(s) in the input; nothing was written"])


def test_a_socket_in_a_data_folder_is_refused(small: Path) -> None:
    where = small / "mappings" / "s.yaml"
    if len(str(where)) > 100:
        pytest.skip("the path is too long for a Unix socket")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(where))
        res = gapcheck("validate", cwd=small)
    finally:
        sock.close()
    assert res.returncode == 3
    assert res.stderr.splitlines()[0] == ("mappings/s.yaml:0:0: not-a-regular-file: $: is a socket, not a regular file: "
                                          "gapcheck reads only regular files (expected a regular file, found a socket)")


DEVICE = ("is a character device, not a regular file: gapcheck reads only regular files "
          "(expected a regular file, found a character device)")


@pytest.mark.parametrize("args", [["readiness", "--history", "/dev/zero"], ["check", "--policy", "/dev/zero"],
                                  ["snapshot", "--history", "/dev/zero"]])
def test_devices_given_as_inputs_are_refused(small: Path, args: list[str]) -> None:
    res = gapcheck(*args, "--as-of", "2026-11-29", cwd=small)
    assert res.returncode == 3, res.stderr[-500:]
    assert res.stderr.splitlines()[0] == f"/dev/zero:0:0: not-a-regular-file: $: {DEVICE}"


def test_a_fifo_given_as_the_history_is_refused(small: Path) -> None:
    os.mkfifo(small / "pipe.jsonl")
    res = gapcheck("readiness", "--history", "pipe.jsonl", "--as-of", "2026-11-29", cwd=small)
    assert res.returncode == 3
    assert res.stderr.splitlines()[0] == f"pipe.jsonl:0:0: not-a-regular-file: $: {FIFO}"


@pytest.mark.parametrize("name,args", [("kaigo.csv", ["spec", "import", "kaigo.csv", "--operation", "kaigo", "--version", "7.0"]),
                                       ("filled.xlsx", ["mapping", "import", "filled.xlsx"])])
def test_imports_refuse_a_fifo(small: Path, name: str, args: list[str]) -> None:
    os.mkfifo(small / name)
    res = gapcheck(*args, cwd=small)
    assert res.returncode == 3, res.stderr
    assert res.stderr.splitlines()[0] == f"{name}:0:0: not-a-regular-file: $: {FIFO}"


def test_a_file_over_the_limit_is_refused_without_reading_it(small: Path, cli) -> None:
    big = small / "mappings" / "huge.yaml"
    with open(big, "wb") as fh:  # sparse: no disk space, and gapcheck must not read it anyway
        fh.truncate(MAX_INPUT_BYTES + 1)
    res = cli("validate")
    assert res.exit_code == 3
    assert res.stderr.splitlines()[0] == ("mappings/huge.yaml:0:0: file-too-large: $: file is larger than the limit of "
                                          "200 MB for an input (expected at most 209,715,200 bytes, found 209,715,201 bytes)")


def test_no_more_than_the_limit_is_read_from_a_file_that_says_it_is_empty() -> None:
    """/proc files report a size of 0 and hold more: the bound holds on what is read, not only on the size."""
    data, problems = read_input(Path("/proc/self/status"), "status", limit=10)
    assert data is None
    assert [p.format("en") for p in problems] == ["status:0:0: file-too-large: $: file is larger than the limit of 10 bytes "
                                              "for an input (expected at most 10 bytes, found more than 10 bytes)"]


def test_a_history_that_is_a_folder_is_refused_and_not_replaced(small: Path, cli) -> None:
    (small / "reports" / "history.jsonl").mkdir(parents=True)
    res = cli("snapshot", "--as-of", "2026-11-29")
    assert res.exit_code == 3
    assert res.stderr.splitlines()[0] == ("reports/history.jsonl:0:0: file-missing: $: is a directory, not a file "
                                          "(expected a readable file, found a directory)")
    assert (small / "reports" / "history.jsonl").is_dir()


def test_an_output_file_that_is_a_link_is_not_replaced(small: Path, cli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("{}\n", "utf-8")
    (small / "reports").mkdir()
    (small / "reports" / "kaigo-oscal.json").symlink_to(elsewhere)
    res = cli("export", "oscal", "--operation", "kaigo", "--output", "reports/kaigo-oscal.json")
    assert res.exit_code == 2
    assert res.stderr == ("gapcheck: reports/kaigo-oscal.json: is a symbolic link, not a regular file: gapcheck writes only "
                          "regular files; move it away; nothing was written\n")
    assert elsewhere.read_text("utf-8") == "{}\n"
