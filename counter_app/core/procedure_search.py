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
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from heapq import heappop, heappush

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


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    """The folded words of a text. Papers repeat across procedures ("Tờ khai", "Giấy tờ
    tùy thân"), and folding is most of the cost of indexing a province's catalogue."""
    return tuple(_WORD.findall(fold(text)))


def title_words(name: str) -> list[str]:
    """The folded words of a procedure's title: its name without a leading "Thủ tục"."""
    words = list(_words(name))
    if tuple(words[:2]) == _LEADING:
        words = words[2:]
    return words


class _Entry:
    """One procedure's words, field by field, and each word's points once the catalogue's
    word frequencies are known (so a keystroke only looks them up)."""

    def __init__(self, proc: Procedure) -> None:
        self.procedure = proc
        self.code = proc.code.casefold()
        self.title = title_words(proc.name)
        self.leading = _words(proc.name)[:2]
        self.phrases = [_words(p) for p in proc.everyday_words]
        documents = [w for d in proc.documents for w in _words(d.name)]
        fields = {
            TITLE: self.title,
            EVERYDAY: [w for p in self.phrases for w in p],
            DOCUMENTS: documents,
            SECTOR: _words(proc.sector),
        }
        self.counts = {f: Counter(words) for f, words in fields.items()}
        self.lengths = {f: len(words) for f, words in fields.items()}
        self.words = set().union(*self.counts.values())
        sequences = (self.title, *self.phrases)
        self.pairs = {pair for seq in sequences for pair in zip(seq, seq[1:], strict=False)}
        self.points: dict[str, float] = {}

    def weigh(self, idf: Mapping[str, float], mean: Mapping[int, float]) -> None:
        """BM25F of each word: the fields' weighted counts, length-normalised, saturated."""
        weighted: Counter[str] = Counter()
        for f, counts in self.counts.items():
            norm = 1 - LENGTH_B[f] + LENGTH_B[f] * self.lengths[f] / mean[f]
            for word, tf in counts.items():
                weighted[word] += WEIGHTS[f] * tf / norm
        self.points = {w: idf[w] * x * (K1 + 1) / (K1 + x) for w, x in weighted.items()}


class _Index:
    """The catalogue's words for scoring: entries, which entries hold each word, idf."""

    def __init__(self, procedures: Iterable[Procedure]) -> None:
        self.entries = [_Entry(p) for p in procedures]
        size = max(1, len(self.entries))
        mean = {f: max(1.0, sum(e.lengths[f] for e in self.entries) / size) for f in WEIGHTS}
        self.postings: dict[str, list[int]] = {}
        for n, entry in enumerate(self.entries):
            for word in entry.words:
                self.postings.setdefault(word, []).append(n)
        self.idf = {
            w: math.log(1 + (size - len(ns) + 0.5) / (len(ns) + 0.5))
            for w, ns in self.postings.items()
        }
        for entry in self.entries:
            entry.weigh(self.idf, mean)
        self.vocabulary = sorted(self.postings)

    def completions(self, start: str) -> set[str]:
        """The catalogue's words that begin with `start` (the word being typed)."""
        first = bisect_left(self.vocabulary, start)
        last = bisect_left(self.vocabulary, start + "\x7f")
        return set(self.vocabulary[first:last])


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


