from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = _("Knowledge base")
    content_sections = (
        "kb.content.knowledge_base.KnowledgeBaseSection",
        "kb.content.glossary.GlossarySection",
    )

    def ready(self):
        from django.urls import register_converter

        from kb.converters import UnicodeSlugConverter

        register_converter(UnicodeSlugConverter, "uslug")

        from search import signals

        signals.connect()
