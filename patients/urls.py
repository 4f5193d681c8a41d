from django.urls import path

from patients import assessment_views, views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/edit/", views.patient_update_view, name="update"),
    path("<int:pk>/archive/", views.patient_archive, name="archive"),
    path("<int:pk>/history/", views.patient_history, name="history"),
    path("<int:pk>/consents/new/", views.consent_create, name="consent_create"),
    path(
        "<int:pk>/consents/<int:consent_pk>/withdraw/",
        views.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("<int:pk>/assessments/new/", assessment_views.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", assessment_views.assessment_detail, name="assessment_detail"),
    path(
        "assessments/<int:pk>/amend/",
        assessment_views.assessment_update,
        name="assessment_update",
    ),
    path(
        "assessments/<int:pk>/archive/",
        assessment_views.assessment_archive_view,
        name="assessment_archive",
    ),
]
