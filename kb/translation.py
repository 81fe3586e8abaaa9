from modeltranslation.translator import TranslationOptions, register

from kb.models import Article, GlossaryTerm, Tag, Topic


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("en",)


@register(Tag)
class TagTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "edited_at", "body_html", "toc", "reading_minutes")
    # The article page picks the language to show itself (see Article.version), so no silent fallback here.
    fallback_languages = {"default": ()}
    required_languages = {"en": ("title",)}


@register(GlossaryTerm)
class GlossaryTermTranslationOptions(TranslationOptions):
    fields = ("term", "aliases", "definition")
    required_languages = {"en": ("term",)}
