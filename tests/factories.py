import datetime as dt

import factory
from django.contrib.auth.models import User
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
from patients.services import assessment_check, assessment_record


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted: Role | None, **kwargs):
        if create and extracted:
            assign_role(self, extracted)


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    # Adults well clear of the age rules (under 18, under 21 for PMMA): a test about age sets
    # the birth date itself, so a random birthday never decides whether a rule fires.
    date_of_birth = factory.Faker("date_of_birth", minimum_age=25, maximum_age=65)
    sex_at_birth = SexAtBirth.FEMALE
    phone = factory.Sequence(lambda n: f"07700 9{n % 100000:05d}")
    email = factory.LazyAttribute(lambda p: f"{p.first_name.lower()}@example.com")
    fitzpatrick_type = FitzpatrickType.III


class PhotoConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhotoConsent

    patient = factory.SubFactory(PatientFactory)
    use = ConsentUse.CLINICAL
    given_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


class ScarAssessmentFactory(factory.django.DjangoModelFactory):
    """Recorded through the real service, so scores and grid rows are exactly as in the app.

    Pass `grid={("left_cheek", "ice_pick"): 12, ...}` for the region x scar-type counts. Any
    contradiction warnings are acknowledged by the assessor, as the form would require; pass
    `acknowledged=[...]` to choose.
    """

    class Meta:
        model = ScarAssessment

    patient = factory.SubFactory(PatientFactory)
    assessor = factory.SubFactory(UserFactory)
    assessed_on = dt.date(2026, 1, 15)
    gb_grade = 3

    @classmethod
    def _create(cls, model_class, *args, grid=None, acknowledged=None, **kwargs):
        assessment = model_class(**kwargs)
        grid = grid or {}
        if acknowledged is None:
            acknowledged = [w.code for w in assessment_check(assessment=assessment, grid=grid)]
        return assessment_record(
            assessment=assessment, grid=grid, acknowledged=acknowledged, by=kwargs["assessor"]
        )
