"""A clinic group's worth of fictional data, for measuring the app at scale (`seed_scale`).

PostgreSQL only. Rows are made in bulk: models that other apps are still growing (patients,
assessments, sessions and their procedures) through the ORM's bulk_create in batches, so every
field keeps its model default; the big, narrow tables (appointments, photos, the access log, scar
counts) by set-based SQL (INSERT ... SELECT over generate_series). History rows are not written.

Every constraint holds. Appointments are laid out so that no two active ones overlap for a
dermatologist, a room or a patient (the exclusion constraints of scheduling migration 0002):
on each weekday all dermatologists follow the same pattern of slots, so two visits overlap in time
only when they share a day and a slot number; the patient of visit x = (day, slot, dermatologist)
is patient number x * STRIDE mod N, which differs for the D visits of one slot whenever N >= D
(STRIDE is coprime with N). Each dermatologist keeps one room for the day, rotating by day, so
rooms never clash either. Cancelled and no-show visits, which hold no slot, fill the rest.
"""

import datetime as dt
import io
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from clinic.roles import Role, assign_role
from demo import scale_sql as sql
from patients.identifiers import luhn_check_digit
from patients.models import (
    FacialRegion,
    FitzpatrickType,
    Patient,
    ScarAssessment,
    SexAtBirth,
)
from patients.scoring import DlqiAnswer, DlqiWorkAnswer, DlqiWorkProblem, EccaScarType
from scheduling.models import Kind, Room
from treatments.models import (
    CrossApplicator,
    CrossProcedure,
    PhotoView,
    SubcisionInstrument,
    SubcisionProcedure,
    TreatmentSession,
    photo_storage,
)

BATCH = 5_000
YEARS = 5
AHEAD_DAYS = 182  # of the five years, about six months are still to come
STRIDE = 7_919  # a prime: patient numbers x * STRIDE mod N spread over everyone
HEAVY_PATIENTS = 10  # the "heavy" charts: many years of visits
HEAVY_SESSIONS, HEAVY_ASSESSMENTS, HEAVY_PHOTOS = 120, 60, 300

SCALE_DERMATOLOGIST = "scale-derm-{:02d}"
SCALE_FRONT_DESK = "scale-desk"
SCALE_ADMIN = "scale-admin"


@dataclass
class Sizes:
    patients: int = 100_000
    assessments: int = 300_000
    sessions: int = 200_000
    appointments: int = 1_000_000
    photos: int = 200_000
    access_logs: int = 500_000
    dermatologists: int = 10
    rooms: int = 6


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)


class SeedRefused(Exception):
    pass


_FIRST = [
    "Aisha", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonah", "Kemi",
    "Liam", "Maya", "Nikhil", "Olivia", "Pablo", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera",
    "Wei", "Xena", "Yusuf", "Zara", "Amir", "Bella", "Carlos", "Dana", "Emil", "Fatima", "George",
    "Hana", "Ivan", "Julia", "Kofi", "Lena", "Marco", "Nora", "Oscar", "Priya", "Rafael", "Sofia",
    "Tomas", "Uma", "Viktor", "Wanda", "Yara", "Zoe", "Adam", "Beatriz", "Cyrus", "Daria", "Eli",
    "Freya", "Gabriel", "Helena", "Isaac", "Jana",
]  # fmt: skip
_SEX = [SexAtBirth.FEMALE, SexAtBirth.MALE]
# Surnames from two parts: 750 of them, so a search for a name finds a few hundred patients.
_LAST_START = [
    "Ab", "Bar", "Cas", "Dal", "Eck", "Fer", "Gal", "Har", "Ing", "Jor", "Kal", "Lin", "Mor",
    "Nor", "Oak", "Pet", "Quar", "Ros", "Sal", "Tor", "Ul", "Van", "Wes", "Yar", "Zel", "Ash",
    "Bro", "Cor", "Dun", "Ell",
]  # fmt: skip
_LAST_END = [
    "ford", "ley", "son", "man", "ton", "well", "wood", "berg", "stein", "ini", "ova", "ez",
    "ard", "ridge", "dale", "more", "field", "worth", "bury", "castle", "ham", "ani", "aki",
    "opoulos", "escu",
]  # fmt: skip
# A dermatologist's day, 08:00-18:00, as slot lengths in minutes; one pattern per weekday for
# everyone, so that overlapping visits always share a slot number.
_PATTERNS = [
    [int(m) for m in day.split()]
    for day in (
        "15 15 30 15 15 15 30 15 15 15 15 30 15 15 15 15 30 15 15 15 15 30 15 15 15 30 15 15 15 15 "
        "15 30 15",
        "30 15 15 15 15 45 15 15 15 15 30 15 15 15 15 15 30 15 15 15 15 15 45 15 15 15 15 15 15 30 "
        "15 15",
        " ".join(["15"] * 40),
    )
]
OPENS = dt.time(8, 0)
PHOTO_VIEWS = [v.value for v in PhotoView]


