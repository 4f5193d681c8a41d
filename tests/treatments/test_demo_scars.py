"""The demo seed's scar registers: two patients, 10-30 scars each, linked to two or three CROSS
sessions, some improved or resolved; a second run adds nothing."""

from django.core.management import call_command
from django.db.models import Count

from demo.scars import seed_scars
from treatments.models import Scar, ScarTreatment


def test_seed_demo_gives_two_patients_a_scar_register(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("seed_demo")
    per_patient = dict(
        Scar.objects.values("patient").annotate(n=Count("pk")).values_list("patient", "n")
    )
    assert len(per_patient) == 2
    assert all(10 <= n <= 30 for n in per_patient.values())
    for patient in per_patient:
        sessions = (
            ScarTreatment.objects.filter(scar__patient=patient)
            .values("cross__session")
            .distinct()
            .count()
        )
        assert sessions in (2, 3)
    assert Scar.objects.filter(status="improved").exists()
    assert Scar.objects.filter(status="resolved").exists()
    assert Scar.objects.filter(status="active").exists()
    assert seed_scars() == 0
