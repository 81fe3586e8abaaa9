from django.urls import path

from quizzes import views

app_name = "quizzes"
urlpatterns = [
    path("quizzes/<uslug:slug>/", views.quiz_detail, name="quiz-detail"),
    path("quizzes/<uslug:slug>/start/", views.quiz_start, name="quiz-start"),
    path("quizzes/<uslug:slug>/attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path("quizzes/<uslug:slug>/statistics/", views.statistics, name="statistics"),
]
