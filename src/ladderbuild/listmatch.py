"""Pair the items of two lists by identity, so that an item that changed is one change.

Two levels (or two versions of one level) list indicators, credentials and
responsibilities. Compared as whole strings, an indicator whose target moved
from "≥ 95%" to "≥ 97%" would read as one item removed and another added; so
would a credential that gained "within 12 months". `match_lists` pairs them
instead, and says of each pair whether it is the same, changed, added or
removed:

- items equal as a whole pair first;
- then items that share an identity token (`identity`: an indicator's id, the
  credentials a requirement accepts — a requirement restated with one more
  accepted credential is still the same requirement);
- then, for plain text with no identity, items similar enough to be the same
  sentence reworded (`similar`, see `similar_text`).

Pure functions of their arguments, with no knowledge of the content model, so
the handbook (compare, "What is new", next steps) and the version diff can
share them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Callable, Generic, Hashable, Iterable, Sequence, TypeVar

T = TypeVar("T")

SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"
# The `similar_text` ratio from which two sentences are one sentence reworded. Cautious: sentences made
# from one template ("Completes <course> within three months …") reach 0.79 and are different things;
# a sentence that lost or gained a clause stays above it.
SIMILAR_TEXT = 0.8


@dataclass(frozen=True)
class Pair(Generic[T]):
    """An item of the first list, its counterpart in the second, or both."""

    before: T | None
    after: T | None

    @property
    def status(self) -> str:
        if self.before is None:
            return ADDED
        if self.after is None:
            return REMOVED
        return SAME if self.before == self.after else CHANGED


def match_lists(before: Sequence[T], after: Sequence[T], *,
                identity: Callable[[T], Iterable[Hashable]] | None = None,
                similar: Callable[[T, T], bool] | None = None) -> list[Pair[T]]:
    """Every item of both lists, paired where they are the same thing, in reading order.

    The order follows `after`; an item only `before` has comes right after the
    item it followed there. `identity(item)` gives tokens: items sharing one are
    the same thing. `similar(a, b)` pairs what is left (for items with no identity).
    """
    partner: dict[int, int] = {}  # index in before → index in after
    taken: set[int] = set()

    def pair_where(test: Callable[[T, T], bool]) -> None:
        for i, a in enumerate(before):
            if i in partner:
                continue
            for j, b in enumerate(after):
                if j not in taken and test(a, b):
                    partner[i] = j
                    taken.add(j)
                    break

    pair_where(lambda a, b: a == b)
    if identity is not None:
        tokens = {id(x): set(identity(x)) for x in (*before, *after)}
        pair_where(lambda a, b: bool(tokens[id(a)] & tokens[id(b)]))
    if similar is not None:
        pair_where(similar)

    placed: list[tuple[float, int, Pair[T]]] = []
    for j, b in enumerate(after):
        i = next((i for i, jj in partner.items() if jj == j), None)
        placed.append((j, 0, Pair(before[i] if i is not None else None, b)))
    position = -1  # an unpaired item of `before` goes after the paired item it followed (or first)
    for i, a in enumerate(before):
        if i in partner:
            position = partner[i]
        else:
            placed.append((position + 0.5, i + 1, Pair(a, None)))
    return [pair for _pos, _i, pair in sorted(placed, key=lambda p: (p[0], p[1]))]


def similar_text(a: str, b: str, threshold: float = SIMILAR_TEXT) -> bool:
    """Whether two sentences are one sentence reworded: most of their characters in the same order
    (difflib's ratio, ignoring case). "Works the inbox within protocol" and "Works the team inbox
    within protocol" are (0.92); "Rooms patients" and "Rooms patients and takes vital signs" are not
    (0.56): that is a new responsibility."""
    return a == b or _alike(a.casefold(), b.casefold(), threshold)


@lru_cache(maxsize=65536)
def _alike(a: str, b: str, threshold: float) -> bool:
    # difflib's two quick ratios are upper bounds of its ratio, and most pairs of different sentences fail
    # them. They are computed here as difflib does (2 × matches / total length; matches bounded by the
    # shorter length, then by the characters the two share as multisets), from lengths and each text's
    # character counts, so that a SequenceMatcher, whose set-up indexes every character of `b`, is made
    # only for the pairs that pass: same answers, a third of the time over the shipped framework's
    # level pairs.
    total = len(a) + len(b)
    if not total:
        return True  # difflib: two empty sequences are alike (ratio 1.0)
    if 2 * min(len(a), len(b)) / total < threshold:
        return False
    if 2 * (_characters(a) & _characters(b)).total() / total < threshold:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold


@lru_cache(maxsize=4096)
def _characters(text: str) -> Counter:
    return Counter(text)


# Grouping compares every pair of distinct texts: past this many, texts group only when equal, so that
# the work stays bounded however large the framework (the shipped ones have well under a hundred).
MAX_SIMILAR_TEXTS = 400


def text_groups(lists: Iterable[Sequence[str]], threshold: float = SIMILAR_TEXT) -> dict[str, int]:
    """A group number for every text of `lists` such that texts `similar_text` calls one sentence share
    it — except two texts of the same list, which are always different things.

    For pairing items where two lists are chosen later (in the reader's browser): items of two
    lists are the same thing when they have the same group.
    """
    group: dict[str, int] = {}
    members: list[list[str]] = []
    together: dict[str, set[str]] = {}  # text → texts it shares a list with
    for items in lists:
        for text in items:
            together.setdefault(text, set()).update(t for t in items if t != text)
    if len(together) > MAX_SIMILAR_TEXTS:
        return {text: i for i, text in enumerate(together)}
    for text in together:
        if text in group:
            continue
        found = next((g for g, texts in enumerate(members)
                      if all(not (t in together[text]) for t in texts)
                      and any(similar_text(text, t, threshold) for t in texts)), None)
        if found is None:
            found = len(members)
            members.append([])
        members[found].append(text)
        group[text] = found
    return group
