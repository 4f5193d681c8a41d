"""How each scar responded to the sessions that treated it: pure functions over plain facts.

A scar "responded after n sessions" when its first "improved" or "resolved" status was recorded
after n sessions of the modality (sessions on or after the status's date do not count: a status
recorded at a visit describes the scar before that visit's treatment). Ice pick scars still
active after three CROSS sessions are candidates for punch excision or elevation (Jacob et al.,
J Am Acad Dermatol 2001;45:109-17: ice pick scars deeper than CROSS reaches are punched out).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

RESPONDED = frozenset({"improved", "resolved"})
NON_RESPONDER_SESSIONS = 3
SESSION_BUCKETS = ("1", "2", "3+")


@dataclass(frozen=True)
class ScarFacts:
    number: int
    scar_type: str
    status: str
    # (modality value, date performed) of each treatment of the scar
    treatments: tuple[tuple[str, dt.date], ...] = ()
    # (status, date recorded), any order
    statuses: tuple[tuple[str, dt.date], ...] = ()
    suggestion_dismissed: bool = False

    def session_dates(self, modality: str) -> list[dt.date]:
        return sorted(day for kind, day in self.treatments if kind == modality)

    def sessions(self, modality: str) -> int:
        return len(self.session_dates(modality))


def responded_after(scar: ScarFacts, modality: str = "cross") -> int | None:
    """The number of the modality's sessions before the scar's first improvement, or None if it
    has not improved after at least one of them."""
    dates = scar.session_dates(modality)
    if not dates:
        return None
    for status, day in sorted(scar.statuses, key=lambda s: s[1]):
        if status in RESPONDED:
            before = sum(1 for d in dates if d < day)
            if before:
                return before
    return None


@dataclass(frozen=True)
class ResponseStep:
    label: str  # "1", "2", "3+"
    responded: int
    of: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.responded / self.of) if self.of else None


def cross_response(scars: Iterable[ScarFacts], scar_type: str = "ice_pick") -> list[ResponseStep]:
    """Share of the scars of `scar_type` improved or resolved after 1, 2 and 3+ CROSS sessions,
    cumulative: a scar that improved after one session counts as improved at two and 3+ too; a
    scar counts at step n once it has had n sessions or improved earlier."""
    facts = [(s.sessions("cross"), responded_after(s)) for s in scars if s.scar_type == scar_type]
    steps = []
    for n, label in enumerate(SESSION_BUCKETS, 1):
        last = n == len(SESSION_BUCKETS)
        counted = [
            (sessions, after)
            for sessions, after in facts
            if sessions >= n or (after is not None and after < n)
        ]
        responded = sum(1 for _, after in counted if after is not None and (last or after <= n))
        steps.append(ResponseStep(label, responded, len(counted)))
    return steps


def is_punch_candidate(scar: ScarFacts) -> bool:
    """An ice pick scar still active after three or more CROSS sessions, with no punch yet and
    the suggestion not dismissed."""
    return (
        scar.scar_type == "ice_pick"
        and scar.status == "active"
        and scar.sessions("cross") >= NON_RESPONDER_SESSIONS
        and scar.sessions("punch") == 0
        and not scar.suggestion_dismissed
    )


def session_bucket(sessions: int) -> str:
    return SESSION_BUCKETS[min(sessions, len(SESSION_BUCKETS)) - 1]


@dataclass
class ModalityResponseRow:
    modality: str
    sessions: str  # "1", "2", "3+"
    scars: int = 0
    responded: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.responded / self.scars) if self.scars else None


def response_by_modality(
    rows: Iterable[tuple[str, Sequence[tuple[str, int]]]], modalities: Sequence[str]
) -> list[ModalityResponseRow]:
    """Per-scar response for the clinic: for each modality and number of its sessions (1, 2,
    3+), the scars treated and how many are now improved or resolved. `rows` is each scar's
    current status and its (modality, sessions) counts."""
    table = {(m, b): ModalityResponseRow(m, b) for m in modalities for b in SESSION_BUCKETS}
    for status, counts in rows:
        for modality, sessions in counts:
            if sessions < 1 or modality not in modalities:
                continue
            row = table[(modality, session_bucket(sessions))]
            row.scars += 1
            row.responded += status in RESPONDED
    return list(table.values())
