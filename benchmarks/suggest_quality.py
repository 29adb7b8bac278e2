#!/usr/bin/env python3
"""How well suggested links rank the right requirement: top-1, top-5 accuracy and MRR on the evaluation set.

    python benchmarks/suggest_quality.py [--items benchmarks/suggest_eval/items.yaml] [--project .]
                                         [--method NAME]... [--by-operation]

For every item of ``benchmarks/suggest_eval/items.yaml`` (a current function
or form with the requirement IDs a careful person would link it to), the
requirements of the item's kind in the newest catalogue of its operation
(plus 共通機能, when the project has it, as ``gapcheck mapping suggest`` does)
are ranked, and the rank of the first expected ID is taken: a hit at k when
any expected ID is among the first k (benchmarks/suggest_eval/README.md).
MRR is the mean of 1/rank (0 when no expected ID is ranked at all).  The IDF
of each ranking learns from every evaluation item of the operation, as the
product learns from every inventory item of the operation.

Methods (``shipped`` is what gapcheck uses; the others were tried and lost):

* ``shipped``: what gapcheck ships (gapcheck.analysis.similarity.rank):
  reciprocal rank fusion (k 60, the 100 best of each, equal scores sharing a
  rank) of ``tfidf`` and BM25 over character 1-2-grams.
* ``tfidf``: character 1-2-gram TF-IDF (sublinear tf), item name +
  description against requirement title + category path + summary, each
  field a unit vector: gapcheck's ranking alone (what it shipped before
  2026-12-02).
* ``title``: the same n-grams against the requirement title only.
* ``bm25``: Okapi BM25 (k1 1.2, b 0.75) over character 1-2-grams of title +
  category + summary as one text; scores divided by the query's bound.
* ``kana-split``: as ``tfidf``, with hiragana, punctuation and spaces as
  word boundaries (``analyzer="char_wb"``), so particles form no n-grams.
* ``sudachi-norm``, ``tfidf+sudachi-norm``, ``reading``, ``sudachi-words``,
  ``tfidf+synonyms``, ``tfidf+chive``: Japanese word segmentation
  (Sudachi: normalised forms, readings, the Sudachi synonym dictionary's
  groups) and chiVe word vectors, alone or beside ``tfidf``
  (benchmarks/suggest_methods.py, which says what to install; a method whose
  packages are missing is reported as skipped).  ``--grid`` adds every
  weight and threshold compared on ``dev`` before those were fixed, and the
  fusions compared on ``dev`` before ``shipped`` was chosen: ``rrf(...)``
  (reciprocal rank fusion, k 60, of the full rankings of the methods named,
  by position) and ``combsum(tfidf+bm25)`` (the mean of the two scores).

Besides all items, the figures are printed for the even-numbered items
(``dev``: 0, 2, 4, ... in file order) and the odd ones (``test``): the
method was chosen on ``dev`` alone, ``test`` is what it scores on items it
was not chosen on.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from suggest_methods import METHODS as SEGMENTED  # noqa: E402
from suggest_methods import grid, missing  # noqa: E402

from gapcheck.analysis.similarity import MEASURES, category_text, normalise, rank  # noqa: E402
from gapcheck.analysis.suggest import common_catalogue  # noqa: E402
from gapcheck.core.config import load_config  # noqa: E402
from gapcheck.core.model import InventoryItem, Requirement  # noqa: E402
from gapcheck.validation.project import load_project  # noqa: E402

Scorer = Callable[[Sequence[InventoryItem], Sequence[Requirement], Sequence[InventoryItem]], np.ndarray]


def _tfidf(fields: str, analyzer: str, pre: Callable[[str], str]) -> Scorer:
    def score(items: Sequence[InventoryItem], reqs: Sequence[Requirement], corpus: Sequence[InventoryItem]) -> np.ndarray:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        parts = [[r.title for r in reqs]]
        if fields == "all":
            parts += [[category_text(r) for r in reqs], [r.summary for r in reqs]]
        names, descs = [i.name for i in items], [i.description for i in items]
        extra = [t for i in corpus for t in (i.name, i.description)]
        v = TfidfVectorizer(analyzer=analyzer, ngram_range=(1, 2), sublinear_tf=True, preprocessor=pre)
        v.fit([t for p in parts for t in p] + extra)
        docs = normalize(sum(v.transform(p) for p in parts))
        queries = normalize(v.transform(names) + v.transform(descs))
        return np.asarray((queries @ docs.T).todense())
    return score


def _bm25(items: Sequence[InventoryItem], reqs: Sequence[Requirement], corpus: Sequence[InventoryItem]) -> np.ndarray:
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    k1, b = 1.2, 0.75
    docs = [" ".join((r.title, category_text(r), r.summary)) for r in reqs]
    cv = CountVectorizer(analyzer="char", ngram_range=(1, 2), preprocessor=normalise)
    cv.fit(docs + [f"{i.name} {i.description}" for i in corpus])
    tf = cv.transform(docs).tocoo().astype(np.float64)
    n = tf.shape[0]
    df = np.bincount(tf.col, minlength=tf.shape[1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    length = np.asarray(cv.transform(docs).sum(axis=1)).ravel()
    denom = tf.data + k1 * (1 - b + b * length[tf.row] / max(length.mean(), 1e-9))
    weights = sparse.csr_matrix((tf.data * (k1 + 1) / denom * idf[tf.col], (tf.row, tf.col)), shape=tf.shape)
    queries = cv.transform([f"{i.name} {i.description}" for i in items]).astype(np.float64)
    queries.data[:] = 1.0
    bound = np.asarray(queries @ (idf * (k1 + 1))).ravel()
    return np.asarray((queries @ weights.T).todense()) / np.maximum(bound[:, None], 1e-12)


def _kana_split(text: str) -> str:
    import re

    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\u3041-\u309f\s\W_]+", " ", text)


def _shipped(items: Sequence[InventoryItem], reqs: Sequence[Requirement], top: int,
             corpus: Sequence[InventoryItem], measures: Sequence[str] = MEASURES) -> list[list[int]]:
    return [[m.requirement for m in row] for row in rank(items, reqs, top, corpus, measures)]


def _combsum(items: Sequence[InventoryItem], reqs: Sequence[Requirement], corpus: Sequence[InventoryItem]) -> np.ndarray:
    return np.asarray(0.5 * _tfidf("all", "char", normalise)(items, reqs, corpus) + 0.5 * _bm25(items, reqs, corpus))


METHODS: dict[str, Scorer | None] = {
    "shipped": None,
    "tfidf": None,
    "title": _tfidf("title", "char", normalise),
    "bm25": _bm25,
    "kana-split": _tfidf("all", "char_wb", _kana_split),
}
METHODS.update({name: scorer for name, (_needs, scorer) in SEGMENTED.items()})
NEEDS = {name: needs for name, (needs, _scorer) in SEGMENTED.items()}
FUSIONS = {"rrf(tfidf+kana-split)": ("tfidf", "kana-split"), "rrf(tfidf+bm25)": ("tfidf", "bm25"),
           "rrf(tfidf+title)": ("tfidf", "title"), "rrf(tfidf+kana-split+bm25)": ("tfidf", "kana-split", "bm25"),
           "rrf(tfidf+kana-split+title+bm25)": ("tfidf", "kana-split", "title", "bm25")}
"""Fusions of whole rankings compared on ``dev`` (``--grid``) before the shipped fusion was chosen."""


def _fused(members: Sequence[str], items: Sequence[InventoryItem], reqs: Sequence[Requirement],
           corpus: Sequence[InventoryItem], k: int = 60) -> list[list[int]]:
    """Reciprocal rank fusion of the members' full rankings (rank = position), ties to the smaller ID."""
    out = []
    for orders in zip(*(ranked(m, items, reqs, corpus) for m in members), strict=True):
        fused: dict[int, float] = {}
        for order in orders:
            for position, j in enumerate(order, 1):
                fused[j] = fused.get(j, 0.0) + 1 / (k + position)
        out.append(sorted(fused, key=lambda j: (-round(fused[j], 9), reqs[j].id)))
    return out


