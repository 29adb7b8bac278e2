"""How alike a current item and a standard requirement read: two measures over character n-grams, fused by rank.

Japanese needs no word segmentation for this: every text is cut into
characters and pairs of characters (``ngram_range=(1, 2)``).  Two measures
rank the requirements of the item's kind, each with one sparse matrix product
of the items by the requirements (in blocks of :data:`ROWS_PER_BLOCK` items),
no Python loop over pairs:

* **TF-IDF cosine**: the vectors of scikit-learn's
  ``TfidfVectorizer(analyzer="char")`` with sublinear term frequency (made by
  its ``CountVectorizer`` and ``TfidfTransformer`` so that each distinct text
  is cut once);
* **Okapi BM25** (k1 1.2, b 0.75) of the item's n-grams in the requirement's
  text, which weighs a rare shared n-gram more and a long text less.

The two rankings are fused by **reciprocal rank fusion** (Cormack, Clarke and
Büttcher, SIGIR 2009): a requirement scores ``1 / (60 + rank)`` in each
ranking where it is among the :data:`FUSION_DEPTH` best, summed; 60 is the
paper's constant, not tuned here.  Equal scores share a rank (the rank of
the first of them), so that requirements of equal text tie; a requirement
outside the :data:`FUSION_DEPTH` best of both rankings is not suggested, so
the first suggestions do not depend on how many are asked for.  Fused, the two put the right requirement
in the first five more often than either alone, on both halves of the
labelled evaluation set (``benchmarks/suggest_quality.py``; README,
"Suggested links").

* An item reads as its name plus its description; a requirement as its
  title plus its category path plus its summary.  Each field is a unit vector
  before they are added, so a long summary does not drown a short title.
  Category labels that are only numbers (the section numbers of legacy
  catalogues, ``4.1.3``) carry no words and are left out.
* Text is compared after NFKC (full-width letters and digits, half-width kana)
  and lower case.
* TF-IDF's IDF is learnt from the texts of one ranking (the requirements
  that can be suggested and every inventory item of the operation), BM25's
  from the requirements' texts, so an n-gram that every requirement holds
  weighs little in both.
* A suggestion's score is its fused score divided by the largest possible
  one (first in both rankings): in (0, 1], 1 for the requirement both
  measures put first.  It orders the suggestions; it is not a probability.
  Scores are rounded to 6 decimals before ranking so that equal texts tie
  exactly, and ties go to the smaller requirement ID.  Only requirements of
  the item's kind are ranked, and a requirement that shares no letter with
  the item but kana particles (の, を) is never suggested, however it scores.

scikit-learn, SciPy and NumPy are imported inside the functions that use
them, never at import time.
"""

from __future__ import annotations

import functools
import gc
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from gapcheck.core.model import InventoryItem, Requirement

NGRAMS = (1, 2)
"""Character n-gram lengths (unigrams and bigrams; longer ones were measured worse)."""
ROWS_PER_BLOCK = 2048
"""Items scored per dense block: bounds the memory of one product at 2048 x requirements floats."""
MAX_MATCHED = 5
"""At most this many matched words per suggestion."""
MEASURES = ("tfidf", "bm25")
"""The rankings fused by default (``benchmarks/suggest_quality.py`` measures each alone too)."""
FUSION_K = 60
"""Reciprocal rank fusion's constant (Cormack et al. 2009)."""
FUSION_DEPTH = 100
"""How far down each ranking counts for the fusion (ties at the boundary included)."""
BM25_K1, BM25_B = 1.2, 0.75
"""Okapi BM25's usual parameters (not tuned here)."""

_NUMBER_LABEL = re.compile(r"[\d.\-]+")
_EDGES = " ・、。,.()（）「」:：/のをにはがでとへやも"
"""Stripped from the ends of a matched word: spaces, marks and particles (住民データの -> 住民データ)."""
_HIRAGANA_OR_MARK = re.compile(r"[\u3040-\u309f\W_]+")


