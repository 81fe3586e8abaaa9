from django.urls import path

from learning import views

app_name = "learning"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("review/", views.review, name="review"),
    path("review/answered/<int:pk>/", views.review_result, name="review-result"),
]
