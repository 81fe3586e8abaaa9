from django.urls import path

from courses import views

app_name = "courses"
urlpatterns = [
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<uslug:slug>/", views.course_detail, name="course-detail"),
    path("courses/<uslug:slug>/enrol/", views.enrol, name="enrol"),
    path("courses/<uslug:slug>/leave/", views.leave, name="leave"),
    path("courses/<uslug:slug>/certificate/", views.certificate_issue, name="certificate-issue"),
    path("certificates/<str:code>/", views.certificate_detail, name="certificate"),
    path("certificates/<str:code>/revoke/", views.certificate_revoke, name="certificate-revoke"),
    path("courses/<uslug:course_slug>/lessons/<uslug:slug>/", views.lesson_detail, name="lesson-detail"),
    path(
        "courses/<uslug:course_slug>/lessons/<uslug:slug>/side-by-side/",
        views.lesson_side_by_side,
        name="lesson-side-by-side",
    ),
    path("courses/<uslug:course_slug>/lessons/<uslug:slug>/complete/", views.lesson_complete, name="lesson-complete"),
    path(
        "courses/<uslug:course_slug>/lessons/<uslug:slug>/incomplete/",
        views.lesson_incomplete,
        name="lesson-incomplete",
    ),
]
