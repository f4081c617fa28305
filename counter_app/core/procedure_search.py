"""Which procedure a clerk means when they type a few words, in their words or the citizen's.

A clerk types what the citizen says ("làm giấy khai sinh cho con", "nhập hộ khẩu", "photo
công chứng") and presses Enter; the first result becomes the dossier's procedure, with its
fee, due date and checklist. Titles are official ("đăng ký thường trú", "chứng thực bản sao");
people are not, so each procedure also carries its everyday words (catalogue
`everyday_words`), and the ranking is a BM25F score over three fields:

- the title (the name without the leading "Thủ tục") and the everyday words weigh most;
- the documents of the checklist weigh little ("giấy báo tử" tells khai tử from mai táng);
- the sector a little more ("hộ kinh doanh").

Words are folded (no diacritics, lower case, đ as d), so "ket hon" and "kết hôn" rank the
same, and "dk"/"đk" are one word. A word that matches nothing does not empty the list
("làm", "xin", "cho con" are how people talk); the common filler words count for a quarter.
Words that follow each other in the query and in a phrase score again as a phrase, and a
whole everyday phrase found in the query scores most: "báo tử" is death registration, not
the burial support whose papers mention a death. A procedure that has every real word
typed beats one that has only some ("khai si" is "khai sinh", not "liệt sĩ"), and the
title's share that the query accounts for adds a little ("kết hôn" fits "đăng ký kết hôn"
better than "đăng ký lại kết hôn"). Only the last word may be unfinished (the clerk is
still typing); a typed word inside another word does not count.

Order: the exact national code, then codes starting with what was typed; then the score
(results far below the best are left out); among equal scores, the title with the fewest
words left over, then how often this center uses the procedure (counts passed in by a
service), then the shorter name and the code.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from counter_app.core.catalogue import Procedure
from counter_app.core.text import fold

_WORD = re.compile(r"[0-9a-z]+")
_LEADING = ("thu", "tuc")
# How people ask, not what they ask for: each counts for a quarter of a word.
FILLERS = frozenset({
    "lam", "xin", "cho", "giay", "toi", "muon", "can", "di", "o", "de", "a", "nhe", "voi",
    "ve", "cua", "the", "nao", "gi", "va", "em", "anh", "chi",
})  # fmt: skip
FILLER_WEIGHT = 0.25
# Field weights and length normalisation (BM25F); K1 saturates repeated words.
TITLE, EVERYDAY, DOCUMENTS, SECTOR = range(4)
WEIGHTS = {TITLE: 3.0, EVERYDAY: 3.0, DOCUMENTS: 0.4, SECTOR: 1.0}
LENGTH_B = {TITLE: 0.5, EVERYDAY: 0.2, DOCUMENTS: 0.75, SECTOR: 0.3}
K1 = 1.2
BIGRAM_BONUS = 0.6  # per pair of query words found side by side in a phrase, times its idf
PHRASE_BONUS = 1.2  # per word of an everyday phrase (2+ words) found whole in the query
UNFINISHED = 0.8  # the last word matched only as the start of a longer word
TITLE_FIT = 2.0  # times the share of the title's words the query accounts for
COVERAGE = 0.6  # the share of the score that depends on finding every real word typed
KEEP_RATIO = 0.35  # results scoring under this share of the best are left out

# Match tiers, best first.
EXACT_CODE, CODE_PREFIX, WORDS = range(3)


@dataclass(frozen=True)
class Ranked:
    """One procedure with the reasons for its place (kept for tests and the CLI's JSON)."""

    procedure: Procedure
    tier: int
    extra_words: int
    uses: int
    score: float = 0.0


def title_words(name: str) -> list[str]:
    """The folded words of a procedure's title: its name without a leading "Thủ tục"."""
    words = _WORD.findall(fold(name))
    if tuple(words[:2]) == _LEADING:
        words = words[2:]
    return words


class _Entry:
    """One procedure's words, field by field, counted once per catalogue."""

    def __init__(self, proc: Procedure) -> None:
        self.procedure = proc
        self.title = title_words(proc.name)
        self.phrases = [_WORD.findall(fold(p)) for p in proc.everyday_words]
        documents = [w for d in proc.documents for w in _WORD.findall(fold(d.name))]
        fields = {
            TITLE: self.title,
            EVERYDAY: [w for p in self.phrases for w in p],
            DOCUMENTS: documents,
            SECTOR: _WORD.findall(fold(proc.sector)),
        }
        self.counts = {f: Counter(words) for f, words in fields.items()}
        self.lengths = {f: len(words) for f, words in fields.items()}
        self.words = set().union(*self.counts.values())
        sequences = (self.title, *self.phrases)
        self.pairs = {pair for seq in sequences for pair in zip(seq, seq[1:], strict=False)}


class _Index:
    """The catalogue's words for scoring: entries, document frequencies, mean lengths."""

    def __init__(self, procedures: Iterable[Procedure]) -> None:
        self.entries = [_Entry(p) for p in procedures]
        size = max(1, len(self.entries))
        self.mean = {f: max(1.0, sum(e.lengths[f] for e in self.entries) / size) for f in WEIGHTS}
        frequency: Counter[str] = Counter(w for e in self.entries for w in e.words)
        self.idf = {w: math.log(1 + (size - n + 0.5) / (n + 0.5)) for w, n in frequency.items()}
        self.vocabulary = sorted(frequency)

    def term_score(self, entry: _Entry, word: str) -> float:
        """BM25F of one word in one procedure: the fields' weighted counts, saturated."""
        weighted = 0.0
        for f, weight in WEIGHTS.items():
            tf = entry.counts[f].get(word, 0)
            if tf:
                norm = 1 - LENGTH_B[f] + LENGTH_B[f] * entry.lengths[f] / self.mean[f]
                weighted += weight * tf / norm
        return self.idf[word] * weighted * (K1 + 1) / (K1 + weighted) if weighted else 0.0


_CACHE: dict[int, tuple[tuple[Procedure, ...], _Index]] = {}


def _index(procedures: Iterable[Procedure]) -> _Index:
    """The index of a catalogue's procedures; a stored catalogue is one tuple, built once."""
    if not isinstance(procedures, tuple):
        return _Index(procedures)
    cached = _CACHE.get(id(procedures))
    if cached is None or cached[0] is not procedures:
        if len(_CACHE) > 8:
            _CACHE.clear()
        cached = _CACHE[id(procedures)] = (procedures, _Index(procedures))
    return cached[1]


def _phrase_bonus(query: list[str], entry: _Entry, idf: Mapping[str, float]) -> float:
    """Words side by side in the query and in a phrase; a whole everyday phrase most."""
    bonus = sum(
        BIGRAM_BONUS * (idf.get(a, 0) + idf.get(b, 0)) / 2
        for a, b in set(zip(query, query[1:], strict=False))
        if (a, b) in entry.pairs
    )
    longest = 0
    for phrase in entry.phrases:
        size = len(phrase)
        if size > 1 and any(query[i : i + size] == phrase for i in range(len(query) - size + 1)):
            longest = max(longest, size)
    if len(query) == 1 and query in entry.phrases:  # "sao", "tố cáo": one word said alone
        longest = 1
    return bonus + PHRASE_BONUS * longest


def _only_leading(query: list[str], name: str) -> bool:
    """True when a clerk typed just "thủ tục" (or its start) and the name begins with it."""
    leading = _WORD.findall(fold(name))[:2]
    return tuple(leading) == _LEADING and all(
        any(word.startswith(q) for word in leading) for q in query
    )


def _extra_words(query: list[str], words: list[str]) -> int:
    """Title words that no typed word accounts for: fewer means a closer fit."""
    return sum(1 for w in words if not any(w.startswith(q) for q in query))


def _score(index: _Index, entry: _Entry, query: list[str], weights: list[float]) -> float:
    """One procedure's score for one reading of the query; 0 when no real word matches."""
    total, found, wanted = 0.0, 0, 0
    for term, weight in zip(query, weights, strict=True):
        points = index.term_score(entry, term)
        total += weight * points
        if weight > FILLER_WEIGHT:
            wanted += 1
            found += points > 0
    if not found:
        return 0.0
    fit = 1 - _extra_words(query, entry.title) / max(1, len(entry.title))
    score = total + _phrase_bonus(query, entry, index.idf) + TITLE_FIT * fit
    return score * (1 - COVERAGE + COVERAGE * found / wanted)


def _scores(index: _Index, query: list[str], unfinished: bool) -> dict[int, float]:
    """Each matching entry's score, by position in the index. An unfinished last word is
    read as each word of the procedure it starts ("khai si" as "khai sinh"), at a discount."""
    weights = [FILLER_WEIGHT if q in FILLERS else 1.0 for q in query]
    if all(q in FILLERS for q in query):
        weights = [1.0] * len(query)  # "giấy" alone is a real question
    last, scores = query[-1], {}
    for n, entry in enumerate(index.entries):
        best = _score(index, entry, query, weights)
        if unfinished:
            for word in entry.words:
                if word != last and word.startswith(last):
                    reading = [*query[:-1], word]
                    best = max(best, UNFINISHED * _score(index, entry, reading, weights))
        if best > 0:
            scores[n] = best
    return scores


def rank_procedures(
    procedures: Iterable[Procedure],
    text: str,
    *,
    uses: Mapping[str, int] | None = None,
    limit: int = 20,
) -> list[Ranked]:
    """The procedures matching `text`, best first (see the module's docstring for the order)."""
    folded = fold(text)
    query = _WORD.findall(folded)
    code_query = "".join(folded.split())
    if not code_query or limit <= 0:
        return []
    uses = uses or {}
    index = _index(procedures)
    found: list[tuple[tuple, Ranked]] = []

    def add(entry: _Entry, tier: int, score: float) -> None:
        proc = entry.procedure
        count = max(0, int(uses.get(proc.code, 0)))
        extra = _extra_words(query, entry.title) if tier == WORDS else 0
        key = (tier, -round(score, 4), extra, -count, len(proc.name), proc.code)
        found.append((key, Ranked(proc, tier, extra, count, score)))

    coded = set()
    for n, entry in enumerate(index.entries):
        code = entry.procedure.code.casefold()
        if code == code_query or code.startswith(code_query):
            add(entry, EXACT_CODE if code == code_query else CODE_PREFIX, 0.0)
            coded.add(n)
    scores = _scores(index, query, unfinished=not text[-1:].isspace()) if query else {}
    best = max(scores.values(), default=0.0)
    for n, score in scores.items():
        if n not in coded and score >= KEEP_RATIO * best:
            add(index.entries[n], WORDS, score)
    for n, entry in enumerate(index.entries):  # "thủ tục" typed alone: every such name
        if n not in scores and n not in coded and _only_leading(query, entry.procedure.name):
            add(entry, WORDS, 0.0)
    found.sort(key=lambda item: item[0])
    return [ranked for _, ranked in found[:limit]]


def search_procedures(
    procedures: Iterable[Procedure],
    text: str,
    *,
    uses: Mapping[str, int] | None = None,
    limit: int = 20,
) -> list[Procedure]:
    """`rank_procedures` without the reasons: just the procedures, best first."""
    return [r.procedure for r in rank_procedures(procedures, text, uses=uses, limit=limit)]
