import datetime as dt

import pytest
from django.utils import timezone

from patients.models import ConsentUse
from tests.factories import PhotoConsentFactory


@pytest.fixture
def consent(patient, front_desk):
    """Clinical photo consent given ten days ago, recorded by the front desk."""
    return PhotoConsentFactory(
        patient=patient,
        use=ConsentUse.CLINICAL,
        given_on=timezone.localdate() - dt.timedelta(days=10),
        recorded_by=front_desk,
    )
