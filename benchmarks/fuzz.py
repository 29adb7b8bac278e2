#!/usr/bin/env python3
"""Mutation fuzzing of the shipped sample through validate, analyze, readiness and check (in-process).

    python benchmarks/fuzz.py --minutes 30 [--seed 1] [--out benchmarks/out/fuzz]

Each iteration copies the shipped sample (``specs/``, ``current_system/``,
``mappings/``, ``reports/history.jsonl``, ``policy.yaml``) into a scratch
project, mutates one to three of its files (bytes flipped, inserted or cut;
YAML and JSON syntax, hostile values and control characters put in; lines
repeated, swapped or nested deeper), and runs what the four commands run, as
library calls: ``validate`` (and every problem formatted as one line, the
report as JSON), ``analyze`` (rendered as table, JSON, CSV and Markdown),
``readiness`` (the history read, the assessment rendered) and ``check`` (the
policy read and evaluated).  Bad input must give problems
(:class:`~gapcheck.InvalidInput`, a usage error) or a result: any other
exception is a crash.  Each crashing input is saved under ``--out`` (the
mutated files, the traceback) and the run exits 1; otherwise 0.  Three
iterations in four read through the parse cache with every file cached (the
unchanged ones load faster, and cached documents, whose positions are
composed again from the file, are fuzzed too); the fourth reads every file.

The summary gives iterations, crashes, how many inputs were valid, invalid or
refused, and the problem codes seen; its figures go into the README's
"Reliability" section.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import io
import json
import os
import random
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

SAMPLE = ("specs", "current_system", "mappings", "reports/history.jsonl", "policy.yaml")

TOKENS = [
    b"- ", b": ", b":", b"{", b"}", b"[", b"]", b",", b"&a ", b"*a", b"!!str ", b"!!python/object:os.system ", b"? ",
    b"'", b'"', b"\\", b"\n", b"\r\n", b"\r", b"\t", b"#", b"|", b">", b"---\n", b"...\n", b"%YAML 1.1\n", b"~",
    b"null", b"yes", b"no", b"on", b"true", b"0x1F", b"0o17", b"1e999", b"-1e999", b".nan", b".inf", b"NaN",
    b"Infinity", b"-0", b"00123", b"9" * 30, b"9" * 5000, b"1.5", b"-1", b"2026-02-30", b"9999-12-31", b"1999-01-01",
    b"2100-12-31", b"0230265", b"\xe3\x80\x80", "：".encode(), "０２３０２６５".encode(), b"\x1b[2J", b"\x00",
    b"\xef\xbb\xbf", b"\xc2\x85", b"\xe2\x80\xae", b"\xed\xa0\x80", b"\xff", b"\x81", "介護保険".encode(),
    "介護保険".encode("cp932"), b'"\\e[31m"', b'"\\u202e"', b'"\\x00"', b'"\\ud800"', b"[" * 70, b"{a: " * 70,
    b"- " * 70, b"[" * 1000, b"{a: " * 1000, b"[" * 100_000, b"x" * 40000, b"kaigo", b"juki", b"undecided", b"fit",
    b"gap", b"partial", b"violation", b"mandatory", b"optional", b"forbidden", b"\xe2\x97\x8b", b"\xc3\x97",
]
"""Bytes that mean something to YAML, JSON, gapcheck's schemas or a terminal."""

INTERESTING_VALUES = [
    b"", b"~", b"null", b"yes", b"1e999", b"-1", b"0", b"9" * 25, b"9" * 5000, b".nan", b"2026-02-30", b"9999-12-31",
    b"2000-01-01", b"2100-12-31", b"1999-12-31", b"[]", b"{}", b"[" * 100 + b"]" * 100, b'"\\e[2J"', b'"a\\nb"',
    b"'x'", b'"' + b"y" * 40000 + b'"', b"&x 1", b"*x", b"!!binary AAAA", b"kaigo", b"nowhere", b"0230265",
    b"\xe6\x97\xa5\xe6\x9c\xac", b"\x1b]0;t\x07", b"true", b"3.5", b"-0.0", b"1e-400", b"'0010'",
]
"""Values put in place of a value (after ``: `` or ``- ``) or a whole JSON value of a history line."""


def mutate(data: bytes, rng: random.Random, gentle: bool = False) -> bytes:
    """One to four stacked mutations of ``data``; ``gentle``: only those that mostly keep the syntax (a value
    replaced, moved from another line, a line repeated), so that the checks of meaning and the analysis run."""
    out = data
    for _ in range(rng.randint(1, 4)):
        out = _gentle(out, rng) if gentle else _one(out, rng)
    return out


_PAIR = re.compile(rb"([A-Za-z_]+): ([^,{}\[\]\n]*)")
VALUES: dict[bytes, list[bytes]] = collections.defaultdict(list)
"""Every value the sample gives each key (``judgement`` -> fit, ○, gap ...), for transplants that stay valid."""


