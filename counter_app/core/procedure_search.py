"""Which procedure a clerk means when they type a few words: ranked by relevance, never by code.

A clerk types "khai sinh" and presses Enter; the first result becomes the dossier's procedure,
and with it the fee, the due date and the checklist printed on the receipt. Ranking by code
put "khai sinh kết hợp nhận cha, mẹ, con" (3 days, 10,000đ) before plain "khai sinh" (same
day, free). So the ranking follows how well the words fit the procedure's title:

1. the exact national code, then codes starting with what was typed;
2. the typed words as one phrase in the name, then every word as a whole word, then every
   word as the start of a word (the last word may still be being typed); a typed word
   inside another word does not count, nor does the leading "Thủ tục" ("khai tu" must not
   find "Thủ tục ... khai sinh"), unless "thủ tục" is all that was typed;
3. among equally good matches, the title with the fewest words left over: "đăng ký khai
   sinh" fits "khai sinh" better than "đăng ký khai sinh lưu động";
4. then how often this center uses the procedure (counts passed in by a service);
5. then the shorter name, and only to make the order stable, the code.

The title is the official name without the "Thủ tục" most names start with. Words are folded
(no diacritics, lower case, đ as d), so "ket hon" and "kết hôn" rank the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from counter_app.core.catalogue import Procedure
from counter_app.core.text import fold

_WORD = re.compile(r"[0-9a-z]+")
_LEADING = ("thu", "tuc")

# Match tiers, best first.
EXACT_CODE, CODE_PREFIX, PHRASE, WHOLE_WORDS, WORD_STARTS = range(5)


@dataclass(frozen=True)
class Ranked:
    """One procedure with the reasons for its place (kept for tests and the CLI's JSON)."""

    procedure: Procedure
    tier: int
    extra_words: int
    uses: int


def title_words(name: str) -> list[str]:
    """The folded words of a procedure's title: its name without a leading "Thủ tục"."""
    words = _WORD.findall(fold(name))
    if tuple(words[:2]) == _LEADING:
        words = words[2:]
    return words


def _name_tier(query: list[str], words: list[str]) -> int | None:
    """How the typed words meet the name's words; None when some word is not there."""
    size = len(query)
    if any(words[i : i + size] == query for i in range(len(words) - size + 1)):
        return PHRASE
    if all(q in words for q in query):
        return WHOLE_WORDS
    if all(any(w.startswith(q) for w in words) for q in query):
        return WORD_STARTS
    return None


def _only_leading(query: list[str], name: str) -> bool:
    """True when a clerk typed just "thủ tục" (or its start) and the name begins with it."""
    leading = _WORD.findall(fold(name))[:2]
    return tuple(leading) == _LEADING and all(
        any(word.startswith(q) for word in leading) for q in query
    )


def _extra_words(query: list[str], words: list[str]) -> int:
    """Title words that no typed word accounts for: fewer means a closer fit."""
    return sum(1 for w in words if not any(w.startswith(q) for q in query))


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
    found: list[tuple[tuple, Ranked]] = []
    for proc in procedures:
        code = proc.code.casefold()
        count = max(0, int(uses.get(proc.code, 0)))
        if code == code_query or code.startswith(code_query):
            tier = EXACT_CODE if code == code_query else CODE_PREFIX
            ranked = Ranked(proc, tier, 0, count)
            found.append(((tier, 0, -count, 0, proc.code), ranked))
            continue
        words = title_words(proc.name)
        tier = _name_tier(query, words) if query else None
        if tier is None and query and _only_leading(query, proc.name):
            tier = WORD_STARTS
        if tier is None:
            continue
        extra = _extra_words(query, words)
        ranked = Ranked(proc, tier, extra, count)
        found.append(((tier, extra, -count, len(proc.name), proc.code), ranked))
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
