"""tools/make_sample.py (content in tools/sample/) regenerates the committed sample data byte for byte.

The sample under specs/, mappings/ and current_system/inventory.yaml is
generated; these tests fail as soon as the generator and the committed files
drift apart (edit the generator, re-run it, commit both).

The 住民記録 catalogue is derived from the reference CSV kept in the
repository (``JUKI_CSV``, tools/sample/data/), so the full run never skips;
every other operation's files are also compared in process, one test each.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GENERATOR = REPO / "tools" / "make_sample.py"
sys.path.insert(0, str(GENERATOR.parent))
# The generator's package (tools/sample) is importable only once the line above has run:

from sample.build import operation_names, render_operation  # noqa: E402
from sample.model import OperationSample  # noqa: E402
from sample.operations import OPERATIONS  # noqa: E402
from sample.yaml_text import GENERATED_BY, file_text  # noqa: E402

WITHOUT_CSV = [op for op in OPERATIONS if op.code != "juki"]  # juki is the only one reading JUKI_CSV


def committed_generated_files() -> set[str]:
    """Repository files that carry the generator's marker (relative, POSIX)."""
    found: set[str] = set()
    for folder in ("specs", "mappings", "current_system"):
        for path in (REPO / folder).rglob("*.yaml"):
            if GENERATED_BY in path.read_text(encoding="utf-8").splitlines():
                found.add(path.relative_to(REPO).as_posix())
    return found


@pytest.mark.parametrize("op", WITHOUT_CSV, ids=[op.code for op in WITHOUT_CSV])
def test_operation_files_match_the_committed_ones(op: OperationSample) -> None:
    rendered = render_operation(op, operation_names()[op.code])
    assert rendered.files, op.code
    for rel, lines in rendered.files.items():
        committed = REPO / rel
        assert committed.is_file(), f"{rel} is generated but not committed"
        assert committed.read_bytes() == file_text(lines).encode("utf-8"), \
            f"{rel} differs: re-run tools/make_sample.py and commit the result"


def test_generator_reproduces_every_committed_sample_file(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(GENERATOR), "--root", str(tmp_path)],
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    generated = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert generated == committed_generated_files()
    differing = [rel for rel in sorted(generated) if (tmp_path / rel).read_bytes() != (REPO / rel).read_bytes()]
    assert differing == [], "re-run tools/make_sample.py and commit the result"


def test_the_sample_history_is_what_its_generator_writes(tmp_path: Path) -> None:
    """reports/history.jsonl (synthetic) is tools/make_history.py's output byte for byte, whatever today's date."""
    out = tmp_path / "history.jsonl"
    subprocess.run([sys.executable, str(REPO / "tools" / "make_history.py"), "--output", str(out)], check=True,
                   capture_output=True, cwd=tmp_path)
    assert out.read_bytes() == (REPO / "reports" / "history.jsonl").read_bytes()
