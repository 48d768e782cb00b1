"""Items of two lists paired by identity: a changed item is one change, not a removal and an addition."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ladderbuild.listmatch import ADDED, CHANGED, REMOVED, SAME, match_lists, similar_text, text_groups


def statuses(pairs):
    return [(p.status, p.before, p.after) for p in pairs]


def test_an_indicator_with_another_target_is_one_change():
    before = [{"id": "rooming", "target": "≥ 95%"}, {"id": "gaps", "target": "≥ 80%"}]
    after = [{"id": "rooming", "target": "≥ 97%"}, {"id": "gaps", "target": "≥ 80%"}, {"id": "refills", "target": "90%"}]
    pairs = match_lists(before, after, identity=lambda k: [k["id"]])
    assert [(p.status, (p.before or p.after)["id"]) for p in pairs] == [
        (CHANGED, "rooming"), (SAME, "gaps"), (ADDED, "refills")]
    assert pairs[0].before["target"] == "≥ 95%" and pairs[0].after["target"] == "≥ 97%"


def test_a_credential_that_gained_a_deadline_or_an_alternative_is_the_same_requirement():
    cma = {"one_of": ["cma"], "within": None}
    cma_12 = {"one_of": ["cma"], "within": 12}
    cma_or_rma = {"one_of": ["cma", "rma"], "within": None}
    bls = {"one_of": ["bls"], "within": None}
    pairs = match_lists([bls, cma], [cma_12, bls], identity=lambda r: r["one_of"])
    assert statuses(pairs) == [(CHANGED, cma, cma_12), (SAME, bls, bls)]
    assert statuses(match_lists([cma], [cma_or_rma], identity=lambda r: r["one_of"])) == [(CHANGED, cma, cma_or_rma)]
    # without identity, the two are different items
    assert statuses(match_lists([cma], [cma_12])) == [(REMOVED, cma, None), (ADDED, None, cma_12)]


def test_a_reworded_sentence_pairs_a_new_one_does_not():
    before = ["Rooms patients", "Works the inbox within protocol"]
    after = ["Rooms patients", "Works the team inbox within protocol", "Rooms patients and takes vital signs"]
    pairs = match_lists(before, after, similar=similar_text)
    assert statuses(pairs) == [
        (SAME, "Rooms patients", "Rooms patients"),
        (CHANGED, "Works the inbox within protocol", "Works the team inbox within protocol"),
        (ADDED, None, "Rooms patients and takes vital signs")]
    # sentences made from one template are different things
    assert not similar_text("Completes Ambulatory cardiac monitoring within three months of starting in the role",
                            "Completes Ophthalmic assisting skills within three months of starting in the role")


def test_removed_items_stay_where_they_were():
    pairs = match_lists(["a", "b", "c", "d"], ["a", "c", "e"])
    assert statuses(pairs) == [(SAME, "a", "a"), (REMOVED, "b", None), (SAME, "c", "c"), (REMOVED, "d", None),
                               (ADDED, None, "e")]


@given(st.lists(st.sampled_from("abcdef"), max_size=6), st.lists(st.sampled_from("abcdef"), max_size=6))
def test_every_item_of_both_lists_appears_once_in_order(before, after):
    pairs = match_lists(before, after, identity=lambda x: [x.upper()])
    assert [p.after for p in pairs if p.after is not None] == after
    assert sorted(p.before for p in pairs if p.before is not None) == sorted(before)
    assert all(p.before is None or p.after is None or p.before.upper() == p.after.upper() for p in pairs)


def test_text_groups_pair_rewordings_but_never_two_items_of_one_list():
    groups = text_groups([["Works the inbox within protocol", "Rooms patients"],
                          ["Works the team inbox within protocol", "Rooms patients"],
                          ["Rooms patient", "Rooms patients"]])
    assert groups["Works the inbox within protocol"] == groups["Works the team inbox within protocol"]
    assert groups["Rooms patients"] != groups["Works the inbox within protocol"]
    assert groups["Rooms patient"] != groups["Rooms patients"]  # both in the third list: two things


def test_text_groups_stay_bounded_on_a_huge_list():
    from ladderbuild import listmatch

    texts = [f"Works the inbox within protocol number {i}" for i in range(listmatch.MAX_SIMILAR_TEXTS + 1)]
    groups = text_groups([texts[: len(texts) // 2], texts[len(texts) // 2:]])
    assert len(set(groups.values())) == len(texts)  # past the bound, only equal texts group


_WORDS = st.sampled_from(["rooms", "patients", "takes", "vital", "signs", "within", "protocol", "the", "team",
                          "inbox", "works", "ECG", "Holter", "én", "ß", "SS", ""])


@given(st.lists(_WORDS, max_size=8).map(" ".join), st.lists(_WORDS, max_size=8).map(" ".join),
       st.sampled_from([0.5, 0.8, 0.9, 1.0]))
def test_similar_text_answers_as_difflibs_ratio_does(a, b, threshold):
    """The bounds checked before a SequenceMatcher is made (lengths, shared characters) only skip the
    pairs difflib's own ratio would refuse: the answer is the ratio's, case ignored."""
    from difflib import SequenceMatcher

    expected = a == b or SequenceMatcher(None, a.casefold(), b.casefold(), autojunk=False).ratio() >= threshold
    assert similar_text(a, b, threshold) == expected
