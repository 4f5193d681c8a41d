"""Benchmark, not a test: the clinic outcomes report and its de-identified data set at scale.

Why: issue 14 asks for the report's time on the 100k-patient data set of `seed_scale`. Times, in
the process (no HTTP server), on the `clinic_bench` PostgreSQL database:

- `outcomes_report()` with the default filters, with one year of sessions, and with one year and
  one dermatologist;
- the report page through the view (RequestFactory, a scale dermatologist), default filters;
- the de-identified CSV: time to its first 100 rows and to its last, and the peak Python memory
  while streaming it (tracemalloc).

Run from the project root:  .venv/bin/python scripts/bench_report.py [--runs 5] [--path python]
`--path python` times the portable path (the one SQLite uses) on the same database.
Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/clinic_bench).
Prints the median of the timed runs in milliseconds, after one untimed warm-up run.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path


def median_ms(function: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls; an untimed warm-up call first (imports, caches)."""
    function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--path", choices=["auto", "python"], default="auto")
    parser.add_argument("--skip-csv", action="store_true")
    parser.add_argument("--only-csv", action="store_true")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_bench"
    )
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory
    from django.utils import timezone

    from demo.scale import SCALE_DERMATOLOGIST
    from treatments import report
    from treatments.report_views import outcomes_report_view

    settings.DEBUG = False  # no query log in memory
    if args.path == "python":
        report.use_sql = lambda: False

    user = get_user_model().objects.get(username=SCALE_DERMATOLOGIST.format(1))
    today = timezone.localdate()
    year = report.ReportFilters(today - dt.timedelta(days=365), today)
    cases = {
        "report, default filters": report.ReportFilters(),
        "report, one year": year,
        "report, one year + one dermatologist": report.ReportFilters(year.start, year.end, user.pk),
    }
    for name, filters in cases.items() if not args.only_csv else ():
        print(f"{name}: {median_ms(lambda f=filters: report.outcomes_report(f), args.runs):.0f} ms")

    def page(query: str = "") -> None:
        request = RequestFactory().get("/treatments/reports/outcomes/?" + query)
        request.user = user
        response = outcomes_report_view(request)
        assert response.status_code == 200, response.status_code

    if not args.only_csv:
        print(f"page, default filters: {median_ms(page, args.runs):.0f} ms")
        query = f"start={year.start}&end={year.end}&dermatologist={user.pk}"
        timed = median_ms(lambda: page(query), args.runs)
        print(f"page, one year + one dermatologist: {timed:.0f} ms")
    if args.skip_csv:
        return

    def stream() -> tuple[float, float, int]:
        """(ms to the first 100 rows, ms to the last, rows) of one pass over the data set."""
        started = time.perf_counter()
        first, count = 0.0, 0
        for _row in report.dataset_rows(report.ReportFilters()):
            count += 1
            if count == 100:
                first = (time.perf_counter() - started) * 1000
        return first, (time.perf_counter() - started) * 1000, count

    timed = [stream() for _ in range(3)]
    first, total = (statistics.median(t[i] for t in timed) for i in (0, 1))
    tracemalloc.start()
    stream()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        f"de-identified data set ({timed[0][2]} rows): first 100 rows {first:.0f} ms,"
        f" all {total:.0f} ms; peak Python memory while streaming {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()
