from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kb import glossary_marks, languages, services
from kb.admin_base import AuthoringAdmin, SearchIndexedAdmin, status_badge
from kb.diff import line_diff
from kb.glossary_usage import refresh_glossary_usage
from kb.models import Article, ArticleRevision, GlossaryTerm, Tag, Topic
from kb.slugs import unique_slug
from search import index


@admin.register(Topic)
class TopicAdmin(AuthoringAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    search_fields = ("name_en", "name_zh_hant", "slug")
    prepopulated_fields = {"slug": ("name_en",)}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and any(name.startswith("name") for name in form.changed_data):
            index.update_topic(obj.pk)  # pages are found by their topic's name
        # A topic that articles or courses use cannot be deleted, so deleting one changes no page.


@admin.register(Tag)
class TagAdmin(AuthoringAdmin):
    list_display = ("name", "slug")
    search_fields = ("name_en", "name_zh_hant", "slug")
    prepopulated_fields = {"slug": ("name_en",)}

    # Articles are found by their tags' names.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and any(name.startswith("name") for name in form.changed_data):
            index.update(*obj.articles.select_related("topic").prefetch_related("tags"))

    def delete_model(self, request, obj):
        articles = list(obj.articles.all())
        super().delete_model(request, obj)
        index.update(*articles)

    def delete_queryset(self, request, queryset):
        articles = list(Article.objects.filter(tags__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        index.update(*articles)


class ArticleForm(forms.ModelForm):
    """The article edit form. It remembers the revision it was loaded from: saving over a newer revision is
    refused with the other editor's changes shown, and the text typed here stays in the form."""

    loaded_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 (the admin passes its own list of fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Leave empty to make one from the title (Chinese and emoji work).")
        if not self.is_bound:
            self.initial["loaded_revision"] = self.instance.revision

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug"):
            title = cleaned.get("title_en") or cleaned.get("title_zh_hant") or ""
            cleaned["slug"] = unique_slug(Article, title, exclude_pk=self.instance.pk, fallback="article")
            self.instance.slug = cleaned["slug"]
        if self.instance.pk:
            self._check_for_conflict(cleaned)
        return cleaned

    def _check_for_conflict(self, cleaned):
        # The admin saves inside a transaction: locking the row here holds off another save until ours ends.
        current = Article.objects.select_for_update().get(pk=self.instance.pk)
        loaded = cleaned.get("loaded_revision")
        if loaded is None or current.revision == loaded:
            return
        theirs = current.revisions.select_related("author").first()
        changes = []
        for name in Article.TRANSLATED_TEXT:
            for code in languages.codes():
                field = languages.localized(name, code)
                lines = line_diff(getattr(current, field) or "", cleaned.get(field) or "")
                if lines:
                    changes.append({"field": field, "label": self.fields[field].label, "lines": lines})
        self.conflict = {"revision": theirs, "changes": changes}
        # The next save, after merging, is against the revision now in the database.
        self.data = self.data.copy()
        self.data["loaded_revision"] = current.revision
        raise forms.ValidationError(
            gettext(
                "%(who)s saved this article (revision %(number)s) after you opened it. Nothing was saved: compare "
                "their version with yours below, merge what you want to keep into the form, and save again."
            )
            % {"who": (theirs.author if theirs and theirs.author else gettext("Someone")), "number": current.revision},
            code="conflict",
        )


@admin.register(Article)
class ArticleAdmin(SearchIndexedAdmin, AuthoringAdmin):
    form = ArticleForm
    change_form_template = "admin/kb/article/change_form.html"
    markdown_fields = ("body",)
    preview_shows_images = True
    # The links to each language's page are at the top of the article's form.
    list_display = ("short_title", "topic", "publishing_state", "translation_state", "updated")
    list_filter = ("status", "topic", "tags")
    list_select_related = ("topic",)
    search_fields = ("title_en", "title_zh_hant", "slug")
    prepopulated_fields = {"slug": ("title_en",)}
    date_hierarchy = "published_at"
    autocomplete_fields = ("topic", "tags", "author")
    readonly_fields = ("updated_at", "revision", "history_link")
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body", "loaded_revision")}),
        (
            _("Publishing"),
            {
                "fields": (
                    "status",
                    "published_at",
                    "topic",
                    "tags",
                    "author",
                    "updated_at",
                    "revision",
                    "history_link",
                ),
                "description": _(
                    "A published article with a publication time in the future appears on the site at that "
                    "time by itself. Set the status back to draft to unpublish."
                ),
            },
        ),
    )

    @admin.display(description=_("state"))
    def publishing_state(self, article):
        if article.status == Article.Status.DRAFT:
            return status_badge(gettext("Draft"), "draft")
        if article.published_at and article.published_at > timezone.now():
            when = timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M")
            return status_badge(gettext("Scheduled for %(when)s") % {"when": when}, "scheduled")
        return status_badge(gettext("Published"), "published")

    @admin.display(description=_("history"))
    def history_link(self, article):
        if not article.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("kb:article-history", kwargs={"slug": article.slug}),
            gettext("All revisions, compare and restore"),
        )

    def save_model(self, request, obj, form, change):
        event = ArticleRevision.Event.EDITED if change else ArticleRevision.Event.CREATED
        services.article_save(article=obj, editor=request.user, event=event)
        # Other apps say what an edit of an article breaks for them (AppConfig.article_edit_warnings: a
        # function of the saved article that returns messages), e.g. quiz questions citing a lost section.
        for app in apps.get_app_configs():
            for path in getattr(app, "article_edit_warnings", ()):
                for warning in import_string(path)(obj):
                    messages.warning(request, warning)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_glossary_usage()


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(AuthoringAdmin):
    list_display = ("term_en", "term_zh_hant", "slug", "marked")
    list_filter = ("marked",)
    search_fields = ("term_en", "term_zh_hant", "aliases_en", "aliases_zh_hant", "slug")
    prepopulated_fields = {"slug": ("term_en",)}
    autocomplete_fields = ("articles",)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        glossary_marks.refresh_articles()  # every article's marks, and so where each term is used, follow the glossary

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        glossary_marks.refresh_articles()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        glossary_marks.refresh_articles()