def learn_values(files: dict[str, bytes]) -> None:
    for data in files.values():
        for key, value in _PAIR.findall(data):
            VALUES[key].append(value.rstrip())


def _gentle(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    with_values = [i for i, ln in enumerate(lines) if _PAIR.search(ln)]
    if not with_values:
        return data
    i = rng.choice(with_values)
    roll = rng.random()
    if roll < 0.15:  # the line again (a duplicate key, ID, link or record)
        lines.insert(i, lines[i])
    elif roll < 0.3:  # the line gone (a link, an item, a field, a decision less)
        del lines[i]
    else:  # one value replaced: by another the sample gives the same key (mostly valid), or by an edge value
        pairs = list(_PAIR.finditer(lines[i]))
        m = rng.choice(pairs)
        seen = VALUES.get(m.group(1))
        value = rng.choice(seen) if seen and roll < 0.8 else rng.choice(INTERESTING_VALUES)
        lines[i] = lines[i][: m.start(2)] + value + lines[i][m.end(2):]
    return b"\n".join(lines)


def _one(data: bytes, rng: random.Random) -> bytes:
    n = len(data)
    pos = rng.randrange(n + 1) if n else 0
    kind = rng.randrange(10)
    if kind == 0 and n:  # flip a byte
        b = bytearray(data)
        b[rng.randrange(n)] = rng.randrange(256)
        return bytes(b)
    if kind == 1:  # insert a token
        return data[:pos] + rng.choice(TOKENS) + data[pos:]
    if kind == 2 and n:  # cut a range
        end = min(n, pos + rng.randint(1, 200))
        return data[:pos] + data[end:]
    if kind == 3 and n:  # copy a range somewhere else
        start = rng.randrange(n)
        chunk = data[start:start + rng.randint(1, 400)]
        return data[:pos] + chunk + data[pos:]
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    if kind == 4:  # replace a value
        line = lines[i]
        cut = max(line.find(b": "), line.find(b"- "))
        lines[i] = (line[:cut + 2] if cut >= 0 else line[: rng.randrange(len(line) + 1)]) + rng.choice(INTERESTING_VALUES)
    elif kind == 5:  # repeat a line (duplicate keys, IDs, records)
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif kind == 6 and len(lines) > 1:  # swap two lines
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == 7:  # indent or dedent a line
        lines[i] = b" " * rng.choice((1, 2, 4)) + lines[i] if rng.random() < 0.6 else lines[i].lstrip(b" ")
    elif kind == 8:  # truncate the file
        return data[:pos]
    else:  # a JSON-ish value into a history line, or a nested value into YAML
        v = rng.choice(INTERESTING_VALUES)
        lines[i] = lines[i].replace(b": ", b": " + v + b", \"x\": ", 1) if rng.random() < 0.5 else lines[i] + b" " + v
    return b"\n".join(lines)


def sample_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for name in SAMPLE:
        p = root / name
        files += sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    return files


def run_pipeline(project: Path, codes: collections.Counter[str], every_file: bool = False) -> str:
    """What validate, analyze, readiness and check do, in-process; the outcome (``valid``, ``invalid``, ...).

    The codes of the problems found are counted into ``codes``; ``every_file``: also the terminal tables and
    every file of ``analyze --output`` (slow: rich lays out every table, one CSV per operation and table).
    """
    from gapcheck.analysis.classify import analyze
    from gapcheck.core.config import load_config
    from gapcheck.core.errors import GapcheckError, InvalidInput
    from gapcheck.loading.history import load_history
    from gapcheck.readiness.policy import evaluate, load_policy
    from gapcheck.readiness.status import assess
    from gapcheck.render.base import RenderOptions
    from gapcheck.render.formats import (
        ANALYSIS_RENDERERS,
        READINESS_RENDERERS,
        AnalysisFormat,
        analysis_files,
    )
    from gapcheck.render.jsonfmt import dumps
    from gapcheck.validation.report import validate

    cfg = load_config(project)
    report = validate(cfg)  # validate
    for p in report.problems:
        line = p.format()
        assert "\n" not in line and "\r" not in line and "\x1b" not in line, line
    dumps(report.to_dict()).encode("utf-8")
    codes.update(p.code for p in report.problems)
    if not report.valid:
        return "invalid"
    options = RenderOptions(limit=10, width=100)
    try:
        analysis = analyze(report.project)  # analyze
        for fmt in AnalysisFormat:
            if every_file or fmt is not AnalysisFormat.table:
                str(ANALYSIS_RENDERERS[fmt].render(analysis, options)).encode("utf-8")
        if every_file:
            analysis_files(analysis, AnalysisFormat.csv)
        snaps, problems = load_history(cfg.history_path)  # readiness
        codes.update(p.code for p in problems)
        if any(p.severity == "error" for p in problems):
            return "invalid-history"
        readiness = assess(report.project, analysis, dt.date(2026, 1, 26), snaps)
        for renderer in READINESS_RENDERERS.values():
            str(renderer.render(readiness, options)).encode("utf-8")
        if cfg.policy_path.is_file():  # check
            policy = load_policy(cfg.policy_path, [o.code for o in report.project.operations], "policy.yaml")
            for breach in evaluate(policy, analysis, readiness):
                assert "\n" not in breach.format()
    except InvalidInput:
        return "refused"
    except GapcheckError:
        return "usage-error"
    return "valid"


def fuzz(minutes: float, seed: int, out: Path, progress: bool = True) -> dict[str, object]:
    rng = random.Random(seed)
    originals = {f.relative_to(REPO).as_posix(): f.read_bytes() for f in sample_files(REPO)}
    names = sorted(originals)
    learn_values(originals)
    weights = [3 if n.startswith("mappings/") or n.endswith((".jsonl", "policy.yaml", "plan.yaml")) else 1 for n in names]
    outcomes: collections.Counter[str] = collections.Counter()
    codes: collections.Counter[str] = collections.Counter()
    crashes = 0
    deadline = time.monotonic() + minutes * 60
    iterations = 0
    with tempfile.TemporaryDirectory(prefix="gapcheck-fuzz-") as tmp:
        base, cache = Path(tmp) / "project", Path(tmp) / "cache"
        for rel, data in originals.items():
            (base / rel).parent.mkdir(parents=True, exist_ok=True)
            (base / rel).write_bytes(data)
        cwd = os.getcwd()
        while time.monotonic() < deadline:
            iterations += 1
            chosen = sorted(set(rng.choices(names, weights, k=rng.randint(1, 3))))
            gentle = rng.random() < 0.6
            mutated = {rel: mutate(originals[rel], rng, gentle) for rel in chosen}
            for rel, data in mutated.items():
                (base / rel).write_bytes(data)
            cached = iterations % 4 != 0  # unchanged files from the parse cache: faster, and its own code path
            os.environ["GAPCHECK_CACHE_DIR"] = str(cache)
            os.environ["GAPCHECK_CACHE"] = "on" if cached else "off"
            _min_bytes(0 if cached else None)
            os.chdir(base)
            try:
                outcomes[run_pipeline(base, codes, every_file=iterations % 5 == 0)] += 1
            except Exception:  # noqa: BLE001 - a crash: keep the input
                crashes += 1
                _save(out, iterations, mutated, traceback.format_exc())
                outcomes["crash"] += 1
            finally:
                os.chdir(cwd)
            for rel in mutated:
                (base / rel).write_bytes(originals[rel])
            if progress and iterations % 50 == 0:
                left = max(0, deadline - time.monotonic())
                print(f"  {iterations} iterations, {crashes} crash(es), {left / 60:.1f} min left", file=sys.stderr)
    return {"iterations": iterations, "crashes": crashes, "outcomes": dict(outcomes), "codes": dict(codes.most_common())}


_DEFAULT_MIN_BYTES: int | None = None


def _min_bytes(value: int | None) -> None:
    """Cache every file (0), or only large ones (the default), for this iteration."""
    global _DEFAULT_MIN_BYTES
    from gapcheck.loading import parsecache

    if _DEFAULT_MIN_BYTES is None:
        _DEFAULT_MIN_BYTES = parsecache.MIN_BYTES
    parsecache.MIN_BYTES = _DEFAULT_MIN_BYTES if value is None else value


def _save(out: Path, n: int, files: dict[str, bytes], trace: str) -> None:
    folder = out / f"crash-{n:06d}"
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    (folder / "traceback.txt").write_text(trace, "utf-8")
    print(f"CRASH at iteration {n}: saved in {folder}\n{trace.splitlines()[-1]}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mutation fuzzing of the sample through validate, analyze, readiness and check.")
    parser.add_argument("--minutes", type=float, default=1.0, help="how long to run (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed and machine speed, same inputs)")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "fuzz", help="folder for crashing inputs")
    args = parser.parse_args(argv)
    start = time.monotonic()
    summary = fuzz(args.minutes, args.seed, args.out)
    took = time.monotonic() - start
    buf = io.StringIO()
    print(f"fuzz: {summary['iterations']} iterations in {took / 60:.1f} min (seed {args.seed}), "
          f"{summary['crashes']} crash(es)", file=buf)
    outcomes: dict[str, int] = summary["outcomes"]  # type: ignore[assignment]
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())), file=buf)
    print("problem codes seen: " + json.dumps(summary["codes"]), file=buf)
    sys.stdout.write(buf.getvalue())
    return 1 if summary["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
