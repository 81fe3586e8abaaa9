"""What every content admin shares: language tabs, live Markdown previews, translation status columns and
filters. The tabs and previews are ``static/authoring/admin.js`` (no CDN, no inline script)."""

import unicodedata

from django.contrib import admin
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from kb import languages
from kb.translation_status import CURRENT, MISSING, OUTDATED, STATUS_LABELS, missing_q, outdated_q
from search import index

# A change list's column has room for a word or two; the badge's title has the whole label.
SHORT_LABELS = {
    MISSING: pgettext_lazy("translation status, short", "missing"),
    OUTDATED: pgettext_lazy("translation status, short", "outdated?"),
    CURRENT: pgettext_lazy("translation status, short", "current"),
}

PREVIEW_URL = reverse_lazy("kb:markdown-preview")


def truncated(text, width=36):
    """``text`` cut to about ``width`` columns for a change list (a Chinese character takes two), with the
    whole text on hover, so that long titles do not push the list wider than the screen."""
    text = "" if text is None else str(text)
    used = 0
    for position, character in enumerate(text):
        used += 2 if unicodedata.east_asian_width(character) in {"W", "F"} else 1
        if used > width:
            return format_html('<span class="truncated" title="{}">{}…</span>', text, text[:position].rstrip())
    return text


def translation_status_filter(language):
    """A list filter "Translation (中文): missing / may be out of date / up to date" for one language."""

    class TranslationStatusFilter(admin.SimpleListFilter):
        title = _("translation (%(language)s)") % {"language": dict(languages.codes_and_names())[language]}
        parameter_name = f"translation_{language.replace('-', '_')}"

        def lookups(self, request, model_admin):
            return [
                (MISSING, STATUS_LABELS[MISSING]),
                (OUTDATED, STATUS_LABELS[OUTDATED]),
                (CURRENT, STATUS_LABELS[CURRENT]),
            ]

        def queryset(self, request, queryset):
            model = queryset.model
            if self.value() == MISSING:
                return queryset.filter(missing_q(model, language))
            if self.value() == OUTDATED:
                return queryset.filter(outdated_q(model, language))
            if self.value() == CURRENT:
                return queryset.exclude(missing_q(model, language)).exclude(outdated_q(model, language))
            return queryset

    return TranslationStatusFilter


class SearchIndexedAdmin(admin.ModelAdmin):
    """The admin of a kind of page that search finds: the index follows every save (after the inlines and
    many-to-many fields, which search reads too) and every delete, one or many."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        index.update(form.instance)

    def delete_model(self, request, obj):
        index.remove(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        index.remove(*queryset)
        super().delete_queryset(request, queryset)


class AuthoringAdmin(TranslationAdmin):
    """Translated content: tabs per language, previews for ``markdown_fields``, translation status."""

    markdown_fields = ()
    preview_shows_images = False
    change_form_template = "admin/authoring/change_form.html"

    class Media:
        css = {"all": ("authoring/admin.css",)}
        js = ("js/wide-code.js", "authoring/admin.js")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["authoring_page"] = {
            # An article's previews show its own images (named by file in the Markdown).
            "article": obj.slug if self.preview_shows_images and obj is not None and obj.pk else "",
            "tablist": gettext("Language"),
            "languages": {code: get_language_info(code)["name_local"] for code in languages.codes()},
            "preview": gettext("Preview"),
            "previewFailed": gettext("The preview could not be loaded. Check your connection and type again."),
            "code": pgettext("accessible name of a code block that scrolls sideways, before its number", "Code"),
        }
        context["language_links"] = []
        if obj is not None and obj.pk and hasattr(obj, "get_absolute_url"):
            for code in languages.codes():
                with translation.override(code):
                    url = obj.get_absolute_url()
                context["language_links"].append((get_language_info(code)["name_local"], url, languages.bcp47(code)))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        for name in self.markdown_fields:
            for code in languages.codes():
                if field is not None and db_field.name == languages.localized(name, code):
                    field.widget.attrs.update(
                        {"data-markdown-preview": code, "data-preview-url": str(PREVIEW_URL), "rows": 18}
                    )
        return field

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)

        class NamedInputs(form):
            """Django's change list puts editable fields (``list_editable``) in cells without a label: each input
            is named after its column and its row, "Order: Containers"."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for field in self.fields.values():
                    field.widget.attrs.setdefault("aria-label", f"{capfirst(field.label)}: {self.instance}")

        return NamedInputs

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if hasattr(self.model, "translation_status"):
            filters += [translation_status_filter(code) for code in languages.codes()]
        return filters

    @admin.display(description=_("title"), ordering="title")
    def short_title(self, obj):
        return truncated(obj.title)

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated(self, obj):
        """The day only: the time, to the second, is on hover."""
        when = timezone.localtime(obj.updated_at)
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            when.isoformat(),
            date_format(when, "DATETIME_FORMAT"),
            date_format(when, "SHORT_DATE_FORMAT"),
        )

    @admin.display(description=_("translations"))
    def translation_state(self, obj):
        return format_html_join(
            " ",
            '<span class="translation-badge translation-{}" title="{}">{}</span>',
            (
                (
                    status,
                    f"{languages.bcp47(code)}: {STATUS_LABELS[status]}",
                    f"{languages.bcp47(code)}: {SHORT_LABELS[status]}",
                )
                for code, status in obj.translation_statuses()
            ),
        )


def status_badge(label, kind):
    return format_html('<span class="state-badge state-{}">{}</span>', kind, label)
