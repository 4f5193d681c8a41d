# The DLQI answers' vocabulary, checked by the database once 0005 has converted the old scores.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("patients", "0005_dlqi_scores_to_answers")]

    operations = [
        migrations.AddConstraint(
            model_name="scarassessment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("dlqi_1__isnull", True),
                        ("dlqi_1__in", ["very_much", "a_lot", "a_little", "not_at_all"]),
                        _connector="OR",
                    ),
                    models.Q(
                        ("dlqi_2__isnull", True),
                        ("dlqi_2__in", ["very_much", "a_lot", "a_little", "not_at_all"]),
                        _connector="OR",
                    ),
                    models.Q(
                        ("dlqi_3__isnull", True),
                        (
                            "dlqi_3__in",
                            ["very_much", "a_lot", "a_little", "not_at_all", "not_relevant"],
                        ),
                        _connector="OR",
                    ),
                    models.Q(
                        ("dlqi_4__isnull", True),
                        (
                            "dlqi_4__in",
                            ["very_much", "a_lot", "a_little", "not_at_all", "not_relevant"],
                        ),
                        _connector="OR",
                    ),
                    models.Q(
                        ("dlqi_5__isnull", True),
                        (
                            "dlqi_5__in",
                            ["very_much", "a_lot", "a_little", "not_at_all", "not_relevant"],
                        ),
                        _connector="OR",
                    ),
                    models.Q(
                        ("dlqi_6__isnull", True),
                        (
                            "dlqi_6__in",
                            ["very_much", "a_lot", "a_little", "not_at_all", "not_relevant"],
                        ),
                        _connector="OR",
                    ),
                    models.Q(
                        ("dlqi_7__isnull", True),
                        ("dlqi_7__in", ["yes", "no", "not_relevant"]),
                        _connector="OR",
                    ),
                    models.Q(
                        ("dlqi_8__isnull", True),
                        (
                            "dlqi_8__in",
                            ["very_much", "a_lot", "a_little", "not_at_all", "not_relevant"],
                        ),
                        _connector="OR",
                    ),
                    models.Q(
                        ("dlqi_9__isnull", True),
                        (
                            "dlqi_9__in",
                            ["very_much", "a_lot", "a_little", "not_at_all", "not_relevant"],
                        ),
                        _connector="OR",
                    ),
                    models.Q(
                        ("dlqi_10__isnull", True),
                        (
                            "dlqi_10__in",
                            ["very_much", "a_lot", "a_little", "not_at_all", "not_relevant"],
                        ),
                        _connector="OR",
                    ),
                    models.Q(
                        ("dlqi_7_problem__isnull", True),
                        ("dlqi_7_problem__in", ["a_lot", "a_little", "not_at_all"]),
                        _connector="OR",
                    ),
                ),
                name="assessment_dlqi_answers_valid",
            ),
        ),
    ]
