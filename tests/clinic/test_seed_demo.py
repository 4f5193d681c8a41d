from django.contrib.auth.models import User
from django.core.management import call_command

from clinic.roles import Role, role_of
from patients.models import Patient, PhotoConsent, ScarAssessment
from treatments.models import AdverseEvent, ClinicalPhoto, TopicalRegimen, TreatmentSession


def _snapshot():
    return (
        sorted(User.objects.values_list("username", "password")),
        sorted(Patient.objects.values_list("mrn", "last_name", "date_of_birth", "phone")),
        PhotoConsent.objects.count(),
        sorted(ScarAssessment.objects.values_list("patient__mrn", "assessed_on", "ecca_score")),
        sorted(TreatmentSession.objects.values_list("patient__mrn", "performed_at")),
        TopicalRegimen.objects.count(),
        AdverseEvent.objects.count(),
        sorted(ClinicalPhoto.objects.values_list("patient__mrn", "view", "taken_on", "sha256")),
    )


def test_seed_demo_creates_the_demo_clinic_and_is_idempotent(db, monkeypatch, capsys):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("seed_demo")
    first = _snapshot()
    out = capsys.readouterr().out
    assert "Password for all three: demo-pass-for-tests" in out

    call_command("seed_demo")
    assert _snapshot() == first
    assert "Demo patients: 0 created." in capsys.readouterr().out

    assert Patient.objects.count() == 30
    # Most patients have two to six assessments, and most of them improved since baseline.
    per_patient = [p.assessments.count() for p in Patient.objects.all()]
    assert sum(1 for n in per_patient if 2 <= n <= 6) >= 20
    assert set(per_patient) <= {0, 2, 3, 4, 5, 6}
    improved = [
        p
        for p in Patient.objects.all()
        if p.assessments.count() >= 2
        and p.assessments.last().ecca_score < p.assessments.first().ecca_score
    ]
    assert len(improved) >= 15
    # A treatment history: CROSS series, a combination session, lasers, an adverse event.
    assert TreatmentSession.objects.filter(cross_procedures__isnull=False).count() >= 20
    assert TreatmentSession.objects.filter(
        cross_procedures__isnull=False, subcision_procedures__isnull=False
    ).exists()
    assert TreatmentSession.objects.filter(laser_procedures__isnull=False).exists()
    assert AdverseEvent.objects.exists()
    assert TopicalRegimen.objects.exists()
    # Placeholder photos across visits for a few patients, so compare has pairs to show.
    assert ClinicalPhoto.objects.values("patient").distinct().count() >= 3
    assert ClinicalPhoto.objects.filter(view="frontal").count() >= 6
    assert PhotoConsent.objects.count() > 20
    # The risk factors behind the second-pass warnings are there on first run.
    assert Patient.objects.filter(herpes_labialis_history=True).exists()
    assert Patient.objects.filter(on_anticoagulant=True).exclude(anticoagulant_agent="").exists()
    assert Patient.objects.filter(keloid_history=True).exists()
    roles = {u.username: role_of(u) for u in User.objects.all()}
    assert roles == {
        "dermatologist": Role.DERMATOLOGIST,
        "frontdesk": Role.FRONT_DESK,
        "clinicadmin": Role.CLINIC_ADMIN,
    }
    assert User.objects.get(username="clinicadmin").is_staff
    assert User.objects.get(username="dermatologist").check_password("demo-pass-for-tests")
    # Clearly fictional: reserved drama phone numbers and example.com addresses only.
    assert all(p.phone.startswith("07700 900") for p in Patient.objects.all())
    assert all(p.email.endswith("@example.com") for p in Patient.objects.all())
