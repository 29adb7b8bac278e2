"""Suggestion methods that need Japanese word segmentation or word vectors: measured, none shipped.

Used by ``benchmarks/suggest_quality.py`` (README, "Quality, measured").
They are benchmark code, never imported by gapcheck, and need packages that
gapcheck does not depend on::

    pip install sudachipy sudachidict_core msgpack   # segmentation, normalised forms, readings, synonym groups
    pip install --no-deps ja-ginza                     # only its word-vector files are read (no spaCy)

* Sudachi (SudachiPy with SudachiDict core, split mode C) cuts a text into
  words and gives each its normalised form (カナ -> 仮名, マスタ -> マスター),
  its reading and its synonym group IDs: the groups of the Sudachi synonym
  dictionary, a general resource written for Japanese text, not for this
  evaluation set (the IDs are carried by SudachiDict itself; ``chikkarpy``,
  which expands a word into the group's words, does not build from its sdist
  with a current setuptools, so the IDs are matched directly: two words of
  one group meet).
* chiVe word vectors (Works Applications, as pruned to 20,000 vectors for
  480,443 words in the ja-ginza model, MIT licence) give a similarity
  between words that share no character (付箋 and メモ: 0.69).  The files are
  read as spaCy writes them (numpy vectors, msgpack key -> row, keys the
  64-bit MurmurHash2 of the word with seed 1), so spaCy is not needed.

Every method keeps what ``tfidf`` (the TF-IDF ranking gapcheck shipped alone before 2026-12-02) does for the rest: name + description
against title + category + summary, each field a unit vector, IDF learnt
from the requirements and every item of the operation, scores in [0, 1].
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from gapcheck.analysis.similarity import category_text, normalise
from gapcheck.core.model import InventoryItem, Requirement

Scorer = Callable[[Sequence[InventoryItem], Sequence[Requirement], Sequence[InventoryItem]], np.ndarray]
Vectors = Callable[[Sequence[InventoryItem], Sequence[Requirement], Sequence[InventoryItem]], tuple[Any, Any]]

CONTENT = {"名詞", "動詞", "形容詞", "形状詞", "接頭辞", "接尾辞"}
"""Parts of speech kept as words (particles, auxiliaries and marks are not)."""


def missing(needs: str) -> str | None:
    """Why a method cannot run here (the package to install), or None."""
    wanted = {"sudachi": ["sudachipy", "sudachidict_core"], "chive": ["sudachipy", "sudachidict_core", "msgpack", "ja_ginza"],
              "": []}
    absent = [m for m in wanted[needs] if importlib.util.find_spec(m) is None]
    return f"needs {', '.join(absent)} (see benchmarks/suggest_methods.py)" if absent else None


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """A split mode C tokenizer (``Dictionary.tokenizer`` since SudachiPy 0.6.3; ``create`` is deprecated in 0.7)."""
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(mode=SplitMode.C)


@functools.cache
def morphs(text: str) -> tuple[tuple[str, str, str, tuple[int, ...], str], ...]:
    """(surface, normalised form, reading, synonym group IDs, part of speech) of each word, split mode C."""
    return tuple((m.surface(), m.normalized_form(), m.reading_form(), tuple(m.synonym_group_ids()), m.part_of_speech()[0])
                 for m in _tokenizer().tokenize(normalise(text)))


def normalised_forms(text: str) -> str:
    return "".join(m[1] for m in morphs(text))


def readings(text: str) -> str:
    return "".join(m[2] for m in morphs(text))


def words(text: str, forms: bool = True, synonyms: bool = True) -> list[str]:
    """Content words as normalised forms (``forms``) and their synonym groups as ``#ID`` (``synonyms``)."""
    out: list[str] = []
    for _surface, form, _reading, groups, pos in morphs(text):
        if pos in CONTENT and form.strip():
            out += [form] if forms else []
            out += [f"#{g}" for g in groups] if synonyms else []
    return out