class _Reading:
    """One way to read the query (the last word as typed, or as a word it starts), with
    what every procedure is compared against: weights, side-by-side pairs, phrases."""

    def __init__(self, query: list[str], idf: Mapping[str, float]) -> None:
        self.query = query
        fillers_only = all(q in FILLERS for q in query)  # "giấy" alone is a real question
        self.weights = [1.0 if fillers_only or q not in FILLERS else FILLER_WEIGHT for q in query]
        self.pairs = {
            (a, b): BIGRAM_BONUS * (idf.get(a, 0) + idf.get(b, 0)) / 2
            for a, b in zip(query, query[1:], strict=False)
        }
        size = len(query)
        # every run of 2+ words, and a lone word ("sao y" typed as "sao" is not a phrase)
        self.runs = {tuple(query[i:j]) for i in range(size) for j in range(i + 2, size + 1)}
        if size == 1:
            self.runs.add(tuple(query))

        # the most the phrase, pair and title parts can add: bounds what is worth scoring
        self.most_extra = sum(self.pairs.values()) + PHRASE_BONUS * size + TITLE_FIT

    def words_score(self, entry: _Entry) -> tuple[float, float]:
        """The BM25F sum of the typed words and the coverage factor; (0, 0) when no real
        word matches."""
        total, found, wanted = 0.0, 0, 0
        for term, weight in zip(self.query, self.weights, strict=True):
            points = entry.points.get(term, 0.0)
            total += weight * points
            if weight > FILLER_WEIGHT:
                wanted += 1
                found += points > 0
        return (total, 1 - COVERAGE + COVERAGE * found / wanted) if found else (0.0, 0.0)

    def extra(self, entry: _Entry) -> float:
        """Pairs side by side, the longest everyday phrase said whole, the title's fit."""
        bonus = sum(v for pair, v in self.pairs.items() if pair in entry.pairs)
        longest = max((len(p) for p in entry.phrases if p in self.runs), default=0)
        fit = 1 - _extra_words(self.query, entry.title) / max(1, len(entry.title))
        return bonus + PHRASE_BONUS * longest + TITLE_FIT * fit


def _only_leading(query: list[str]) -> bool:
    """True when a clerk typed just "thủ tục" (or the start of its words)."""
    return all(any(word.startswith(q) for word in _LEADING) for q in query)


def _extra_words(query: list[str], words: list[str]) -> int:
    """Title words that no typed word accounts for: fewer means a closer fit."""
    starts = tuple(query)
    return sum(1 for w in words if not w.startswith(starts))


def _scores(index: _Index, query: list[str], unfinished: bool, keep: int) -> dict[int, float]:
    """The scores of the best `keep` matching entries (and any tied with them), by position
    in the index. Only procedures holding a typed word are looked at, and the phrase and
    title parts are worked out only while they can still lift a procedure into the best
    `keep` (a province lists hundreds of procedures; a keystroke must stay quick). An
    unfinished last word is also read as the procedure's weightiest word it starts ("khai
    si" as "khai sinh"), at a discount."""
    as_typed = _Reading(query, index.idf)
    real = [q for q, w in zip(query, as_typed.weights, strict=True) if w > FILLER_WEIGHT]
    started = index.completions(query[-1]) - {query[-1]} if unfinished else set()
    candidates = {n for word in (*real, *started) for n in index.postings.get(word, ())}
    readings: dict[str, _Reading] = {}
    bounded = []  # (most it can score, entry, reading, discount, words' sum, coverage)
    for n in candidates:
        entry = index.entries[n]
        choices = [(as_typed, 1.0)]
        words = started & entry.words
        if words:  # the word it most likely is here: the one that weighs most
            word = max(words, key=lambda w: (entry.points[w], w))
            if word not in readings:
                readings[word] = _Reading([*query[:-1], word], index.idf)
            choices.append((readings[word], UNFINISHED))
        for reading, discount in choices:
            total, coverage = reading.words_score(entry)
            if coverage:
                most = discount * (total + reading.most_extra) * coverage
                bounded.append((most, n, reading, discount, total, coverage))
    bounded.sort(key=lambda item: -item[0])
    scores: dict[int, float] = {}
    kept: list[float] = []  # the best `keep` scores so far, a min-heap
    for most, n, reading, discount, total, coverage in bounded:
        if len(kept) >= keep and most < kept[0]:
            break  # nothing further down can enter the best `keep`
        score = discount * (total + reading.extra(index.entries[n])) * coverage
        if score > scores.get(n, 0.0):
            scores[n] = score
            heappush(kept, score)
            if len(kept) > keep:
                heappop(kept)
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
        if entry.code.startswith(code_query):
            add(entry, EXACT_CODE if entry.code == code_query else CODE_PREFIX, 0.0)
            coded.add(n)
    unfinished = not text[-1:].isspace()
    scores = _scores(index, query, unfinished, keep=limit) if query else {}
    best = max(scores.values(), default=0.0)
    for n, score in scores.items():
        if n not in coded and score >= KEEP_RATIO * best:
            add(index.entries[n], WORDS, score)
    if query and _only_leading(query):  # "thủ tục" typed alone: every name it starts
        for n, entry in enumerate(index.entries):
            if n not in scores and n not in coded and entry.leading == _LEADING:
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