def _pattern_rows() -> list[tuple[int, int, int, int]]:
    """(variant, slot number, minutes after opening, minutes long) for every pattern."""
    rows = []
    for variant, lengths in enumerate(_PATTERNS):
        assert sum(lengths) == 600, variant
        offset = 0
        for seq, minutes in enumerate(lengths):
            rows.append((variant, seq, offset, minutes))
            offset += minutes
    return rows


def _mrn(n: int) -> str:
    body = str(1_000_000 + (n * STRIDE) % 9_000_000)
    digits = body + str(luhn_check_digit(body))
    return f"{digits[:4]}-{digits[4:]}"


def _stride(n: int) -> int:
    stride = STRIDE
    while math.gcd(stride, n) != 1:
        stride += 1
    return stride


def check_database(*, force: bool) -> None:
    if connection.vendor != "postgresql":
        raise SeedRefused("seed_scale needs PostgreSQL (set DATABASE_URL); SQLite is not for this.")
    if not force and Patient.objects.exists():
        raise SeedRefused(
            "This database already has patients; seed_scale is for an empty one. "
            "Pass --force to add the data set anyway."
        )


def _user(username: str, first: str, last: str, role: Role, **extra) -> User:
    """A scale data set's user, made if missing. No password: the benchmark signs users in with
    sessions it creates itself."""
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    made = User(username=username, first_name=first, last_name=last, **extra)
    made.set_unusable_password()
    made.save()
    assign_role(made, role)
    return made


def staff(dermatologists: int = 1) -> tuple[list[User], User, User]:
    """The data set's dermatologists, front desk and clinic admin, made if missing."""
    return (
        [
            _user(SCALE_DERMATOLOGIST.format(n), _FIRST[n], f"Scale{n:02d}", Role.DERMATOLOGIST)
            for n in range(1, dermatologists + 1)
        ],
        _user(SCALE_FRONT_DESK, "Desk", "Scale", Role.FRONT_DESK),
        _user(SCALE_ADMIN, "Admin", "Scale", Role.CLINIC_ADMIN, is_staff=True),
    )


def _batched(items_count: int):
    for start in range(0, items_count, BATCH):
        yield start, min(BATCH, items_count - start)


