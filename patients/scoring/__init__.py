"""Acne scar severity and patient-reported impact scores.

Pure functions, standard library only, so the clinical arithmetic can be unit-tested without
Django or a database. Models store the raw inputs (counts, area, answers) together with the
``*_VERSION`` string of the scale used, and compute totals with these functions, so a total can
always be re-derived and audited.

Sources:
- ECCA: Dreno B et al. Dermatology 2007;214:46-51.
- Goodman & Baron quantitative: Goodman GJ, Baron JA. J Cosmet Dermatol 2006;5:48-52.
- Goodman & Baron qualitative: Goodman GJ, Baron JA. Dermatol Surg 2006.
- CADI: Motley RJ, Finlay AY. Clin Exp Dermatol 1992.
- DLQI: Finlay AY, Khan GK. Clin Exp Dermatol 1994;19:210-6; scoring and missing answers from
  the Cardiff University DLQI instructions for use and scoring (www.dermatology.org.uk).
- DLQI bands: Hongbo Y, Thomas CL, Harrison MA, Salek MS, Finlay AY. J Invest Dermatol
  2005;125:659-64.
"""

from patients.scoring.impact import (
    CADI_COPYRIGHT,
    CADI_ITEM_TOPICS,
    DLQI_BANDS_SOURCE,
    DLQI_COPYRIGHT,
    DLQI_ITEM_TOPICS,
    DLQI_MEANINGFUL_CHANGE,
    DLQI_NOT_RELEVANT_ITEMS,
    DLQI_WORK_ITEM,
    DlqiAnswer,
    DlqiBand,
    DlqiResult,
    DlqiWorkAnswer,
    DlqiWorkProblem,
    cadi_score,
    dlqi_band,
    dlqi_from_answers,
    dlqi_item_score,
    dlqi_score,
    dlqi_unanswered,
    dlqi_work_item_score,
)
from patients.scoring.inputs import (
    CADI_MAX,
    CADI_VERSION,
    DLQI_MAX,
    DLQI_VERSION,
    ECCA_MAX,
    ECCA_VERSION,
    GOODMAN_BARON_GRADE_VERSION,
    GOODMAN_BARON_MAX,
    GOODMAN_BARON_VERSION,
    ScoringInputError,
)
from patients.scoring.scar_scales import (
    ECCA_WEIGHTS,
    GB_SUBTYPE_FROM_ECCA,
    EccaScarType,
    GoodmanBaronGrade,
    GoodmanBaronSubtype,
    ecca_grade,
    ecca_score,
    gb_counts_from_ecca,
    goodman_baron_multiplier,
    goodman_baron_quantitative,
    keloid_area_points,
)

__all__ = [
    "CADI_COPYRIGHT",
    "CADI_ITEM_TOPICS",
    "CADI_MAX",
    "CADI_VERSION",
    "DLQI_BANDS_SOURCE",
    "DLQI_COPYRIGHT",
    "DLQI_ITEM_TOPICS",
    "DLQI_MAX",
    "DLQI_MEANINGFUL_CHANGE",
    "DLQI_NOT_RELEVANT_ITEMS",
    "DLQI_VERSION",
    "DLQI_WORK_ITEM",
    "ECCA_MAX",
    "ECCA_VERSION",
    "ECCA_WEIGHTS",
    "GB_SUBTYPE_FROM_ECCA",
    "GOODMAN_BARON_GRADE_VERSION",
    "GOODMAN_BARON_MAX",
    "GOODMAN_BARON_VERSION",
    "DlqiAnswer",
    "DlqiBand",
    "DlqiResult",
    "DlqiWorkAnswer",
    "DlqiWorkProblem",
    "EccaScarType",
    "GoodmanBaronGrade",
    "GoodmanBaronSubtype",
    "ScoringInputError",
    "cadi_score",
    "dlqi_band",
    "dlqi_from_answers",
    "dlqi_item_score",
    "dlqi_score",
    "dlqi_unanswered",
    "dlqi_work_item_score",
    "ecca_grade",
    "ecca_score",
    "gb_counts_from_ecca",
    "goodman_baron_multiplier",
    "goodman_baron_quantitative",
    "keloid_area_points",
]
