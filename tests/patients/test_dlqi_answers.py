"""DLQI as the questionnaire asks it: answers in words, "not relevant", item 7 in two parts and
the Cardiff rule for unanswered items (patients.scoring, no database)."""

import pytest

from patients.scoring import (
    DLQI_BANDS_SOURCE,
    DLQI_NOT_RELEVANT_ITEMS,
    DlqiAnswer,
    DlqiBand,
    DlqiResult,
    DlqiWorkAnswer,
    DlqiWorkProblem,
    ScoringInputError,
    dlqi_from_answers,
    dlqi_item_score,
    dlqi_unanswered,
    dlqi_work_item_score,
)

# ---------------------------------------------------------------------------------------------
# Item 7, every combination of its two parts
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prevented", "problem", "score"),
    [
        ("yes", None, 3),
        # "Yes" scores 3 even when a second-part box is ticked too (highest box counts).
        ("yes", "a_lot", 3),
        ("yes", "a_little", 3),
        ("yes", "not_at_all", 3),
        ("no", "a_lot", 2),
        ("no", "a_little", 1),
        ("no", "not_at_all", 0),
        ("no", None, 0),  # "no" with the second part left blank stays 0
        ("not_relevant", None, 0),
        # Cardiff: a lot / a little ticked after "not relevant" is scored 2 / 1.
        ("not_relevant", "a_lot", 2),
        ("not_relevant", "a_little", 1),
        ("not_relevant", "not_at_all", 0),
        # Only the second part answered: it is an answer, scored as such.
        (None, "a_lot", 2),
        (None, "a_little", 1),
        (None, "not_at_all", 0),
        (None, None, None),  # unanswered
        ("", "", None),  # empty form values are unanswered too
    ],
)
def test_item_7_every_combination(prevented, problem, score):
    assert dlqi_work_item_score(prevented, problem) == score


def test_item_7_accepts_enum_members():
    assert dlqi_work_item_score(DlqiWorkAnswer.NO, DlqiWorkProblem.A_LITTLE) == 1
    assert DlqiWorkProblem.A_LOT.score == 2
    assert [p.label for p in DlqiWorkProblem] == ["A lot", "A little", "Not at all"]
    assert [a.label for a in DlqiWorkAnswer] == ["Yes", "No", "Not relevant"]


@pytest.mark.parametrize(
    ("prevented", "problem"), [("maybe", None), ("no", "very_much"), (3, None)]
)
def test_item_7_refuses_unknown_answers(prevented, problem):
    with pytest.raises(ScoringInputError):
        dlqi_work_item_score(prevented, problem)


# ---------------------------------------------------------------------------------------------
# Other items: words to scores, "not relevant" on items 3-10 only
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "score"),
    [("very_much", 3), ("a_lot", 2), ("a_little", 1), ("not_at_all", 0), ("not_relevant", 0)],
)
def test_answer_scores(answer, score):
    assert dlqi_item_score(3, answer) == score
    assert DlqiAnswer(answer).score == score


def test_not_relevant_is_offered_on_items_3_to_10():
    assert frozenset(range(3, 11)) == DLQI_NOT_RELEVANT_ITEMS
    for item in (3, 4, 5, 6, 8, 9, 10):
        assert dlqi_item_score(item, "not_relevant") == 0


@pytest.mark.parametrize("item", [1, 2])
def test_items_1_and_2_have_no_not_relevant(item):
    with pytest.raises(ScoringInputError, match=f"DLQI item {item} has no 'not relevant'"):
        dlqi_item_score(item, "not_relevant")


@pytest.mark.parametrize("item", [0, 11, 7, True])
def test_item_numbers_are_checked(item):
    with pytest.raises(ScoringInputError):
        dlqi_item_score(item, "a_lot")


def test_unanswered_item_scores_none():
    assert dlqi_item_score(5, None) is None
    assert dlqi_item_score(5, "") is None


def test_unknown_answer_is_refused():
    with pytest.raises(ScoringInputError, match="Unknown DLQI answer to item 4"):
        dlqi_item_score(4, "somewhat")


# ---------------------------------------------------------------------------------------------
# The total, with the Cardiff rule for missing answers
# ---------------------------------------------------------------------------------------------

ALL_A_LITTLE = ["a_little"] * 6 + ["no"] + ["a_little"] * 3  # item 7 completed below


def answers(**changes):
    result = list(ALL_A_LITTLE)
    for key, value in changes.items():
        result[int(key.removeprefix("item")) - 1] = value
    return result


def test_complete_questionnaire_is_scored():
    # Nine items "a little" (9) + item 7 "no" then "a little" (1) = 10: moderate effect.
    assert dlqi_from_answers(answers(), "a_little") == DlqiResult(10, DlqiBand.MODERATE_EFFECT)
    assert dlqi_unanswered(answers(), "a_little") == []


def test_one_unanswered_item_scores_zero():
    # Item 4 blank: 8 x 1 + item 7 (1) = 9, scored out of 30 as usual.
    result = dlqi_from_answers(answers(item4=None), "a_little")
    assert result == DlqiResult(9, DlqiBand.MODERATE_EFFECT)
    assert dlqi_unanswered(answers(item4=None), "a_little") == [4]


def test_item_7_wholly_unanswered_counts_as_one_missing():
    result = dlqi_from_answers(answers(item7=None), None)
    assert result == DlqiResult(9, DlqiBand.MODERATE_EFFECT)
    assert dlqi_unanswered(answers(item7=None), None) == [7]


def test_two_unanswered_items_are_not_scored():
    assert dlqi_from_answers(answers(item4=None, item9=None), "a_little") is None
    assert dlqi_unanswered(answers(item4=None, item9=None), "a_little") == [4, 9]
    assert dlqi_from_answers(answers(item1="", item7=None), None) is None


def test_nothing_answered_is_not_scored():
    assert dlqi_from_answers([None] * 10) is None
    assert dlqi_unanswered([None] * 10) == list(range(1, 11))


def test_not_relevant_is_an_answer_not_a_missing_item():
    every_not_relevant = ["not_at_all", "not_at_all"] + ["not_relevant"] * 8
    assert dlqi_from_answers(every_not_relevant) == DlqiResult(0, DlqiBand.NO_EFFECT)
    assert dlqi_unanswered(every_not_relevant) == []


def test_maximum_is_30():
    worst = ["very_much"] * 6 + ["yes"] + ["very_much"] * 3
    assert dlqi_from_answers(worst) == DlqiResult(30, DlqiBand.EXTREMELY_LARGE_EFFECT)


@pytest.mark.parametrize("bad", [["a_lot"] * 9, "a_lot" * 10, None])
def test_answers_must_be_a_list_of_ten(bad):
    with pytest.raises(ScoringInputError):
        dlqi_from_answers(bad)


def test_bands_are_cited_to_hongbo_2005():
    assert "Hongbo" in DLQI_BANDS_SOURCE
    assert "J Invest Dermatol 2005;125:659-64" in DLQI_BANDS_SOURCE