class Generator:
    def __init__(self, sizes: Sizes, *, seed: int = 2026, log=print):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.log = log
        self.today = timezone.localdate()
        self.first_day = self.today + dt.timedelta(days=AHEAD_DAYS) - dt.timedelta(days=365 * YEARS)
        self.last_day = self.today + dt.timedelta(days=AHEAD_DAYS)
        self.report = Report()

    # -- helpers -------------------------------------------------------------------------------

    def _past_day(self, rng: random.Random) -> dt.date:
        return self.today - dt.timedelta(days=rng.randint(1, (self.today - self.first_day).days))

    def _aware(self, day: dt.date, minutes: int) -> dt.datetime:
        naive = dt.datetime.combine(day, OPENS) + dt.timedelta(minutes=minutes)
        return timezone.make_aware(naive)

    # -- the steps -----------------------------------------------------------------------------

    def run(self) -> Report:
        sizes = self.sizes
        self.dermatologists, self.desk, self.admin = staff(sizes.dermatologists)
        self.rooms = [
            Room.objects.get_or_create(name=f"Scale room {n}")[0] for n in range(1, sizes.rooms + 1)
        ]
        steps = [
            ("patients", self.patients),
            ("consents", self.consents),
            ("assessments", self.assessments),
            ("sessions", self.sessions),
            ("appointments", self.appointments),
            ("calendar_changes", self.calendar_changes),
            ("photos", self.photos),
            ("access_logs", self.access_logs),
        ]
        for name, step in steps:
            started = timezone.now()
            with transaction.atomic():
                count = step()
            self.report.counts[name] = count
            seconds = (timezone.now() - started).total_seconds()
            self.log(f"{name}: {count} rows in {seconds:.1f} s")
        with connection.cursor() as cursor:
            # VACUUM as well: rows inserted under a GIN (trigram) index wait in its pending list,
            # which every search then reads through, and index-only scans need the visibility
            # map, until autovacuum comes by (never, where it is off). Inside a transaction (the
            # tests) only ANALYZE is allowed.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        return self.report

    def patients(self) -> int:
        rng = self.rng
        offset = Patient.objects.count()
        total = self.sizes.patients
        first_id = None
        for start, size in _batched(total):
            batch = []
            for i in range(start, start + size):
                n = offset + i + 1
                first = rng.choice(_FIRST)
                last = rng.choice(_LAST_START) + rng.choice(_LAST_END)
                phone = f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
                archived = rng.random() < 0.02
                batch.append(
                    Patient(
                        mrn=_mrn(n),
                        first_name=first,
                        last_name=last,
                        preferred_name=rng.choice(_FIRST) if rng.random() < 0.05 else "",
                        date_of_birth=dt.date(
                            rng.randint(1950, 2008), rng.randint(1, 12), rng.randint(1, 28)
                        ),
                        sex_at_birth=rng.choice(_SEX),
                        phone=phone,
                        phone_digits=phone.replace(" ", ""),
                        email=f"{first.lower()}.{n}@example.com",
                        address=f"{n} Example Road\nExampletown EX{n % 9 + 1} 0AA",
                        fitzpatrick_type=rng.choice(list(FitzpatrickType)).value,
                        active_acne=rng.random() < 0.2,
                        acne_onset_year=rng.randint(1970, 2020),
                        created_by=self.desk,
                        updated_by=self.desk,
                        archived_at=timezone.now() if archived else None,
                    )
                )
            made = Patient.objects.bulk_create(batch)
            first_id = first_id or made[0].pk
        if first_id is None:
            raise SeedRefused("Make at least one patient.")
        # Registration dates spread over the five years, and edits since, so that "recently
        # updated" and the admin's dates look like a real clinic's.
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE patients_patient
                   SET created_at = %(start)s + (random() * (%(days)s * interval '1 day')),
                       updated_at = %(start)s + (random() * (%(days)s * interval '1 day'))
                 WHERE id >= %(first)s
                """,
                {"start": self._aware(self.first_day, 0), "days": YEARS * 365, "first": first_id},
            )
            cursor.execute(
                "UPDATE patients_patient SET updated_at = created_at "
                "WHERE id >= %s AND updated_at < created_at",
                [first_id],
            )
        self.patient_ids = list(
            Patient.objects.filter(pk__gte=first_id).order_by("pk").values_list("pk", flat=True)
        )
        self.heavy = self.patient_ids[: min(HEAVY_PATIENTS, len(self.patient_ids) // 20)]
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS seed_scale_patients")
            cursor.execute(
                "CREATE TEMP TABLE seed_scale_patients AS SELECT "
                "(row_number() OVER (ORDER BY id)) - 1 AS idx, id, mrn "
                "FROM patients_patient WHERE id >= %s",
                [first_id],
            )
            cursor.execute("CREATE UNIQUE INDEX ON seed_scale_patients (idx)")
            cursor.execute("ANALYZE seed_scale_patients")
        return len(self.patient_ids)

    def consents(self) -> int:
        """Clinical photo consent for the heavy patients and about half the others."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO patients_photoconsent
                    (patient_id, use, given_on, notes, recorded_at, recorded_by_id)
                SELECT id, 'clinical', %(day)s, '', now(), %(desk)s
                  FROM seed_scale_patients WHERE idx %% 2 = 0 OR id = ANY(%(heavy)s)
                """,
                {"day": self.first_day, "desk": self.desk.pk, "heavy": self.heavy},
            )
            return cursor.rowcount

    def _assessment_templates(self, count: int = 24) -> list[tuple[dict, list[tuple]]]:
        """Answer sets with their scores worked out by the model, so that recomputing any stored
        assessment from its counts gives its stored scores."""
        rng = random.Random(11)
        regions = list(FacialRegion.values)
        templates = []
        for _ in range(count):
            cells = {}
            for _ in range(rng.randint(2, 6)):
                key = (rng.choice(regions), rng.choice(list(EccaScarType)).value)
                cells[key] = rng.randint(1, 25)
            fields = {
                "gb_grade": rng.randint(1, 4),
                "gb_punched_out_shallow_small": rng.randint(0, 12),
                "gb_shallow_broad_atrophic": rng.randint(0, 8),
                "gb_punched_out_deep_normal_base": rng.randint(0, 6),
                "keloid_area_cm2": Decimal(0),
            }
            if rng.random() < 0.7:
                fields.update({f"cadi_{n}": rng.randint(0, 3) for n in range(1, 6)})
            if rng.random() < 0.5:
                answers = [a for a in DlqiAnswer if a != DlqiAnswer.NOT_RELEVANT]
                fields.update({f"dlqi_{n}": rng.choice(answers).value for n in range(1, 11)})
                # Item 7 is asked as yes/no, then how much of a problem (patients.scoring).
                work = rng.choice(list(DlqiWorkAnswer))
                fields["dlqi_7"] = work.value
                if work == DlqiWorkAnswer.NO:
                    fields["dlqi_7_problem"] = rng.choice(list(DlqiWorkProblem)).value
            sample = ScarAssessment(**fields)
            totals: dict[str, int] = {}
            for (_, scar_type), n in cells.items():
                totals[scar_type] = totals.get(scar_type, 0) + n
            sample.set_scores({EccaScarType(t): n for t, n in totals.items()})
            fields.update(
                ecca_score=sample.ecca_score,
                gb_quantitative_score=sample.gb_quantitative_score,
                cadi_score=sample.cadi_score,
                dlqi_score=sample.dlqi_score,
                ecca_version=sample.ecca_version,
                gb_version=sample.gb_version,
            )
            templates.append((fields, [(r, t, n) for (r, t), n in cells.items()]))
        return templates

    def _owners(self, total: int, per_heavy: int) -> list[int]:
        """Patient ids for `total` rows: `per_heavy` each for the heavy patients, then random."""
        rng = self.rng
        owners = [pk for pk in self.heavy for _ in range(per_heavy)][:total]
        ids = self.patient_ids
        owners += [ids[rng.randrange(len(ids))] for _ in range(total - len(owners))]
        return owners

    def assessments(self) -> int:
        rng = self.rng
        templates = self._assessment_templates()
        owners = self._owners(self.sizes.assessments, HEAVY_ASSESSMENTS)
        made_total = 0
        for start, size in _batched(len(owners)):
            chosen = [rng.randrange(len(templates)) for _ in range(size)]
            batch = [
                ScarAssessment(
                    patient_id=owners[start + i],
                    assessed_on=self._past_day(rng),
                    assessor=rng.choice(self.dermatologists),
                    **templates[t][0],
                )
                for i, t in enumerate(chosen)
            ]
            made = ScarAssessment.objects.bulk_create(batch)
            made_total += len(made)
            cells = [
                (a.pk, region, scar_type, n)
                for a, t in zip(made, chosen, strict=True)
                for region, scar_type, n in templates[t][1]
            ]
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    INSERT INTO patients_scarcount (assessment_id, region, scar_type, count)
                    SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::int[])
                    """,
                    [list(column) for column in zip(*cells, strict=True)],
                )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE patients_scarassessment SET created_at = assessed_on + time '12:00', "
                "updated_at = assessed_on + time '12:00' WHERE patient_id >= %s",
                [self.patient_ids[0]],
            )
        return made_total

    def sessions(self) -> int:
        rng = self.rng
        owners = self._owners(self.sizes.sessions, HEAVY_SESSIONS)
        made_total = 0
        for start, size in _batched(len(owners)):
            batch = []
            for i in range(size):
                day = self._past_day(rng)
                batch.append(
                    TreatmentSession(
                        patient_id=owners[start + i],
                        performed_at=self._aware(day, rng.randrange(0, 600, 15)),
                        clinician=rng.choice(self.dermatologists),
                        consent_confirmed=True,
                        fitzpatrick_type=rng.randint(1, 6),
                        aftercare_given="Bland emollient, SPF 50, no picking.",
                        next_session_due=day + dt.timedelta(weeks=rng.choice([4, 6, 8])),
                    )
                )
            made = TreatmentSession.objects.bulk_create(batch)
            made_total += len(made)
            procedures_cross, procedures_subcision = [], []
            for session in made:
                if rng.random() < 0.6:
                    procedures_cross.append(
                        CrossProcedure(
                            session=session,
                            regions=["left_cheek", "right_cheek"],
                            scars_treated=rng.randint(3, 30),
                            tca_concentration_percent=Decimal(rng.choice([65, 80, 100])),
                            applicator=CrossApplicator.WOODEN_STICK,
                            frost_reached=True,
                        )
                    )
                else:
                    procedures_subcision.append(
                        SubcisionProcedure(
                            session=session,
                            regions=["left_cheek"],
                            scars_treated=rng.randint(2, 12),
                            instrument=SubcisionInstrument.NOKOR,
                            gauge=18,
                        )
                    )
            CrossProcedure.objects.bulk_create(procedures_cross)
            SubcisionProcedure.objects.bulk_create(procedures_subcision)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE treatments_treatmentsession SET created_at = performed_at, "
                "updated_at = performed_at WHERE patient_id >= %s",
                [self.patient_ids[0]],
            )
        return made_total

    def appointments(self) -> int:
        sizes = self.sizes
        derm_ids = [u.pk for u in self.dermatologists]
        room_ids = [r.pk for r in self.rooms]
        patterns = _pattern_rows()
        weekdays = sum(
            1
            for n in range((self.last_day - self.first_day).days + 1)
            if (self.first_day + dt.timedelta(days=n)).isoweekday() < 6
        )
        per_day = {v: len(lengths) for v, lengths in enumerate(_PATTERNS)}
        # Capacity: every weekday's slots for every dermatologist (variant = day number mod 3).
        capacity = sum(per_day[d % len(_PATTERNS)] for d in range(weekdays)) * len(derm_ids)
        active = min(capacity, round(sizes.appointments * 0.55))
        inactive = sizes.appointments - active
        max_slots = max(per_day.values())
        n_patients = len(self.patient_ids)
        if n_patients < len(derm_ids):
            raise SeedRefused("Need at least as many patients as dermatologists.")
        params = {
            "first_day": self.first_day,
            "last_day": self.last_day,
            "derms": derm_ids,
            "rooms": room_ids,
            "n_derms": len(derm_ids),
            "n_rooms": len(room_ids),
            "variants": len(_PATTERNS),
            "max_slots": max_slots,
            "n": n_patients,
            "stride": _stride(n_patients),
            "target": active,
            "capacity": capacity,
            "now": timezone.now(),
            "desk": self.desk.pk,
            "kinds": [k.value for k in Kind],
            "tz": timezone.get_current_timezone_name(),
        }
        columns = [list(column) for column in zip(*patterns, strict=True)]
        params.update(p_variant=columns[0], p_seq=columns[1], p_off=columns[2], p_len=columns[3])
        with connection.cursor() as cursor:
            cursor.execute(
                sql.ACTIVE_APPOINTMENTS,
                params,
            )
            made = cursor.rowcount
            # Cancelled and no-show visits free their slot: anywhere in clinic hours.
            cursor.execute(
                sql.INACTIVE_APPOINTMENTS,
                {**params, "inactive": inactive},
            )
            made += cursor.rowcount
        return made

    def _images(self) -> dict[str, tuple[str, str, str, int, int, int]]:
        """One small set of placeholder images per view, stored once and shared by every row."""
        storage = photo_storage()
        stored = {}
        for view in PHOTO_VIEWS:
            names = []
            for suffix, size in (
                ("", (1600, 1200)),
                ("-display", (1200, 900)),
                ("-thumb", (320, 240)),
            ):
                name = f"scale/{view}{suffix}.jpg"
                if not storage.exists(name):
                    image = Image.new("RGB", size, (232, 226, 220))
                    draw = ImageDraw.Draw(image)
                    w, h = size
                    draw.ellipse((w * 0.3, h * 0.1, w * 0.7, h * 0.9), fill=(226, 190, 160))
                    draw.text((10, 10), f"SCALE PLACEHOLDER {view}", fill=(60, 60, 60))
                    buffer = io.BytesIO()
                    image.save(buffer, "JPEG", quality=80)
                    name = storage.save(name, ContentFile(buffer.getvalue()))
                names.append(name)
            with storage.open(names[0]) as handle:
                file_size = len(handle.read())
            stored[view] = (*names, 1600, 1200, file_size)
        return stored

    def photos(self) -> int:
        images = self._images()
        owners = self._owners(self.sizes.photos, HEAVY_PHOTOS)
        heavy = set(self.heavy)
        heavy_rows = sum(1 for pk in owners if pk in heavy)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS seed_scale_images")
            cursor.execute(
                "CREATE TEMP TABLE seed_scale_images (idx int, view text, image text, "
                "display text, thumbnail text, width int, height int, file_size int)"
            )
            for idx, view in enumerate(PHOTO_VIEWS):
                cursor.execute(
                    "INSERT INTO seed_scale_images VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    [idx, view, *images[view]],
                )
            cursor.execute(
                sql.PHOTOS,
                {
                    "owners": owners,
                    "heavy_rows": heavy_rows,
                    "views": len(PHOTO_VIEWS),
                    "today": self.today,
                    "days": (self.today - self.first_day).days - 1,
                    "derm": self.dermatologists[0].pk,
                },
            )
            return cursor.rowcount

    def calendar_changes(self) -> int:
        """The calendar's change log as the appointments' writes would have left it, and a
        patient in a hundred renamed: what a page's version reads (scheduling.visits)."""
        with connection.cursor() as cursor:
            cursor.execute(sql.CALENDAR_CHANGES, {"renames": self.sizes.patients // 100})
            return cursor.rowcount

    def access_logs(self) -> int:
        users = [(u.pk, u.username) for u in [*self.dermatologists, self.desk]]
        with connection.cursor() as cursor:
            cursor.execute(
                sql.ACCESS_LOGS,
                {
                    "start": self._aware(self.first_day, 0),
                    "now": timezone.now(),
                    "user_ids": [pk for pk, _ in users],
                    "usernames": [name for _, name in users],
                    "n_users": len(users),
                    "count": self.sizes.access_logs,
                    "stride": _stride(len(self.patient_ids)),
                    "n": len(self.patient_ids),
                },
            )
            return cursor.rowcount
