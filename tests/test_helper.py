"""After a small edit, ``analyze`` in a plain format has a helper process classify and render the changed
operations while this process loads them (gapcheck/render/helper.py).  Its answer must be exactly the one
this process would give, and any failure of the helper must leave the work to this process, never an error.
Real processes: the helper is started by the command as a user's run starts it.
"""

from __future__ import annotations

import io
import pickle
import random
from pathlib import Path
from typing import Any

import pytest

from gapcheck.analysis import cache
from gapcheck.analysis.cache import check_project
from gapcheck.analysis.pieces import Increment, Piece, Unusable, entry_payload, entry_value
from gapcheck.cli.common import two_cores
from gapcheck.core.config import load_config
from gapcheck.loading import cachedir
from gapcheck.render import cached
from gapcheck.render.base import RenderOptions
from gapcheck.render.cached import analysis_output
from gapcheck.render.formats import AnalysisFormat
from gapcheck.render.helper import Helper, Job, serve
from tests.conftest import invoke
from tests.test_result_pieces import DAY, _edit, _load, _save, make_many

pytestmark = pytest.mark.skipif(not two_cores(), reason="the helper runs only where a second core can run it")


@pytest.fixture
def many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_many(tmp_path, monkeypatch)


def _answers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the helper answered, per run that had one (a spy on the command's use of it)."""
    answered: list[bool] = []
    real = cached._aside

    def spy(checked: Any, *args: Any) -> Any:
        had = isinstance(checked.aside, Helper)
        got = real(checked, *args)
        if had:
            answered.append(got is not None)
        return got

    monkeypatch.setattr(cached, "_aside", spy)
    return answered


def _run(fmt: str = "json") -> tuple[int, str, str]:
    res = invoke("analyze", "--format", fmt, "--as-of", DAY.isoformat())
    return res.exit_code, res.stdout, res.stderr


def _here(monkeypatch: pytest.MonkeyPatch, fmt: str = "json") -> tuple[int, str, str]:
    """The same run with the cache off: every result computed in this process."""
    with monkeypatch.context() as m:
        m.setenv("GAPCHECK_CACHE", "off")
        return _run(fmt)


def _flip(root: Path, code: str = "juki") -> None:
    path = root / "mappings" / f"{code}.yaml"
    m = _load(path)
    m["links"][0]["judgement"] = "gap" if m["links"][0]["judgement"] != "gap" else "fit"
    _save(path, m)


@pytest.mark.parametrize("seed", [4, 5])
def test_after_every_edit_the_helper_answers_exactly_as_this_process_would(many: Path, monkeypatch: pytest.MonkeyPatch,
                                                                           seed: int) -> None:
    answered = _answers(monkeypatch)
    assert _run() == _here(monkeypatch)
    rng = random.Random(seed)
    done = []
    for n in range(10):
        fmt = ("json", "json", "csv", "markdown")[n % 4]
        before = {p: p.read_bytes() for p in many.rglob("*.yaml")}
        done.append(_edit(many, rng))
        got = _run(fmt)
        assert got == _here(monkeypatch, fmt), f"after {done}"
        if got[0] == 3:  # an error: mended again
            for path, raw in before.items():
                path.write_bytes(raw)
            done.append("mended")
            assert _run() == _here(monkeypatch), f"after {done}"
    assert sum(answered) >= 3, f"the helper answered {sum(answered)} of {len(answered)} runs: {done}"


def test_the_entries_the_helper_made_serve_a_later_run_of_this_process(many: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    answered = _answers(monkeypatch)
    _run()
    _flip(many, "juki")
    assert _run() == _here(monkeypatch) and answered == [True]
    monkeypatch.setattr("gapcheck.cli.core.two_cores", lambda: False)  # no helper: everything here from now on
    _flip(many, "kaigo")  # juki's rows and JSON block are read back as the helper kept them
    run = check_project(load_config("."))
    assert run.in_part and run.aside is None
    text, _ = analysis_output(run, None, None, DAY, AnalysisFormat.json)
    codes = len(run._base.codes) if run._base is not None else 0
    assert run.hits == [f"pieces {codes - 1}/{codes}"]
    assert text == _here(monkeypatch)[1]


def test_a_helper_that_cannot_do_the_job_leaves_it_to_this_process(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answered = _answers(monkeypatch)
    _run()
    keys = check_project(load_config(".")).piece_keys("rows", {}, DAY)  # kaigo's stays as it is after juki's edit
    folder = cache._results_folder()
    assert folder is not None and (folder / keys["kaigo"]).is_file()
    cachedir.write_entry(folder / keys["kaigo"], keys["kaigo"], pickle.dumps(("not rows",)))  # its checksum holds
    _flip(many)
    assert _run() == _here(monkeypatch)
    assert answered == [False]


def test_a_helper_killed_before_it_answers_leaves_the_work_to_this_process(many: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    answered = _answers(monkeypatch)
    real = Helper.ask

    def killed(self: Helper, job: Job) -> Any:
        assert self._proc is not None
        self._proc.kill()
        self._proc.wait()
        return real(self, job)

    monkeypatch.setattr(Helper, "ask", killed)
    _run()
    _flip(many)
    assert _run() == _here(monkeypatch)
    assert answered == [False]


def test_a_library_user_can_start_the_helper_and_an_unused_one_ends(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    analysis_output(check_project(load_config(".")), None, None, DAY, AnalysisFormat.json)
    _flip(many)
    started: list[Helper] = []

    def start() -> Helper:
        started.append(Helper())
        return started[-1]

    run = check_project(load_config("."), on_part=start)
    assert run.in_part and isinstance(run.aside, Helper) and run.aside.running
    text, found = analysis_output(run, None, None, DAY, AnalysisFormat.json, RenderOptions())
    assert "helper" in run.hits and run.aside is None and not started[0].running
    with monkeypatch.context() as m:
        m.setenv("GAPCHECK_CACHE", "off")
        assert (text, found) == analysis_output(check_project(load_config(".")), None, None, DAY, AnalysisFormat.json)
    _flip(many)
    run = check_project(load_config("."), on_part=start)
    proc = started[1]._proc
    assert proc is not None
    analysis_output(run, None, None, DAY, AnalysisFormat.table, RenderOptions())  # the table: the helper is not asked
    assert run.aside is None and proc.returncode is not None


def test_the_helper_given_no_job_ends_quietly_and_answers_a_failed_job_with_its_reason() -> None:
    out = io.BytesIO()
    serve(io.BytesIO(b""), out)
    assert out.getvalue() == b""
    job = Job(Increment(None, ("juki",), {}, {"juki": "k"}, "", False, {}, DAY),  # type: ignore[arg-type]
              AnalysisFormat.json, RenderOptions(), {}, {})
    serve(io.BytesIO(pickle.dumps(job)), out)
    kind, why = pickle.loads(out.getvalue())
    assert kind == "failed" and why == "AttributeError: 'NoneType' object has no attribute 'columns'"


def test_an_entry_that_is_not_what_it_should_be_is_unusable() -> None:
    with pytest.raises(Unusable, match="an entry that is not a Piece"):
        entry_value(entry_payload("text"), Piece)
    assert entry_value(entry_payload("text"), str) == "text"
