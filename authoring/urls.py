from django.urls import path

from authoring import views

app_name = "authoring"
urlpatterns = [
    path("preview/", views.preview, name="preview"),
    path("translations/", views.translations, name="translations"),
    path("articles/<uslug:slug>/history/", views.article_history, name="article-history"),
    path("articles/<uslug:slug>/history/<int:number>/restore/", views.article_restore, name="article-restore"),
]
