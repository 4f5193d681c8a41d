from django.urls import path

from scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("", views.day_view, name="day"),
    path("rooms/", views.room_day_view, name="rooms"),
    path("week/<int:user_pk>/", views.week_view, name="week"),
    path("book/", views.book, name="book"),
    path("series/", views.series, name="series"),
    path("<int:pk>/", views.appointment_detail, name="detail"),
    path("<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/no-show/", views.no_show, name="no_show"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("feed/", views.feed_settings, name="feed"),
    path("feed/<str:token>.ics", views.ical_feed, name="ical"),
]
