"""A believable, clearly fictional demo clinic. Every function is idempotent: rows are keyed by
fixed usernames and MRNs, so running the seed twice changes nothing."""

import datetime as dt
import os
import random
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from clinic.roles import Role, assign_role
from patients.models import (
    ConsentUse,
    FitzpatrickType,
    Patient,
    PhotoConsent,
    ScarAssessment,
    SexAtBirth,
)
from patients.services import assessment_record

CREDENTIALS_FILE = settings.BASE_DIR / "var" / "demo-credentials.txt"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role


DEMO_USERS = [
    DemoUser("dermatologist", "Amara", "Okafor", Role.DERMATOLOGIST),
    DemoUser("frontdesk", "Sam", "Reyes", Role.FRONT_DESK),
    DemoUser("clinicadmin", "Jordan", "Lee", Role.CLINIC_ADMIN),
]

_FIRST = [
    ("Aisha", SexAtBirth.FEMALE), ("Ben", SexAtBirth.MALE), ("Chloe", SexAtBirth.FEMALE),
    ("Dev", SexAtBirth.MALE), ("Elena", SexAtBirth.FEMALE), ("Farid", SexAtBirth.MALE),
    ("Grace", SexAtBirth.FEMALE), ("Hiro", SexAtBirth.MALE), ("Ines", SexAtBirth.FEMALE),
    ("Jonah", SexAtBirth.MALE), ("Kemi", SexAtBirth.FEMALE), ("Liam", SexAtBirth.MALE),
    ("Maya", SexAtBirth.FEMALE), ("Nikhil", SexAtBirth.MALE), ("Olivia", SexAtBirth.FEMALE),
]  # fmt: skip
_LAST = [
    "Adeyemi", "Brennan", "Castillo", "Dubois", "Eriksen", "Fontaine", "Gallagher", "Haddad",
    "Iwasaki", "Jovanovic", "Kowalski", "Lindqvist", "Mensah", "Novak", "O'Connell", "Patel",
]  # fmt: skip
_STREETS = ["Example Road", "Sample Street", "Test Lane", "Demo Avenue", "Placeholder Close"]


def seed_users() -> tuple[list[str], str | None]:
    """Creates the demo sign-ins. Returns the usernames and the password if it was just set."""
    missing = [u for u in DEMO_USERS if not User.objects.filter(username=u.username).exists()]
    password = None
    if missing:
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
    for demo in missing:
        user = User.objects.create_user(
            username=demo.username,
            password=password,
            first_name=demo.first_name,
            last_name=demo.last_name,
            email=f"{demo.username}@example.com",
            is_staff=demo.role == Role.CLINIC_ADMIN,
        )
        assign_role(user, demo.role)
    if password and not os.environ.get("DEMO_PASSWORD"):
        _remember_password(password)
    elif password:
        # The users now have the DEMO_PASSWORD; a file from an earlier database would mislead.
        Path(CREDENTIALS_FILE).unlink(missing_ok=True)
    return [u.username for u in DEMO_USERS], password


