"""Existing DLQI item scores (0-3, now text after 0004) become the answers they stand for.

Items other than 7: 3 very much, 2 a lot, 1 a little, 0 not at all. A stored 0 may have been
"not relevant" (the old form said "0 not at all / not relevant"); both score 0, so "not at all"
keeps every stored total recomputable. Item 7: 3 becomes "yes"; 2, 1 and 0 become "no" with
"a lot", "a little" and "not at all". Historical rows are converted too, so the history reads in
one vocabulary. Reversing turns answers back into their scores.
"""

from django.db import migrations

ITEMS = [f"dlqi_{n}" for n in range(1, 11) if n != 7]
SCORE_TO_ANSWER = {"3": "very_much", "2": "a_lot", "1": "a_little", "0": "not_at_all"}
WORK_SCORE_TO_ANSWERS = {
    "3": ("yes", None),
    "2": ("no", "a_lot"),
    "1": ("no", "a_little"),
    "0": ("no", "not_at_all"),
}
MODELS = ["ScarAssessment", "HistoricalScarAssessment"]


def scores_to_answers(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("patients", name)
        for field in ITEMS:
            for score, answer in SCORE_TO_ANSWER.items():
                model.objects.filter(**{field: score}).update(**{field: answer})
        for score, (prevented, problem) in WORK_SCORE_TO_ANSWERS.items():
            model.objects.filter(dlqi_7=score).update(dlqi_7=prevented, dlqi_7_problem=problem)


def answers_to_scores(apps, schema_editor):
    answer_to_score = {answer: score for score, answer in SCORE_TO_ANSWER.items()}
    answer_to_score["not_relevant"] = "0"
    for name in MODELS:
        model = apps.get_model("patients", name)
        for field in ITEMS:
            for answer, score in answer_to_score.items():
                model.objects.filter(**{field: answer}).update(**{field: score})
        model.objects.filter(dlqi_7="yes").update(dlqi_7="3", dlqi_7_problem=None)
        for problem, score in (("a_lot", "2"), ("a_little", "1"), ("not_at_all", "0")):
            model.objects.exclude(dlqi_7="3").filter(dlqi_7_problem=problem).update(
                dlqi_7=score, dlqi_7_problem=None
            )
        model.objects.filter(dlqi_7__in=["no", "not_relevant"]).update(
            dlqi_7="0", dlqi_7_problem=None
        )


class Migration(migrations.Migration):
    dependencies = [("patients", "0004_dlqi_items_and_assessment_warnings")]

    operations = [migrations.RunPython(scores_to_answers, answers_to_scores)]
