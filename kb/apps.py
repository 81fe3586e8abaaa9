from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = _("Knowledge base")
    sitemaps = {
        "topics": "kb.sitemaps.TopicSitemap",
        "articles": "kb.sitemaps.ArticleSitemap",
        "tags": "kb.sitemaps.TagSitemap",
        "glossary": "kb.sitemaps.GlossaryGroupSitemap",
    }
    content_sections = (
        "kb.content.knowledge_base.KnowledgeBaseSection",
        "kb.content.glossary.GlossarySection",
    )
    # Models whose changes alter what readers see: saving or deleting one changes the content version
    # (kb.content_version), and with it every cached page.
    page_content = ("Topic", "Tag", "Article", "ArticleImage", "GlossaryTerm")
    # What search finds and how it reads queries (search.documents).
    search_documents = ("kb.search_documents.ArticleDocument",)
    search_synonyms = "kb.search_documents.GlossarySynonyms"
    search_words = "kb.search_documents.topic_and_tag_names"

    def ready(self):
        from django.urls import register_converter

        from kb.converters import UnicodeSlugConverter

        register_converter(UnicodeSlugConverter, "uslug")

        from kb import content_version

        content_version.watch()
