"""How alike a current item and a standard requirement read: character n-gram TF-IDF, one sparse product.

Japanese needs no word segmentation for this: every text is cut into
characters and pairs of characters (``ngram_range=(1, 2)``), weighted by
TF-IDF (scikit-learn's :class:`~sklearn.feature_extraction.text.TfidfVectorizer`
with ``analyzer="char"`` and sublinear term frequency), and compared by cosine.
The method and the other ones tried are measured on the labelled evaluation
set by ``benchmarks/suggest_quality.py`` (README, "Suggested links").

* An item reads as its name plus its description; a requirement as its
  title plus its category path plus its summary.  Each field is a unit vector
  before they are added, so a long summary does not drown a short title.
  Category labels that are only numbers (the section numbers of legacy
  catalogues, ``4.1.3``) carry no words and are left out.
* Text is compared after NFKC (full-width letters and digits, half-width kana)
  and lower case.
* The IDF is learnt from the texts of one ranking (the requirements that can
  be suggested and every inventory item of the operation), so an n-gram that
  every requirement holds weighs little.
* Scores are cosines of non-negative vectors, in [0, 1]; they are rounded to
  6 decimals before ranking so that equal texts tie exactly, and ties go to
  the smaller requirement ID.  Only requirements of the item's kind are
  ranked, and a requirement that shares no letter with the item but kana
  particles (の, を) is never suggested, however it scores.

scikit-learn and SciPy are imported inside :func:`rank`, never at import time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gapcheck.core.model import InventoryItem, Requirement

NGRAMS = (1, 2)
"""Character n-gram lengths (unigrams and bigrams; longer ones were measured worse)."""
ROWS_PER_BLOCK = 2048
"""Items scored per dense block: bounds the memory of one product at 2048 x requirements floats."""
MAX_MATCHED = 5
"""At most this many matched words per suggestion."""

_NUMBER_LABEL = re.compile(r"[\d.\-]+")
_RUN = re.compile(r"1+")
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
    return " ".join(c for c in req.category if not _NUMBER_LABEL.fullmatch(unicodedata.normalize("NFKC", c).strip()))


@dataclass(frozen=True)
class Match:
    """One ranked requirement for one item: its position in the pool and its score in [0, 1]."""

    requirement: int
    """Index into the requirements given to :func:`rank`."""
    score: float
    matched: tuple[str, ...]
    """The words of the item's text that the requirement's text also holds (the longest 5, in text order)."""


def rank(items: Sequence[InventoryItem], requirements: Sequence[Requirement], top: int,
         corpus: Sequence[InventoryItem] = ()) -> list[list[Match]]:
    """The ``top`` best requirements of the item's kind for every item, best first (ties: smaller ID).

    ``corpus`` holds further items whose text counts for the IDF (every item
    of the operation, so that the weights do not depend on which items are
    asked about).  Items whose text has no letter get no suggestion.
    """
    if not items or not requirements:
        return [[] for _ in items]
    import numpy as np

    order = sorted(range(len(requirements)), key=lambda j: (requirements[j].id, requirements[j].operation,
                                                            requirements[j].kind))
    pool = [requirements[j] for j in order]
    queries, docs = _vectors(items, pool, corpus)
    texts = [normalise(f"{i.name} {i.description}") for i in items]
    usable = np.array([has_letters(t) for t in texts])
    kinds = np.array([r.kind for r in pool])
    item_kinds = np.array([i.kind for i in items])
    doc_text = [normalise(" ".join((r.title, category_text(r), r.summary))) for r in pool]
    pairs = _bigram_sets(doc_text)
    out: list[list[Match]] = []
    for start in range(0, len(items), ROWS_PER_BLOCK):
        stop = min(start + ROWS_PER_BLOCK, len(items))
        product = np.asarray((queries[start:stop] @ docs.T).todense(), dtype=np.float64)
        scores: Any = np.round(np.clip(product, 0.0, 1.0), 6)
        scores[item_kinds[start:stop, None] != kinds[None, :]] = 0.0
        scores[~usable[start:stop]] = 0.0
        best = np.argsort(-scores, axis=1, kind="stable")
        for row, cols in enumerate(best):
            out.append(_top(texts[start + row], cols, scores[row], top, order, pairs, doc_text))
    return out


def _top(text: str, cols: Any, scores: Any, top: int, order: Sequence[int], pairs: Sequence[frozenset[str]],
         doc_text: Sequence[str]) -> list[Match]:
    """The first ``top`` requirements of one item's ranking that share a letter with it."""
    grams = [text[k:k + 2] for k in range(len(text) - 1)]
    found: list[Match] = []
    for c in cols:
        if len(found) == top or scores[c] <= 0.0:
            break
        words = matched_words(text, grams, pairs[c], doc_text[c])
        if words:
            found.append(Match(order[c], float(scores[c]), words))
    return found


def _vectors(items: Sequence[InventoryItem], pool: Sequence[Requirement], corpus: Sequence[InventoryItem]) -> tuple[Any, Any]:
    """Unit TF-IDF vectors of the items (name + description) and of the requirements (title + category + summary)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.preprocessing import normalize  # type: ignore[import-untyped]

    titles = [r.title for r in pool]
    categories = [category_text(r) for r in pool]
    summaries = [r.summary for r in pool]
    names = [i.name for i in items]
    descriptions = [i.description for i in items]
    known = {(i.operation, i.id) for i in items}
    extra = [t for i in corpus if (i.operation, i.id) not in known for t in (i.name, i.description)]
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True, preprocessor=normalise,
                                 dtype=np.float64)
    vectorizer.fit(titles + categories + summaries + names + descriptions + extra)
    docs = vectorizer.transform(titles) + vectorizer.transform(categories) + vectorizer.transform(summaries)
    queries = vectorizer.transform(names) + vectorizer.transform(descriptions)
    return normalize(queries).tocsr(), normalize(docs).tocsr()


def _bigram_sets(texts: Sequence[str]) -> list[frozenset[str]]:
    return [frozenset(t[k:k + 2] for k in range(len(t) - 1)) for t in texts]


def matched_words(text: str, grams: Sequence[str], pairs: frozenset[str], other: str) -> tuple[str, ...]:
    """The runs of ``text`` covered by character pairs that ``other`` also holds (``pairs``: its pair set).

    Runs made only of kana particles, marks or spaces are left out; the
    longest (at most :data:`MAX_MATCHED`) are kept, in the order they appear.
    With no shared pair, the shared single letters (not hiragana) are given.
    """
    flags = "".join("1" if g in pairs else "0" for g in grams)
    runs: list[str] = []
    for m in _RUN.finditer(flags):
        for piece in text[m.start():m.end() + 1].split():  # a pair across a space joins no words
            word = piece.strip(_EDGES)
            if len(word) > 1 and not _HIRAGANA_OR_MARK.fullmatch(word) and word not in runs:
                runs.append(word)
    if not runs:
        letters = dict.fromkeys(c for c in text if c in other and has_letters(c) and not "\u3040" <= c <= "\u309f")
        return tuple(list(letters)[:MAX_MATCHED])
    keep = set(sorted(runs, key=lambda w: (-len(w), runs.index(w)))[:MAX_MATCHED])
    return tuple(w for w in runs if w in keep)