def _remember_password(password: str) -> None:
    # A generated password is printed once; it is also kept (owner-readable only) in the
    # git-ignored var/ folder so that `make run` can remind the user on later runs.
    path = Path(CREDENTIALS_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{u.username}  {password}\n" for u in DEMO_USERS), encoding="utf-8")
    path.chmod(0o600)


def seed_patients(count: int = 30) -> int:
    """Creates demo patients DEMO-0001..; returns how many were new."""
    rng = random.Random(2026)
    today = timezone.localdate()
    author = User.objects.filter(username="frontdesk").first()
    created = 0
    for n in range(1, count + 1):
        # Draw every value even for rows that exist, so later rows do not change between runs.
        first, sex = rng.choice(_FIRST)
        last = rng.choice(_LAST)
        born = dt.date(rng.randint(1965, 2006), rng.randint(1, 12), rng.randint(1, 28))
        fitzpatrick = rng.choice(list(FitzpatrickType))
        active_acne = rng.random() < 0.25
        isotretinoin = rng.choice(["never", "never", "stopped_recently", "stopped_long_ago", "on"])
        allergy = rng.choice(["", "", "", "", "Lidocaine", "Chlorhexidine", "Latex"])
        consent_days_ago = rng.randint(20, 400)
        teaching = rng.random() < 0.3
        mrn = f"DEMO-{n:04d}"
        if Patient.objects.filter(mrn=mrn).exists():
            continue
        with transaction.atomic():
            patient = Patient.objects.create(
                mrn=mrn,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                sex_at_birth=sex,
                phone=f"07700 900{n:03d}",
                email=f"{first.lower()}.{last.lower().replace(chr(39), '')}@example.com",
                address=f"{n} {_STREETS[n % len(_STREETS)]}\nExampletown EX{n % 9 + 1} 0AA",
                emergency_contact_name=f"{rng.choice(_FIRST)[0]} {last}",
                emergency_contact_phone=f"07700 900{(n + 500):03d}",
                fitzpatrick_type=fitzpatrick,
                active_acne=active_acne,
                acne_onset_year=min(born.year + rng.randint(12, 18), today.year),
                previous_treatments=rng.choice(
                    [
                        "",
                        "Topical adapalene 0.1 % for 2 years.",
                        "Two microneedling sessions elsewhere, little change.",
                        "Oral doxycycline 3 months; benzoyl peroxide wash.",
                    ]
                ),
                on_isotretinoin=isotretinoin == "on",
                isotretinoin_stopped_on={
                    "stopped_recently": today - dt.timedelta(days=rng.randint(30, 150)),
                    "stopped_long_ago": today - dt.timedelta(days=rng.randint(400, 1500)),
                }.get(isotretinoin),
                allergies=allergy,
                # A few fixed risk factors, so the second-pass safety warnings show on first run.
                herpes_labialis_history=n in (2, 9),
                on_anticoagulant=n == 3,
                anticoagulant_agent="Aspirin 75 mg daily" if n == 3 else "",
                keloid_history=n == 5,
                pregnancy_status="breastfeeding" if n == 11 and sex == "female" else "no",
                pregnancy_status_recorded_on=today if n == 11 and sex == "female" else None,
                created_by=author,
                updated_by=author,
            )
            if n % 6 != 0:  # a few patients have not yet signed the photo consent form
                given = today - dt.timedelta(days=consent_days_ago)
                PhotoConsent.objects.create(
                    patient=patient, use=ConsentUse.CLINICAL, given_on=given, recorded_by=author
                )
                if teaching:
                    PhotoConsent.objects.create(
                        patient=patient, use=ConsentUse.TEACHING, given_on=given, recorded_by=author
                    )
        created += 1
    return created


# Each demo patient follows one course, so the outcomes report shows modalities differing on first
# run: CROSS clears ice pick scars fastest, lasers more slowly, superficial peels barely (as the
# literature leads one to expect). Share of scars cleared per visit, by course.
COURSE_CLEARANCE = {"cross": (0.18, 0.28), "laser": (0.14, 0.22), "peel": (0.06, 0.12)}


def demo_course(mrn: str) -> str:
    """The demo patient's course of treatment: half CROSS-led, a third laser-led, the rest peels."""
    draw = random.Random(f"course-{mrn}").random()
    return "cross" if draw < 0.5 else "laser" if draw < 0.83 else "peel"


_SCAR_PROFILE_REGIONS = ["left_cheek", "right_cheek", "left_temple", "right_temple", "forehead"]


def seed_assessments() -> int:
    """Gives most demo patients two to six assessments over months, mostly improving."""
    assessor = User.objects.filter(username="dermatologist").first()
    if assessor is None:
        return 0
    today = timezone.localdate()
    created = 0
    patients = Patient.objects.filter(mrn__startswith="DEMO-").order_by("mrn")
    for patient in patients:
        rng = random.Random(patient.mrn)
        visits = rng.choice([0, 2, 3, 4, 5, 6])  # about one in six has not been assessed yet
        if visits == 0 or patient.assessments.exists():
            continue
        base = {
            (region, scar_type): rng.choice(counts)
            for region in _SCAR_PROFILE_REGIONS
            for scar_type, counts in (
                ("ice_pick", [2, 4, 6, 8, 11]),
                ("boxcar", [0, 1, 2, 4]),
                ("rolling", [0, 0, 2, 5, 8]),
            )
        }
        first_day = today - dt.timedelta(days=rng.randint(150, 300))
        gap = (today - first_day).days // visits
        for visit in range(visits):
            # Each visit clears a share of the scars; now and then a count is flat or worse.
            keep = max(0.1, 1 - visit * rng.uniform(*COURSE_CLEARANCE[demo_course(patient.mrn)]))
            grid = {
                key: max(0, round(count * keep) + rng.choice([0, 0, 0, 1, -1]))
                for key, count in base.items()
            }
            ice_pick = sum(v for (_, t), v in grid.items() if t == "ice_pick")
            rolling = sum(v for (_, t), v in grid.items() if t == "rolling")
            boxcar = sum(v for (_, t), v in grid.items() if t == "boxcar")
            answers = {}
            if visit % 2 == 0:
                cadi = max(0, 11 - 2 * visit + rng.choice([0, 1, -1]))
                answers = {f"cadi_{n}": min(3, max(0, cadi - 3 * (n - 1))) for n in range(1, 6)}
            with transaction.atomic():
                assessment_record(
                    assessment=ScarAssessment(
                        patient=patient,
                        assessor=assessor,
                        assessed_on=first_day + dt.timedelta(days=gap * visit),
                        gb_grade=4 if ice_pick > 20 else 3 if ice_pick + rolling > 10 else 2,
                        gb_punched_out_deep_abnormal_base=ice_pick,
                        gb_punched_out_shallow_small=boxcar,
                        gb_moderate_dish_atrophic=rolling,
                        gb_macular=rng.choice([0, 5, 12]),
                        notes="" if visit else "Baseline before treatment.",
                        **answers,
                    ),
                    grid=grid,
                    by=assessor,
                )
            created += 1
    return created
