from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = _("Knowledge base")
    content_sections = (
        "kb.content.knowledge_base.KnowledgeBaseSection",
        "kb.content.glossary.GlossarySection",
    )
    # What search finds and how it reads queries (search.documents).
    search_documents = ("kb.search_documents.ArticleDocument",)
    search_synonyms = "kb.search_documents.GlossarySynonyms"
    search_words = "kb.search_documents.topic_and_tag_names"

    def ready(self):
        from django.urls import register_converter

        from kb.converters import UnicodeSlugConverter

        register_converter(UnicodeSlugConverter, "uslug")
