from django.urls import path

from treatments import outcome_views, photo_views, report_views, scar_views, views

app_name = "treatments"

urlpatterns = [
    path("patients/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/amend/", views.session_update, name="session_update"),
    path("sessions/<int:pk>/archive/", views.session_archive_view, name="session_archive"),
    path(
        "sessions/<int:pk>/adverse-events/new/",
        views.adverse_event_create,
        name="adverse_event_create",
    ),
    path("patients/<int:pk>/topicals/new/", views.topical_create, name="topical_create"),
    path("topicals/<int:pk>/stop/", views.topical_stop_view, name="topical_stop"),
    path("patients/<int:pk>/skin-tests/new/", views.skin_test_create, name="skin_test_create"),
    path("skin-tests/<int:pk>/read/", views.skin_test_read, name="skin_test_read"),
    path("patients/<int:pk>/photos/new/", photo_views.photo_upload, name="photo_upload"),
    path("patients/<int:pk>/photos/capture/", photo_views.photo_capture, name="photo_capture"),
    path(
        "patients/<int:pk>/photos/capture/store/",
        photo_views.photo_capture_store,
        name="photo_capture_store",
    ),
    path("patients/<int:pk>/photos/compare/", photo_views.photo_compare, name="photo_compare"),
    path("photos/<int:pk>/", photo_views.photo_detail, name="photo_detail"),
    path("photos/<int:pk>/file/<str:size>.jpg", photo_views.photo_file, name="photo_file"),
    # The same page as photo_file with size "thumb", named for one-argument reversing (url_for).
    path(
        "photos/<int:pk>/file/thumb.jpg",
        photo_views.photo_file,
        {"size": "thumb"},
        name="photo_thumb",
    ),
    path("photos/<int:pk>/export/<str:use>/", photo_views.photo_export, name="photo_export"),
    path(
        "patients/<int:pk>/progress-summary/",
        outcome_views.progress_summary,
        name="progress_summary",
    ),
    path("patients/<int:pk>/fhir.json", outcome_views.fhir_export, name="fhir_export"),
    path("patients/<int:pk>/letters/new/", outcome_views.letter_create, name="letter_create"),
    path("letters/<int:pk>/", outcome_views.letter_update, name="letter_update"),
    path("letters/<int:pk>/print/", outcome_views.letter_print, name="letter_print"),
    path("reports/outcomes/", report_views.outcomes_report_view, name="outcomes_report"),
    path("reports/outcomes.csv", report_views.outcomes_report_csv, name="outcomes_report_csv"),
    path(
        "reports/outcomes-sessions.csv",
        report_views.outcomes_dataset_csv,
        name="outcomes_dataset_csv",
    ),
    path("reports/filler-lots/", report_views.filler_lots, name="filler_lots"),
    path("photos/<int:pk>/archive/", photo_views.photo_archive_view, name="photo_archive"),
    path("patients/<int:pk>/scars/", scar_views.scar_register, name="scar_register"),
    path("scars/<int:pk>/", scar_views.scar_detail, name="scar_detail"),
    path("scars/<int:pk>/status/", scar_views.scar_status, name="scar_status"),
    path("scars/<int:pk>/archive/", scar_views.scar_archive, name="scar_archive"),
    path(
        "scars/<int:pk>/dismiss-suggestion/",
        scar_views.scar_dismiss_suggestion,
        name="scar_dismiss_suggestion",
    ),
]
