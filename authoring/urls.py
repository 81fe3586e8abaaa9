from django.urls import path

from authoring import views

app_name = "authoring"
urlpatterns = [
    path("authoring/translations/", views.translations, name="translations"),
    path("authoring/analytics/", views.analytics_index, name="analytics"),
    path("courses/<uslug:slug>/analytics/", views.course_analytics, name="course-analytics"),
    path("courses/<uslug:slug>/analytics/progress.csv", views.course_progress_csv, name="course-progress-csv"),
]
