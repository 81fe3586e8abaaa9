from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from kb.models import Article, GlossaryTerm, Tag, Topic


@admin.register(Topic)
class TopicAdmin(TranslationAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    search_fields = ("name_en", "name_zh_hant", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Tag)
class TagAdmin(TranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("name_en", "name_zh_hant", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Article)
class ArticleAdmin(TranslationAdmin):
    list_display = ("title", "topic", "status", "published_at", "updated_at")
    list_filter = ("status", "topic", "tags")
    search_fields = ("title_en", "title_zh_hant", "slug")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title_en",)}
    filter_horizontal = ("tags",)
    readonly_fields = ("updated_at",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body")}),
        (_("Publishing"), {"fields": ("status", "published_at", "topic", "tags", "author", "updated_at")}),
        (_("Translation"), {"fields": ("edited_at",), "classes": ("collapse",)}),
    )


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(TranslationAdmin):
    list_display = ("term_en", "term_zh_hant", "slug")
    search_fields = ("term_en", "term_zh_hant", "aliases_en", "aliases_zh_hant", "slug")
    prepopulated_fields = {"slug": ("term_en",)}
    autocomplete_fields = ("articles",)
