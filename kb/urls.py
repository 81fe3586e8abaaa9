from django.urls import path

from kb import views
from kb.feeds import LatestArticlesFeed

app_name = "kb"
urlpatterns = [
    path("articles/", views.article_list, name="article-list"),
    path("articles/<uslug:slug>/", views.article_detail, name="article-detail"),
    path("articles/<uslug:slug>/side-by-side/", views.article_side_by_side, name="article-side-by-side"),
    path("topics/<uslug:slug>/", views.topic_detail, name="topic-detail"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag-detail"),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path("search/", views.search_page, name="search"),
    path("articles/<uslug:slug>/history/", views.article_history, name="article-history"),
    path("articles/<uslug:slug>/history/<int:number>/restore/", views.article_restore, name="article-restore"),
    path("markdown-preview/", views.markdown_preview, name="markdown-preview"),
    path("theme/", views.theme_setting, name="theme"),
    path("glossary/", views.glossary, name="glossary"),
    path("glossary/marks/", views.glossary_marks_setting, name="glossary-marks"),
    path("glossary/term/<uslug:slug>/", views.glossary_term, name="glossary-term"),
    path("glossary/<str:group>/", views.glossary_group, name="glossary-group"),
]
