#!/usr/bin/env python3
"""`make bench`: every heavy page against a bare Django view, served like production.

Serves the app with gunicorn (2 sync workers, DJANGO_DEBUG=0) on the `clinic_bench` PostgreSQL
database (fill it first with `manage.py seed_scale`), signs in the users each page needs, then
for each page, interleaved with the reference and repeated:

- one request at a time: the median of a few sequential requests (after a warm-up), in ms;
- 16 connections with wrk: req/s, the share of the reference's req/s measured just before it,
  and p50 / p95 / p99 latency.

The reference is /healthz: it passes through the whole middleware stack and makes one database
round trip, so it is the floor under any page (no template, no session read).

With BENCH_DEMO_DATABASE_URL set to a database filled by `manage.py seed_demo`, each page's
single-request time is measured there too (same pages, same users' roles), for the target of no
more than 1.5 times the demo's time: a second server on the demo seed, the two pages' requests
alternating, so that both sides of the ratio see the same machine at the same moment.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/clinic_bench),
BENCH_DEMO_DATABASE_URL (optional), BENCH_SECONDS per wrk run (5), BENCH_ROUNDS (2), BENCH_PORT
(8765; the demo seed's server takes the next port), BENCH_ONLY (comma-separated page names),
BENCH_OUT (a Markdown file to write the table to).
"""

import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_bench"
)
DEMO_DATABASE_URL = os.environ.get("BENCH_DEMO_DATABASE_URL", "")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
CONNECTIONS = 16
# Per page and server: on a fast machine a page takes 3-10 ms, and one stray millisecond in nine
# requests moved a demo ratio by 0.3x from one run to the next.
SINGLE_REQUESTS = 31
# Warm-up requests per page and server: both workers load the page's code and templates, and
# each worker's connection runs the page's queries past psycopg's prepare threshold (5 runs), so
# the timed requests use prepared statements as a server that has been up a while does.
WARM_UP = 14
DEMO_PORT = PORT + 1
DEMO_RATIO = 1.5  # a page at scale may take at most this many times its time on the demo seed

ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "b" * 40,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    # Plain HTTP on the loopback: no redirect to HTTPS, cookies sent without TLS.
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
    "DJANGO_STATIC_ROOT": str(ROOT / "var" / "bench-static"),
    "DJANGO_LOG_LEVEL": "WARNING",
}

LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, errors))
end
"""


@dataclass
class Page:
    name: str
    path: str
    cookie: str = ""
    target: float = 0.10  # share of the reference's req/s to reach under load
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    singles: list[float] = field(default_factory=list)
    rps: list[float] = field(default_factory=list)
    shares: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p95: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    size: int = 0
    demo: list[float] = field(default_factory=list)  # single requests on the demo seed


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("Installing wrk (Debian package)...", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "wrk"], check=True)  # noqa: S603
    return shutil.which("wrk") or sys.exit("wrk is not available")


def manage(*args: str, database_url: str = DATABASE_URL) -> None:
    env = {**ENV, "DATABASE_URL": database_url}
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


SETUP = r"""
import json
import django
django.setup()
from django.db.models import Count
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from clinic import two_factor
from demo import scale
from patients.models import Patient, ScarAssessment
from scheduling.models import CalendarFeed
from treatments.models import ClinicalPhoto, TreatmentSession

if not Patient.objects.exists():
    raise SystemExit("The bench database is empty: run manage.py seed_scale first.")
(derm,), desk, admin = scale.staff(1)
from scheduling.models import Appointment
if not Appointment.objects.filter(dermatologist=derm).exists():
    # The demo seed: its busiest dermatologist's week, feed and chart instead.
    busiest = (
        Appointment.objects.values("dermatologist").annotate(n=Count("id")).order_by("-n").first()
    )
    if busiest:
        derm = type(derm).objects.get(pk=busiest["dermatologist"])

def cookie(user):
    client = Client()
    client.force_login(user)
    if two_factor.requires_two_factor(user):
        # As after a real sign-in with the code step: a confirmed device verified the session.
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[two_factor.PENDING_SESSION_KEY] = two_factor.VERIFIED
        session.save()
    return "sessionid=" + client.cookies["sessionid"].value

