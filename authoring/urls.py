from django.urls import path

from authoring import views

app_name = "authoring"
urlpatterns = [
    path("authoring/preview/", views.preview, name="preview"),
    path("authoring/translations/", views.translations, name="translations"),
    path("authoring/articles/<uslug:slug>/history/", views.article_history, name="article-history"),
    path(
        "authoring/articles/<uslug:slug>/history/<int:number>/restore/", views.article_restore, name="article-restore"
    ),
    path("authoring/analytics/", views.analytics_index, name="analytics"),
    path("courses/<uslug:slug>/analytics/", views.course_analytics, name="course-analytics"),
    path("courses/<uslug:slug>/analytics/progress.csv", views.course_progress_csv, name="course-progress-csv"),
]
