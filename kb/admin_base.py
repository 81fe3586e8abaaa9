"""What every content admin shares: language tabs, live Markdown previews, translation status columns and
filters. The tabs and previews are ``static/authoring/admin.js`` (no CDN, no inline script)."""

from django.contrib import admin
from django.urls import reverse_lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from kb import languages
from kb.translation_status import CURRENT, MISSING, OUTDATED, STATUS_LABELS, missing_q, outdated_q

PREVIEW_URL = reverse_lazy("kb:markdown-preview")


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


class AuthoringAdmin(TranslationAdmin):
    """Translated content: tabs per language, previews for ``markdown_fields``, translation status."""

    markdown_fields = ()

    class Media:
        css = {"all": ("authoring/admin.css",)}
        js = ("authoring/admin.js",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        for name in self.markdown_fields:
            for code in languages.codes():
                if field is not None and db_field.name == languages.localized(name, code):
                    field.widget.attrs.update(
                        {"data-markdown-preview": code, "data-preview-url": str(PREVIEW_URL), "rows": 18}
                    )
        return field

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if hasattr(self.model, "translation_status"):
            filters += [translation_status_filter(code) for code in languages.codes()]
        return filters

    @admin.display(description=_("translations"))
    def translation_state(self, obj):
        return format_html_join(
            " ",
            '<span class="translation-badge translation-{}" title="{}">{}</span>',
            (
                (status, STATUS_LABELS[status], f"{languages.bcp47(code)}: {STATUS_LABELS[status]}")
                for code, status in obj.translation_statuses()
            ),
        )

    @admin.display(description=_("on the site"))
    def view_links(self, obj):
        if not hasattr(obj, "get_absolute_url"):
            return ""
        from django.utils import translation

        links = []
        for code, name in languages.codes_and_names():
            with translation.override(code):
                links.append((obj.get_absolute_url(), name))
        return format_html_join(" · ", '<a href="{}" target="_blank" rel="noopener">{}</a>', links)


def status_badge(label, kind):
    return format_html('<span class="state-badge state-{}">{}</span>', kind, label)