heavy = (
    TreatmentSession.objects.values("patient").annotate(n=Count("id")).order_by("-n").first()
)["patient"]
patient = Patient.objects.get(pk=heavy)
# A surname shared by a few hundred patients, and a phone number's middle digits.
typical = Patient.objects.order_by("pk")[min(500, Patient.objects.count() - 1)]
print("BENCH " + json.dumps({
    "derm": cookie(derm), "desk": cookie(desk), "admin": cookie(admin), "derm_pk": derm.pk,
    "heavy": heavy,
    "assessment": ScarAssessment.objects.filter(patient=patient).order_by("-pk").first().pk,
    "session": TreatmentSession.objects.filter(patient=patient).order_by("-pk").first().pk,
    "name": typical.last_name, "phone": typical.phone_digits[3:9], "mrn": typical.mrn,
    "token": CalendarFeed.reset_for(derm),
    "today": timezone.localdate().isoformat(),
}))
"""


def prepare(database_url: str) -> dict:
    manage("migrate", "--noinput", "-v0", database_url=database_url)
    manage("collectstatic", "--noinput", "-v0", database_url=database_url)
    out = subprocess.run(  # noqa: S603
        [PYTHON, "-c", SETUP],
        cwd=ROOT,
        env={**ENV, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "clinic.settings"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    return json.loads(line[len("BENCH ") :])


def pages(ctx: dict) -> list[Page]:
    derm, desk, admin = ctx["derm"], ctx["desk"], ctx["admin"]
    today, heavy = ctx["today"], ctx["heavy"]
    chart, lists = 0.05, 0.10
    return [
        Page("patient list", "/patients/", desk, lists),
        Page("search: name", f"/patients/?q={ctx['name']}", desk, lists),
        Page("search: phone", f"/patients/?q={ctx['phone']}", desk, lists),
        Page("search: MRN", f"/patients/?q={ctx['mrn']}", desk, lists),
        Page("chart (heavy patient)", f"/patients/{heavy}/", derm, chart),
        # The chart's other tabs (the summary above is what a chart opens on).
        Page("chart: progress tab", f"/patients/{heavy}/?tab=progress", derm, chart),
        Page("chart: treatments tab", f"/patients/{heavy}/?tab=treatments", derm, chart),
        Page("chart: photos tab", f"/patients/{heavy}/?tab=photos", derm, chart),
        Page("assessment", f"/patients/assessments/{ctx['assessment']}/", derm, chart),
        Page("session", f"/treatments/sessions/{ctx['session']}/", derm, chart),
        Page("photo compare", f"/treatments/patients/{heavy}/photos/compare/", derm, chart),
        Page("day view", f"/schedule/?date={today}", desk, chart),
        Page("room view", f"/schedule/rooms/?date={today}", desk, chart),
        Page("week view", f"/schedule/week/{ctx['derm_pk']}/?date={today}", desk, chart),
        Page("dashboard: dermatologist", "/", derm, lists),
        Page("dashboard: front desk", "/", desk, lists),
        Page("iCal feed", f"/schedule/feed/{ctx['token']}.ics", "", lists),
        # What a phone polling an unchanged feed gets (the ETag is filled in once serving).
        Page("iCal feed unchanged (304)", f"/schedule/feed/{ctx['token']}.ics", "", lists),
        Page("admin: patients search", f"/admin/patients/patient/?q={ctx['name']}", admin, chart),
        Page("admin: sessions", "/admin/treatments/treatmentsession/", admin, chart),
        Page("admin: appointments", "/admin/scheduling/appointment/", admin, chart),
    ]


def fetch(
    path: str, cookie: str, headers: dict | None = None, port: int = PORT
) -> tuple[int, int, float]:
    """One GET, redirects not followed (a page that sends us to sign-in must not pass as 200)."""
    status, body, _, elapsed = _get(path, cookie, headers or {}, port)
    return status, len(body), elapsed


def _get(path: str, cookie: str, headers: dict, port: int = PORT) -> tuple[int, bytes, dict, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "GET", path, headers={**headers, **({"Cookie": cookie} if cookie else {})}
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return (
        response.status,
        body,
        dict(response.getheaders()),
        (time.perf_counter() - started) * 1000,
    )


def drain() -> None:
    """Waits until the requests wrk left queued are answered, so that they do not count against
    the next run: both workers are free when /healthz answers at once a few times in a row."""
    fast, deadline = 0, time.monotonic() + 120
    while fast < 3 and time.monotonic() < deadline:
        fast = fast + 1 if fetch("/healthz", "")[2] < 10 else 0


def wrk(wrk_bin: str, script: str, path: str, cookie: str, headers: dict | None = None) -> dict:
    command = [wrk_bin, "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "30s"]
    command += ["-s", script]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(  # noqa: S603
        [*command, BASE + path], capture_output=True, text=True, check=True
    ).stdout
    drain()
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    result = json.loads(line[len("BENCH ") :])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def serve(database_url: str = DATABASE_URL, port: int = PORT) -> subprocess.Popen:
    gunicorn = Path(PYTHON).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603
        [
            str(gunicorn),
            "clinic.wsgi",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**ENV, "DATABASE_URL": database_url},
    )
    for _ in range(100):
        try:
            if fetch("/healthz", "", port=port)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(measured: list[Page], reference: Page) -> str:
    lines = [
        f"Reference (bare view /healthz): {median(reference.rps):.0f} req/s, "
        f"single request {median(reference.singles):.1f} ms. {CONNECTIONS} connections, "
        f"{ROUNDS} rounds of {SECONDS} s per page, medians.",
        "",
        "| page | single request, median (best) ms | demo seed (ms), ratio | req/s | share of bare "
        "| target | p50 (ms) | p95 (ms) | p99 (ms) | KB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in measured:
        share = median(page.shares)
        ok = "ok" if share >= page.target and median(page.singles) < 50 else "MISS"
        single = f"{median(page.singles):.1f} ({min(page.singles):.1f})"
        demo = "n/a"
        if page.demo:
            ratio = median(page.singles) / median(page.demo)
            verdict = "ok" if ratio <= DEMO_RATIO else "MISS"
            demo = f"{median(page.demo):.1f}, {ratio:.1f}x {verdict}"
        lines.append(
            f"| {page.name} | {single} | {demo} | {median(page.rps):.1f} "
            f"| {share * 100:.1f} % | {page.target * 100:.0f} % {ok} | {median(page.p50):.0f} "
            f"| {median(page.p95):.0f} | {median(page.p99):.0f} | {page.size / 1024:.0f} |"
        )
    return "\n".join(lines)


def warm_up(page: Page, port: int = PORT) -> None:
    """Checks the page's status and size, then warms the server up for it (WARM_UP)."""
    if page.name.endswith("(304)"):
        etag = _get(page.path, page.cookie, {}, port)[2].get("ETag")
        if not etag:
            sys.exit(f"{page.name}: no ETag")
        page.headers, page.status = {"If-None-Match": etag}, 304
    status, size, _ = fetch(page.path, page.cookie, page.headers, port)
    if status != page.status:
        sys.exit(f"{page.name}: {page.path} answered {status}, not {page.status}")
    page.size = size
    for _ in range(WARM_UP):
        fetch(page.path, page.cookie, page.headers, port)


