from django.urls import path

from treatments import views

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
]
