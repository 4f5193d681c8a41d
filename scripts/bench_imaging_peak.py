"""Benchmark, not a test: time and peak memory of the photo pipeline on 12 and 60 MP JPEGs.

Why: issue 11 sets a budget for a 12-megapixel JPEG (validated, stripped and resized in under
400 ms, peak memory under 150 MB) and asks for the 60-megapixel numbers, which size the workers.

Each photo is made once (gradients plus noise, with EXIF) and written to a temporary file; each
measurement then runs in a fresh process that reads the file, notes its peak resident memory
(VmHWM), runs process_upload once untimed and `--runs` times timed, and reports the median
time and how far the peak rose above what the process held before processing: the pipeline's own
peak, Pillow's pixel buffers included (tracemalloc would not see them).

Run from the project root:  .venv/bin/python scripts/bench_imaging_peak.py [--runs 5]
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"12 MP JPEG": (4000, 3000), "60 MP JPEG": (9000, 6666)}


def make(size: tuple[int, int], path: Path) -> None:
    from tests.treatments import images

    photo = images.photo_like(size)
    photo.save(path, "JPEG", quality=92, exif=images.sensitive_exif(orientation=6).tobytes())


def _high_water_kb() -> int:
    """This process's peak resident memory (Linux VmHWM). Not ru_maxrss: Linux carries that
    over an exec from the parent, which made the photo and so peaked higher."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(path: Path, runs: int) -> dict:
    from treatments.imaging import process_upload

    data = path.read_bytes()
    before_kb = _high_water_kb()
    photo = process_upload(data, max_bytes=100 * 1024 * 1024)
    peak_kb = _high_water_kb()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        process_upload(data, max_bytes=100 * 1024 * 1024)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "ms": statistics.median(timings),
        "peak_mb": (peak_kb - before_kb) / 1024,
        "in_mb": len(data) / 1e6,
        "size": f"{photo.width} x {photo.height}",
        "out_mb": len(photo.image) / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child process's job
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.measure:
        print(json.dumps(measure(Path(args.measure), args.runs)))
        return
    print(f"cpus available: {len(os.sched_getaffinity(0))}, median of {args.runs} runs")
    with tempfile.TemporaryDirectory() as folder:
        for name, size in SIZES.items():
            path = Path(folder) / "photo.jpg"
            make(size, path)
            out = subprocess.run(  # noqa: S603 - this very script, in a fresh process
                [sys.executable, __file__, "--runs", str(args.runs), "--measure", str(path)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            print(
                f"{name:<12} {result['ms']:6.0f} ms  peak +{result['peak_mb']:.0f} MB  "
                f"({result['in_mb']:.1f} MB in, {result['size']}, out {result['out_mb']:.1f} MB)"
            )


if __name__ == "__main__":
    main()