def singles(page: Page, demo: Page | None = None) -> None:
    """One request at a time: the page's, and its demo seed twin's (on DEMO_PORT) in turn."""
    warm_up(page)
    if demo is not None:
        warm_up(demo, DEMO_PORT)
    for _ in range(SINGLE_REQUESTS):
        page.singles.append(fetch(page.path, page.cookie, page.headers)[2])
        if demo is not None:
            page.demo.append(fetch(demo.path, demo.cookie, demo.headers, DEMO_PORT)[2])


def main() -> None:
    wrk_bin = ensure_wrk()
    print(f"Preparing {DATABASE_URL} ...", flush=True)
    measured = pages(prepare(DATABASE_URL))
    only = {n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()}
    if only:
        measured = [p for p in measured if p.name in only]
    demo_pages: dict[str, Page] = {}
    if DEMO_DATABASE_URL:
        print(f"Preparing {DEMO_DATABASE_URL} ...", flush=True)
        demo_pages = {p.name: p for p in pages(prepare(DEMO_DATABASE_URL))}
    reference = Page("bare view", "/healthz")
    server = serve()
    demo_server: subprocess.Popen | None = None
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    script.write(LUA)
    script.close()
    try:
        if demo_pages:
            demo_server = serve(DEMO_DATABASE_URL, DEMO_PORT)
        for page in [reference, *measured]:
            singles(page, demo_pages.get(page.name))
            single, size = median(page.singles), page.size / 1024
            demo = f", demo seed {median(page.demo):.1f} ms" if page.demo else ""
            print(f"{page.name}: {single:.1f} ms, {size:.0f} KB{demo}", flush=True)
        if demo_server is not None:
            # Idle from here on, but stopped: the load runs have the machine to themselves.
            demo_server.terminate()
            demo_server.wait(timeout=30)
            demo_server = None
        for round_no in range(1, ROUNDS + 1):
            for page in measured:
                # The reference just before each page, so drift (cache, autovacuum) cancels out.
                bare = wrk(wrk_bin, script.name, reference.path, "")
                reference.rps.append(bare["rps"])
                result = wrk(wrk_bin, script.name, page.path, page.cookie, page.headers)
                if result["errors"]:
                    print(f"  {page.name}: {result['errors']} errors or non-2xx answers")
                page.rps.append(result["rps"])
                page.shares.append(result["rps"] / bare["rps"])
                for key in ("p50", "p95", "p99"):
                    getattr(page, key).append(result[key])
                print(
                    f"round {round_no} {page.name}: {result['rps']:.1f} req/s "
                    f"({result['rps'] / bare['rps'] * 100:.1f} % of {bare['rps']:.0f})",
                    flush=True,
                )
    finally:
        for running in (server, demo_server):
            if running is not None:
                running.terminate()
                running.wait(timeout=30)
        os.unlink(script.name)
    report = table(measured, reference)
    print()
    print(report)
    if out := os.environ.get("BENCH_OUT"):
        Path(out).write_text(report + "\n", encoding="utf-8")
        print(f"\nWritten to {out}")


if __name__ == "__main__":
    main()
