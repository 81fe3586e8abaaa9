"""Article images, at one address for every language (outside the language prefix)."""

from django.urls import path

from kb import views

app_name = "kb_images"
urlpatterns = [
    path("images/articles/<uslug:slug>/<str:name>", views.article_image, name="article-image"),
]