def _fields(items: Sequence[InventoryItem], reqs: Sequence[Requirement],
            corpus: Sequence[InventoryItem]) -> tuple[list[list[str]], list[list[str]], list[str]]:
    docs = [[r.title for r in reqs], [category_text(r) for r in reqs], [r.summary for r in reqs]]
    queries = [[i.name for i in items], [i.description for i in items]]
    return docs, queries, [t for i in corpus for t in (i.name, i.description)]


def tfidf(**options: Any) -> Vectors:
    """Unit TF-IDF vectors (queries, docs) with ``TfidfVectorizer(**options)``, each field a unit vector."""
    def vectors(items: Sequence[InventoryItem], reqs: Sequence[Requirement], corpus: Sequence[InventoryItem]) -> tuple[Any, Any]:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        docs, queries, extra = _fields(items, reqs, corpus)
        v = TfidfVectorizer(sublinear_tf=True, lowercase=False, **options)
        v.fit([t for f in docs for t in f] + extra)
        return (normalize(sum(normalize(v.transform(f)) for f in queries)),
                normalize(sum(normalize(v.transform(f)) for f in docs)))
    return vectors


def chars(pre: Callable[[str], str] = normalise) -> Vectors:
    """Character 1-2-grams of ``pre(text)``: with :func:`normalise` exactly the TF-IDF vectors gapcheck ranks by."""
    return tfidf(analyzer="char", ngram_range=(1, 2), preprocessor=pre)


@functools.lru_cache(maxsize=1)
def _chive() -> tuple[dict[int, int], np.ndarray]:
    import msgpack

    spec = importlib.util.find_spec("ja_ginza")
    assert spec is not None and spec.submodule_search_locations
    vocab = next(Path(spec.submodule_search_locations[0]).glob("ja_ginza-*/vocab"))
    key2row = msgpack.unpackb((vocab / "key2row").read_bytes(), strict_map_key=False)
    table = np.load(vocab / "vectors", allow_pickle=False).astype(np.float64)
    return key2row, table / np.maximum(np.linalg.norm(table, axis=1, keepdims=True), 1e-12)