def normalise(text: str) -> str:
    """The text as it is compared: NFKC, lower case, runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def has_letters(text: str) -> bool:
    """True when ``text`` holds a letter (kanji, kana, Latin...): not only symbols, digits or spaces."""
    return any(unicodedata.category(c).startswith("L") for c in text)


def category_text(req: Requirement) -> str:
    """The category path as words: labels that are only section numbers are left out."""
    return _category_words(tuple(req.category))


@functools.lru_cache(maxsize=65536)
def _category_words(category: tuple[str, ...]) -> str:
    """Paths repeat (and 共通機能's are read for every operation): each is looked at once."""
    return " ".join(c for c in category if not _NUMBER_LABEL.fullmatch(unicodedata.normalize("NFKC", c).strip()))


@functools.lru_cache(maxsize=65536)
def _pairs(text: str) -> frozenset[str]:
    """The character pairs of ``text`` (a requirement's, cut once however many rankings it is in)."""
    return frozenset(text[k:k + 2] for k in range(len(text) - 1))


class Match(NamedTuple):
    """One ranked requirement for one item: its position in the pool and its score in [0, 1].

    A named tuple, not a dataclass: 100,000 of them are made at full scale.
    """

    requirement: int
    """Index into the requirements given to :func:`rank`."""
    score: float
    matched: tuple[str, ...]
    """The words of the item's text that the requirement's text also holds (the longest 5, in text order)."""


def rank(items: Sequence[InventoryItem], requirements: Sequence[Requirement], top: int,
         corpus: Sequence[InventoryItem] = (), measures: Sequence[str] = MEASURES) -> list[list[Match]]:
    """The ``top`` best requirements of the item's kind for every item, best first (ties: smaller ID).

    ``corpus`` holds further items whose text counts for the IDF (every item
    of the operation, so that the weights do not depend on which items are
    asked about).  Items whose text has no letter get no suggestion.
    ``measures``: the rankings fused (:data:`MEASURES`); with one alone, the
    score is that measure's (the cosine, or BM25 divided by the item's bound).

    The garbage collector is paused meanwhile: what is made here holds no
    cycles, and full collections over a large loaded project would cost more
    than the ranking itself.
    """
    unknown = [m for m in measures if m not in MEASURES]
    if unknown or not measures:
        raise ValueError(f"measures must be among {MEASURES}, not {list(measures)}")
    with paused_gc():
        return _rank(items, requirements, top, corpus, tuple(dict.fromkeys(measures)))


@contextmanager
def paused_gc() -> Iterator[None]:
    """The garbage collector off inside the block (as it was, after)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _rank(items: Sequence[InventoryItem], requirements: Sequence[Requirement], top: int,
          corpus: Sequence[InventoryItem], measures: tuple[str, ...]) -> list[list[Match]]:
    out: list[list[Match]] = [[] for _ in items]
    if not items or not requirements:
        return out
    order = sorted(range(len(requirements)), key=lambda j: (requirements[j].id, requirements[j].operation,
                                                            requirements[j].kind))
    pool = [requirements[j] for j in order]  # by ID: a stable sort of the scores then breaks ties by ID
    texts = [normalise(f"{i.name} {i.description}") for i in items]
    doc_text = [normalise(" ".join((r.title, category_text(r), r.summary))) for r in pool]
    matrices = {m: (_vectors(items, pool, corpus) if m == "tfidf" else _bm25(texts, doc_text))
                for m in measures}
    for kind in sorted({i.kind for i in items}):
        rows = [n for n, i in enumerate(items) if i.kind == kind and has_letters(texts[n])]
        cols = [j for j, r in enumerate(pool) if r.kind == kind]
        if not rows or not cols:
            continue
        ranking = _Ranking([order[j] for j in cols], [doc_text[j] for j in cols])
        for first in range(0, len(rows), ROWS_PER_BLOCK):
            block = rows[first:first + ROWS_PER_BLOCK]
            scores = [_block_scores(matrices[m], block, cols) for m in measures]
            if len(scores) > 1:  # fused: the FUSION_DEPTH best of each ranking, whatever ``top`` is
                for n, (cand, vals) in zip(block, _fused(scores), strict=True):
                    out[n] = ranking.top(texts[n], cand, vals, top)
                continue
            one = scores[0]
            for n, row, (cand, vals) in zip(block, one, _candidates(one, CANDIDATES * top), strict=True):
                found = ranking.top(texts[n], cand, vals, top)
                if len(found) < top and len(cand) < int((row > 0).sum()):  # rare: look further down the row
                    found = ranking.top(texts[n], *_candidates(row[None, :], len(row))[0], top)
                out[n] = found
    return out


def _block_scores(matrices: tuple[Any, ...], block: list[int], cols: list[int]) -> Any:
    """A dense block of one measure's scores: rows ``block`` of the items by columns ``cols`` of the pool."""
    queries, docs, *scale = matrices
    scores = (queries[block] @ docs[cols].T).toarray()
    if scale:  # BM25: each item's scores divided by its bound, into [0, 1]
        scores /= scale[0][block][:, None]
    return scores


def _fused(scores: list[Any]) -> list[tuple[Any, Any]]:
    """Per row, the candidate columns best first by the reciprocal rank fusion of the measures' ``scores``, and
    their fused scores.  Each ranking counts its :data:`FUSION_DEPTH` best (ties at the boundary included);
    ranks are counted among every requirement of the kind with a positive score (one that shares only kana
    particles with the item takes a rank too, and is dropped only after fusing, by :meth:`_Ranking.top`).
    A requirement outside the depth of every ranking is not a candidate."""
    import numpy as np

    n_rows, n_cols = scores[0].shape
    rows, cols, parts = [], [], []
    for s in scores:
        r, c, vals = _flat_candidates(s, min(FUSION_DEPTH, n_cols))
        # 1-based competition rank within its row: equal scores share the rank of the first (equal texts tie)
        first = np.ones(len(r), dtype=bool)
        first[1:] = (r[1:] != r[:-1]) | (vals[1:] != vals[:-1])
        leader = np.maximum.accumulate(np.where(first, np.arange(len(r)), 0))  # where its group of equals starts
        ranks = leader - np.searchsorted(r, np.arange(n_rows))[r] + 1
        rows.append(r)
        cols.append(c)
        parts.append(1.0 / (FUSION_K + ranks))
    key = np.concatenate(rows).astype(np.int64) * n_cols + np.concatenate(cols)
    cells, where = np.unique(key, return_inverse=True)
    fused = np.round(np.bincount(where, weights=np.concatenate(parts)) / (len(scores) / (FUSION_K + 1)), 6)
    r, c = cells // n_cols, cells % n_cols
    ordered = np.lexsort((c, -fused, r))
    return _per_row(r[ordered], c[ordered], np.clip(fused[ordered], 0.0, 1.0), n_rows)


CANDIDATES = 3
"""Per item, ``CANDIDATES * top`` best columns (and every tie) are ranked in full; the rest only if needed."""


def _candidates(scores: Any, want: int) -> list[tuple[Any, Any]]:
    """Per row, the columns among its ``want`` best (ties included), by score rounded to 6 decimals, then column."""
    return _per_row(*_flat_candidates(scores, want), scores.shape[0])


def _per_row(r: Any, c: Any, vals: Any, n_rows: int) -> list[tuple[Any, Any]]:
    """Flat (row, column, score) arrays sorted by row, as one (columns, scores) pair per row."""
    import numpy as np

    bounds = np.searchsorted(r, np.arange(n_rows + 1))
    return [(c[bounds[i]:bounds[i + 1]], vals[bounds[i]:bounds[i + 1]]) for i in range(n_rows)]


def _flat_candidates(scores: Any, want: int) -> tuple[Any, Any, Any]:
    """:func:`_candidates` as three flat arrays (row, column, score), by row, then score (descending), then column."""
    import numpy as np

    n_rows, n_cols = scores.shape
    if want < n_cols:
        # The want-th largest per row, selected from the front of the negated scores: the same value as selecting
        # from the back, 2-3 times faster on rows that are mostly zeros (measured at full scale).
        kth = -np.partition(-scores, want - 1, axis=1)[:, want - 1]
        threshold = np.maximum(kth - 1e-6, 0.0)  # what rounds to a tie with the last one is kept too
    else:
        threshold = np.zeros(n_rows)
    r, c = np.nonzero((scores >= threshold[:, None]) & (scores > 0.0))
    vals = np.clip(np.round(scores[r, c], 6), 0.0, 1.0)
    keep = vals > 0.0
    r, c, vals = r[keep], c[keep], vals[keep]
    ordered = np.lexsort((c, -vals, r))
    return r[ordered], c[ordered], vals[ordered]


@dataclass
class _Ranking:
    """The requirements of one kind: their pool positions, texts and character-pair sets."""

    positions: list[int]
    texts: list[str]
    pairs: list[frozenset[str]] | None = None

    def top(self, text: str, cols: Any, scores: Any, top: int) -> list[Match]:
        """The first ``top`` of the ranked ``cols`` that share a letter with ``text``."""
        if self.pairs is None:
            self.pairs = [_pairs(t) for t in self.texts]
        at: dict[str, list[int]] = {}
        for k in range(len(text) - 1):
            at.setdefault(text[k:k + 2], []).append(k)
        grams = frozenset(at)
        found: list[Match] = []
        for c, score in zip(cols.tolist(), scores.tolist(), strict=True):
            common = grams.intersection(self.pairs[c])
            words = matched_words(text, [k for g in common for k in at[g]], self.texts[c])
            if words:
                found.append(Match(self.positions[c], score, words))
                if len(found) == top:
                    break
        return found


def _vectors(items: Sequence[InventoryItem], pool: Sequence[Requirement], corpus: Sequence[InventoryItem]) -> tuple[Any, Any]:
    """Unit TF-IDF vectors of the items (name + description) and of the requirements (title + category + summary).

    Every distinct text is cut into n-grams once (category paths and summaries
    repeat a lot); the counts of all texts then give the IDF, exactly as
    ``TfidfVectorizer`` would on the full list.
    """
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    from sklearn.preprocessing import normalize

    known = {(i.operation, i.id) for i in items}
    extra = [t for i in corpus if (i.operation, i.id) not in known for t in (i.name, i.description)]
    fields = [[r.title for r in pool], [category_text(r) for r in pool], [r.summary for r in pool],
              [i.name for i in items], [i.description for i in items], extra]
    texts = [normalise(t) for f in fields for t in f]
    if not any(texts):  # nothing but spaces anywhere: no n-gram to learn (the vectoriser would refuse)
        from scipy.sparse import csr_matrix

        return csr_matrix((len(items), 1)), csr_matrix((len(pool), 1))
    distinct = {t: n for n, t in enumerate(dict.fromkeys(texts))}
    counter = CountVectorizer(analyzer="char", ngram_range=NGRAMS, lowercase=False, dtype=np.float64)
    counts = counter.fit_transform(list(distinct))[np.array([distinct[t] for t in texts], dtype=np.int64)]
    matrix = TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()
    n, m = len(pool), len(items)
    docs = matrix[0:n] + matrix[n:2 * n] + matrix[2 * n:3 * n]
    queries = matrix[3 * n:3 * n + m] + matrix[3 * n + m:3 * n + 2 * m]
    return normalize(queries).tocsr(), normalize(docs).tocsr()


def _bm25(texts: list[str], doc_text: list[str]) -> tuple[Any, Any, Any]:
    """Okapi BM25 of the items' n-grams (each counted once) in the requirements' texts (title, category path and
    summary as one text), as (queries, weights, bound): the scores are ``queries @ weights.T`` divided by each
    item's bound, an upper bound of its score (every n-gram of the item held infinitely often), so in [0, 1].
    The IDF and the mean length are those of the requirements' texts."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    if not any(texts) and not any(doc_text):
        return sparse.csr_matrix((len(texts), 1)), sparse.csr_matrix((len(doc_text), 1)), np.ones(len(texts))
    counter = CountVectorizer(analyzer="char", ngram_range=NGRAMS, lowercase=False, dtype=np.float64)
    distinct = {t: n for n, t in enumerate(dict.fromkeys(doc_text + texts))}  # each text cut once
    counts = counter.fit_transform(list(distinct)).tocsr()
    tf = counts[np.array([distinct[t] for t in doc_text], dtype=np.int64)].tocoo()
    n = tf.shape[0]
    df = np.bincount(tf.col, minlength=tf.shape[1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    length = np.asarray(tf.tocsr().sum(axis=1)).ravel()
    denom = tf.data + BM25_K1 * (1 - BM25_B + BM25_B * length[tf.row] / max(float(length.mean()), 1e-9))
    weights = sparse.csr_matrix((tf.data * (BM25_K1 + 1) / denom * idf[tf.col], (tf.row, tf.col)), shape=tf.shape)
    queries = counts[np.array([distinct[t] for t in texts], dtype=np.int64)].tocsr()
    queries.data[:] = 1.0
    bound = np.maximum(np.asarray(queries @ (idf * (BM25_K1 + 1))).ravel(), 1e-12)
    return queries, weights, bound


def matched_words(text: str, starts: list[int], other: str) -> tuple[str, ...]:
    """The runs of ``text`` covered by the character pairs both texts hold (``starts``: where they start in ``text``).

    Runs made only of kana particles, marks or spaces are left out; the
    longest (at most :data:`MAX_MATCHED`) are kept, in the order they appear.
    With no shared pair, the shared single letters (not hiragana) of ``other`` are given.
    """
    starts.sort()
    runs: list[str] = []
    k, n = 0, len(starts)
    while k < n:
        begin = starts[k]
        end = begin + 2
        k += 1
        while k < n and starts[k] < end:  # the next pair overlaps this run
            end = starts[k] + 2
            k += 1
        for piece in text[begin:end].split():  # a pair across a space joins no words
            word = piece.strip(_EDGES)
            if len(word) > 1 and word not in runs and not _HIRAGANA_OR_MARK.fullmatch(word):
                runs.append(word)
    if not runs:
        letters = dict.fromkeys(c for c in text if c in other and has_letters(c) and not "\u3040" <= c <= "\u309f")
        return tuple(list(letters)[:MAX_MATCHED])
    if len(runs) <= MAX_MATCHED:
        return tuple(runs)
    keep = set(sorted(runs, key=len, reverse=True)[:MAX_MATCHED])  # stable: equal lengths keep text order
    return tuple(w for w in runs if w in keep)