def ranked(method: str, items: Sequence[InventoryItem], reqs: Sequence[Requirement],
           corpus: Sequence[InventoryItem]) -> list[list[int]]:
    """Per item, requirement indices best first: same kind only, score > 0, ties to the smaller ID."""
    if method in FUSIONS:
        return _fused(FUSIONS[method], items, reqs, corpus)
    scorer = METHODS[method]
    if scorer is None:
        return _shipped(items, reqs, len(reqs), corpus, MEASURES if method == "shipped" else ("tfidf",))
    scores = np.round(scorer(items, reqs, corpus), 6)
    kinds = np.array([r.kind for r in reqs])
    ids = [r.id for r in reqs]
    out = []
    for row, item in zip(scores, items, strict=True):
        cols = [j for j in range(len(reqs)) if kinds[j] == item.kind and row[j] > 0]
        out.append(sorted(cols, key=lambda j: (-row[j], ids[j])))
    return out


def evaluate(method: str, project: Any, entries: list[dict[str, Any]]) -> list[int | None]:
    """The rank of the first expected requirement of every entry (None: not ranked)."""
    ranks: list[int | None] = [None] * len(entries)
    for operation in sorted({e["operation"] for e in entries}):
        mine = [n for n, e in enumerate(entries) if e["operation"] == operation]
        items = [InventoryItem(operation, f"EVAL-{n}", entries[n]["kind"], entries[n]["name"],
                               entries[n]["description"]) for n in mine]
        catalogue = project.catalogue(operation)
        common = common_catalogue(project, operation)
        reqs = list(catalogue.requirements) + list(common.requirements if common else ())
        for n, order in zip(mine, ranked(method, items, reqs, items), strict=True):
            expected = set(entries[n]["expected"])
            ranks[n] = next((k + 1 for k, j in enumerate(order)
                             if reqs[j].id in expected and reqs[j].operation == operation), None)
    return ranks


