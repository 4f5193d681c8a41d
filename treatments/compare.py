"""Which two photos the compare page shows: pure, no Django.

Photos are comparable only within one series (same view, region and lighting). By default the
page shows the first series that has two photos, baseline against latest; the user may choose
another series or any two photos, and is warned when the two differ in view or lighting.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

SeriesKey = tuple[str, str, str]


class _Photo(Protocol):
    @property
    def pk(self) -> int | None: ...

    @property
    def taken_on(self) -> dt.date: ...

    @property
    def series_key(self) -> SeriesKey: ...


P = TypeVar("P", bound=_Photo)


@dataclass(frozen=True)
class Pair(Generic[P]):
    key: SeriesKey | None
    candidates: Sequence[P]
    before: P | None
    after: P | None

    @property
    def mismatched(self) -> bool:
        """The two differ in view, region or lighting: the comparison may mislead."""
        return bool(self.before and self.after and self.before.series_key != self.after.series_key)

    @property
    def shown(self) -> list[P]:
        return list(dict.fromkeys(p for p in (self.before, self.after) if p))


def choose_pair(
    series: Mapping[SeriesKey, Sequence[P]],
    *,
    series_choice: str = "",
    before_id: str = "",
    after_id: str = "",
) -> Pair[P]:
    """`series` oldest first within each; the choices are the page's query parameters."""
    key = next((k for k, s in series.items() if len(s) >= 2), next(iter(series), None))
    if series_choice:
        key = next((k for k in series if "|".join(k) == series_choice), key)
    candidates = series.get(key, []) if key else []
    by_id = {str(p.pk): p for photos in series.values() for p in photos}
    before = by_id.get(before_id) or (candidates[0] if candidates else None)
    after = by_id.get(after_id) or (candidates[-1] if candidates else None)
    return Pair(key, candidates, before, after)


class _Assessment(Protocol):
    @property
    def assessed_on(self) -> dt.date: ...


A = TypeVar("A", bound=_Assessment)


def latest_on_or_before(
    assessments: Sequence[A], days: Sequence[dt.date]
) -> dict[dt.date, A | None]:
    """The latest assessment on or before each day; `assessments` oldest first."""
    found: dict[dt.date, A | None] = {}
    for day in days:
        earlier = [a for a in assessments if a.assessed_on <= day]
        found[day] = earlier[-1] if earlier else None
    return found


def compare_context(
    series: Mapping[SeriesKey, Sequence[P]], pair: Pair[P], scores: Mapping[dt.date, object]
) -> dict[str, object]:
    """What the compare template shows of a chosen pair."""
    before, after = pair.before, pair.after
    return {
        "series": [("|".join(k), s) for k, s in series.items()],
        "series_value": "|".join(pair.key) if pair.key else "",
        "candidates": pair.candidates,
        "before": before,
        "after": after,
        "before_score": scores.get(before.taken_on) if before else None,
        "after_score": scores.get(after.taken_on) if after else None,
    }
