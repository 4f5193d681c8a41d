"""Scale versions, maxima and input checks shared by every score (see patients.scoring)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Final, TypeVar

# Stored next to every saved score: if a scale is ever revised, old records stay interpretable.
ECCA_VERSION: Final = "ECCA (Dreno 2007)"
GOODMAN_BARON_VERSION: Final = "Goodman & Baron quantitative (2006)"
GOODMAN_BARON_GRADE_VERSION: Final = "Goodman & Baron qualitative (2006)"
CADI_VERSION: Final = "CADI (Motley & Finlay 1992)"
DLQI_VERSION: Final = "DLQI (Finlay & Khan 1994)"

ECCA_MAX: Final = 540
GOODMAN_BARON_MAX: Final = 84
CADI_MAX: Final = 15
DLQI_MAX: Final = 30

_E = TypeVar("_E", bound=enum.StrEnum)


class ScoringInputError(ValueError):
    """Input a clinician could have typed wrongly; the message is meant to be shown to them.

    One exception for wrong types and wrong values alike, so a form can catch a single class and
    display the message next to the field.
    """


def _check_count(count: object, what: str) -> int:
    # bool is a subclass of int, so it must be excluded explicitly: True would silently count as 1.
    if isinstance(count, bool) or not isinstance(count, int):
        raise ScoringInputError(f"{what} count must be a whole number (got {count!r}).")
    if count < 0:
        raise ScoringInputError(f"{what} count cannot be negative (got {count}).")
    return count


def _parse_key(enum_cls: type[_E], key: object, kind: str) -> _E:
    if isinstance(key, enum_cls):
        return key
    if isinstance(key, str):
        try:
            return enum_cls(key)
        except ValueError:
            pass
    # str(key) keeps a member of another scale's enum readable instead of showing its repr.
    shown = repr(str(key)) if isinstance(key, str) else repr(key)
    raise ScoringInputError(f"Unknown {kind} {shown}.")


def _check_answers(answers: Sequence[int], expected: int, scale: str) -> list[int]:
    # A str is a Sequence too; "01230" must not pass as five answers.
    if isinstance(answers, (str, bytes)) or not isinstance(answers, Sequence):
        raise ScoringInputError(
            f"{scale} answers must be a list of {expected} numbers from 0 to 3."
        )
    if len(answers) != expected:
        raise ScoringInputError(f"{scale} needs {expected} answers, got {len(answers)}.")
    checked: list[int] = []
    for number, answer in enumerate(answers, start=1):
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ScoringInputError(
                f"{scale} answer {number} must be a whole number from 0 to 3 (got {answer!r})."
            )
        if not 0 <= answer <= 3:
            raise ScoringInputError(
                f"{scale} answer {number} must be between 0 and 3 (got {answer})."
            )
        checked.append(answer)
    return checked