def scores(ranks: Sequence[int | None]) -> tuple[float, float, float, int]:
    n = len(ranks)
    top1 = sum(r == 1 for r in ranks) / n
    top5 = sum(r is not None and r <= 5 for r in ranks) / n
    mrr = sum(1 / r for r in ranks if r) / n
    return top1, top5, mrr, n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=Path, default=HERE / "suggest_eval" / "items.yaml")
    ap.add_argument("--project", type=Path, default=ROOT, help="folder with specs/ (default: the repository)")
    ap.add_argument("--method", action="append", help="default: every method (--list names them)")
    ap.add_argument("--by-operation", action="store_true", help="also print each operation's figures")
    ap.add_argument("--grid", action="store_true", help="also every variant compared on dev (weights, thresholds)")
    ap.add_argument("--list", action="store_true", help="name the methods and what each needs, and stop")
    args = ap.parse_args(argv)
    if args.grid:
        METHODS.update({name: None for name in FUSIONS})
        METHODS["combsum(tfidf+bm25)"] = _combsum
        METHODS.update({name: scorer for name, (_needs, scorer) in grid().items()})
        NEEDS.update({name: needs for name, (needs, _scorer) in grid().items()})
    if args.list:
        for name in METHODS:
            print(name, missing(NEEDS[name]) or "ready" if name in NEEDS else "ready")
        return 0
    unknown = [m for m in args.method or () if m not in METHODS]
    if unknown:
        ap.error(f"unknown method {', '.join(unknown)}; known: {', '.join(METHODS)}")
    entries = yaml.safe_load(args.items.read_text(encoding="utf-8"))["items"]
    project = load_project(load_config(args.project))
    print(f"# {len(entries)} items, {len({e['operation'] for e in entries})} operations; "
          "top1 / top5 / MRR over all items, dev (even) and test (odd)")
    print(f"{'method':<24} {'subset':<16} {'n':>4} {'top1':>6} {'top5':>6} {'MRR':>6}")
    for method in args.method or list(METHODS):
        why = missing(NEEDS[method]) if method in NEEDS else None
        if why:
            print(f"{method:<24} skipped: {why}")
            continue
        ranks = evaluate(method, project, entries)
        subsets = [("all", range(len(entries))), ("dev", range(0, len(entries), 2)), ("test", range(1, len(entries), 2))]
        if args.by_operation:
            subsets += [(op, [n for n, e in enumerate(entries) if e["operation"] == op])
                        for op in sorted({e["operation"] for e in entries})]
        for name, picked in subsets:
            top1, top5, mrr, n = scores([ranks[i] for i in picked])
            print(f"{method:<24} {name:<16} {n:>4} {top1:>6.3f} {top5:>6.3f} {mrr:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
