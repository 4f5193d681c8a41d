"""Which two photos the compare page shows: pure, no Django.

Photos are comparable only within one series (same view, region and lighting). By default the
page shows the first series that has two photos, baseline against latest; the user may choose
another series or any two photos, and is warned when the two differ in view or lighting.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

SeriesKey = tuple[str, str, str]


class _Photo(Protocol):
    pk: int | None

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