def murmur64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, as spaCy hashes a string to its vector key (``hash_string``: seed 1)."""
    mask, m = (1 << 64) - 1, 0xC6A4A7935BD1E995
    h = (seed ^ (len(data) * m)) & mask
    whole = len(data) // 8 * 8
    for k in range(0, whole, 8):
        x = int.from_bytes(data[k:k + 8], "little") * m & mask
        h = (h ^ ((x ^ (x >> 47)) * m & mask)) * m & mask
    if len(data) > whole:
        h = (h ^ int.from_bytes(data[whole:], "little")) * m & mask
    h = (h ^ (h >> 47)) * m & mask
    return h ^ (h >> 47)


def word_vector(word: str) -> np.ndarray | None:
    """The unit chiVe vector of ``word``, or None when the model has no such word."""
    key2row, table = _chive()
    row = key2row.get(murmur64a(word.encode("utf-8")))
    return None if row is None else table[row]


def soft(tau: float, lam: float) -> Vectors:
    """Word TF-IDF whose query words also count, at ``lam`` x similarity, for every word with chiVe cosine >= ``tau``."""
    def vectors(items: Sequence[InventoryItem], reqs: Sequence[Requirement], corpus: Sequence[InventoryItem]) -> tuple[Any, Any]:
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        docs, queries, extra = _fields(items, reqs, corpus)
        v = TfidfVectorizer(analyzer=lambda t: words(t, synonyms=False), sublinear_tf=True)
        v.fit([t for f in docs for t in f] + extra)
        vocab = v.get_feature_names_out()
        found = [word_vector(w) for w in vocab]
        table = np.array([x if x is not None else np.zeros(300) for x in found])
        near = table @ table.T
        np.fill_diagonal(near, 0.0)
        near[near < tau] = 0.0
        expand = sparse.identity(len(vocab), format="csr") + lam * sparse.csr_matrix(near)
        q = normalize(normalize(sum(normalize(v.transform(f)) for f in queries)) @ expand)
        return q, normalize(sum(normalize(v.transform(f)) for f in docs))
    return vectors


def section_titles(weight: float) -> Vectors:
    """The TF-IDF vectors gapcheck ranks by, a requirement whose category labels are only numbers also reading as the titles of the
    other requirements of its section (``weight`` x a unit vector): the structure is all a legacy catalogue has."""
    def vectors(items: Sequence[InventoryItem], reqs: Sequence[Requirement], corpus: Sequence[InventoryItem]) -> tuple[Any, Any]:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        docs, queries, extra = _fields(items, reqs, corpus)
        section: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        for r in reqs:
            section.setdefault((r.operation, tuple(r.category)), []).append(r.title)
        others = ["" if category_text(r).strip() else
                  " ".join(t for t in dict.fromkeys(section[(r.operation, tuple(r.category))]) if t != r.title) for r in reqs]
        v = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, preprocessor=normalise, lowercase=False)
        v.fit([t for f in docs for t in f] + extra)
        return (normalize(sum(normalize(v.transform(f)) for f in queries)),
                normalize(sum(normalize(v.transform(f)) for f in docs) + weight * normalize(v.transform(others))))
    return vectors


def combine(*parts: tuple[float, Vectors]) -> Scorer:
    """The weighted mean of the cosines of each kind of vectors (weights: how much each counts)."""
    def score(items: Sequence[InventoryItem], reqs: Sequence[Requirement], corpus: Sequence[InventoryItem]) -> np.ndarray:
        total = np.zeros((len(items), len(reqs)))
        for weight, vectors in parts:
            q, d = vectors(items, reqs, corpus)
            total += weight * np.clip((q @ d.T).toarray(), 0.0, None)
        return total / sum(w for w, _ in parts)
    return score


METHODS: dict[str, tuple[str, Scorer]] = {
    "sudachi-norm": ("sudachi", combine((1, chars(normalised_forms)))),
    "tfidf+sudachi-norm": ("sudachi", combine((1, chars()), (0.5, chars(normalised_forms)))),
    "reading": ("sudachi", combine((1, chars(readings)))),
    "sudachi-words": ("sudachi", combine((1, tfidf(analyzer=words)))),
    "tfidf+synonyms": ("sudachi", combine((1, chars()), (0.25, tfidf(analyzer=lambda t: words(t, forms=False))))),
    "tfidf+chive": ("chive", combine((1, chars()), (1.0, soft(0.6, 1.0)))),
    "tfidf+section-titles": ("", combine((1, section_titles(0.25)))),
}
"""name -> (what it needs, scorer).  Weights and thresholds as chosen on ``dev`` (README)."""


def grid() -> dict[str, tuple[str, Scorer]]:
    """The variants compared on ``dev`` before the weights above were fixed (``suggest_quality.py --grid``)."""
    out: dict[str, tuple[str, Scorer]] = {}
    for w in (0.25, 0.5, 1.0):
        out[f"tfidf+section-titles*{w}"] = ("", combine((1, section_titles(w))))
        out[f"tfidf+sudachi-norm*{w}"] = ("sudachi", combine((1, chars()), (w, chars(normalised_forms))))
        out[f"tfidf+reading*{w}"] = ("sudachi", combine((1, chars()), (w, chars(readings))))
        out[f"tfidf+sudachi-words*{w}"] = ("sudachi", combine((1, chars()), (w, tfidf(analyzer=words))))
        out[f"tfidf+synonyms*{w}"] = ("sudachi", combine((1, chars()), (w, tfidf(analyzer=lambda t: words(t, forms=False)))))
    for tau in (0.5, 0.6, 0.7):
        for lam in (0.5, 1.0):
            out[f"chive-soft({tau},{lam})"] = ("chive", combine((1, soft(tau, lam))))
            for w in (0.5, 1.0):
                out[f"tfidf+chive({tau},{lam})*{w}"] = ("chive", combine((1, chars()), (w, soft(tau, lam))))
                out[f"sudachi-norm+chive({tau},{lam})*{w}"] = ("chive", combine((1, chars(normalised_forms)), (w, soft(tau, lam))))
    return out
