"""Benchmark, not a test: how long process_upload takes on a 12-megapixel JPEG and HEIC.

Why: issue 6 asks for the time to validate and re-encode a phone-sized photo, so the upload
page's wait (and a worker's time per photo) is a known number, not a guess. The photos are made
in memory (gradients plus noise, 4000 x 3000) by tests/treatments/images.py.

Run from the project root:  .venv/bin/python scripts/bench_imaging.py [--runs 5]
Prints the median of the timed runs in milliseconds, after one untimed warm-up run.
"""

import argparse
import os
import statistics
import sys
import time
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
    """Make the two photos, time process_upload on each, print one line per photo."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    # The script lives in scripts/, the modules it times at the project root.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.treatments import images
    from treatments.imaging import process_upload

    photos = {
        "12 MP JPEG": images.large_jpeg(),
        "12 MP HEIC, phone-sized file": images.large_heic(quality=40),
        "12 MP HEIC, large file": images.large_heic(quality=85),
    }
    print(f"cpus available: {len(os.sched_getaffinity(0))}, median of {runs} runs")
    for name, data in photos.items():
        photo = process_upload(data)
        milliseconds = median_ms(lambda data=data: process_upload(data), runs)
        print(
            f"{name:<30} {milliseconds:6.0f} ms  "
            f"({len(data) / 1e6:.1f} MB in, {photo.width} x {photo.height}, "
            f"out {len(photo.image) / 1e6:.1f} MB + {len(photo.display) / 1e3:.0f} kB "
            f"+ {len(photo.thumbnail) / 1e3:.0f} kB)"
        )


if __name__ == "__main__":
    main()
