"""Translation status: for every translatable item and language, is the text missing, up to date, or out of
date (the other language was edited after this one)?

Models with long translated text inherit ``TranslatedContent``: it stamps each language's ``edited_at`` when
that language's text changes, and answers ``translation_status(language)``. The same rules are available
as database filters (``missing_q``, ``outdated_q``) for the admin's filters and the translation dashboard.
"""

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Case, F, Func, IntegerField, Q, When
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb import languages

MISSING, OUTDATED, CURRENT = "missing", "outdated", "current"
STATUS_LABELS = {MISSING: _("missing"), OUTDATED: _("may be out of date"), CURRENT: _("up to date")}


class TranslatedContent(models.Model):
    # Fields whose text is written per language, and those that must be filled for a translation to exist.
    TRANSLATED_TEXT = ()
    REQUIRED_TEXT = ()

    # When this language's text was last edited (a translated field: edited_at_en, edited_at_zh_hant). Set
    # by save() and by imports, never in a form: a form would post it back rounded to its widget's precision
    # (a minute in some locales) and hide the edit it should record.
    edited_at = models.DateTimeField(_("text edited at"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.normalize_newlines()
        self.stamp_edits()
        super().save(*args, **kwargs)
        self._loaded_text = self._text_snapshot()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_text = instance._text_snapshot()
        instance._deferred_text = instance.get_deferred_fields()
        return instance

    def _text_snapshot(self):
        # Read the loaded values only (``__dict__``): a deferred field must not be fetched while loading.
        values = self.__dict__
        return {
            language: (
                tuple(values.get(languages.localized(name, language)) or "" for name in self.TRANSLATED_TEXT),
                values.get(languages.localized("edited_at", language)),
            )
            for language in languages.codes()
        }

    def stamp_edits(self, now=None):
        """Stamp every language whose text changed, unless the caller set its time itself (imports do)."""
        now = now or timezone.now()
        loaded = getattr(self, "_loaded_text", {})
        deferred = getattr(self, "_deferred_text", set())
        for language in languages.codes():
            if any(languages.localized(name, language) in deferred for name in self.TRANSLATED_TEXT):
                continue  # loaded without its text: nothing to compare with
            text_before, edited_before = loaded.get(language, ((), None))
            text_now = tuple(getattr(self, languages.localized(name, language)) or "" for name in self.TRANSLATED_TEXT)
            field = languages.localized("edited_at", language)
            if text_now != text_before and any(text_now) and getattr(self, field) == edited_before:
                setattr(self, field, now)

    def normalize_newlines(self):
        """Browsers send textareas with CRLF line ends; the text is stored (and exported) with LF."""
        for name in self.TRANSLATED_TEXT:
            for language in languages.codes():
                field = languages.localized(name, language)
                value = getattr(self, field)
                if isinstance(value, str) and "\r" in value:
                    setattr(self, field, value.replace("\r\n", "\n").replace("\r", "\n"))

    def in_every_language(self, name):
        """``{"en": ..., "zh-hant": ...}`` of a translated field, each language falling back to English."""
        english = getattr(self, languages.localized(name, "en")) or ""
        return {code: getattr(self, languages.localized(name, code)) or english for code in languages.codes()}

    def has_text(self, language):
        return all(self._filled(languages.localized(name, language)) for name in self.REQUIRED_TEXT)

    @property
    def has_every_translation(self):
        return all(self.has_text(language) for language in languages.codes())

    def _filled(self, field):
        """Whether ``field`` holds text, without loading it when a query left it out but said (see
        ``filled_annotations``)."""
        if field not in self.__dict__ and f"{field}_filled" in self.__dict__:
            return self.__dict__[f"{field}_filled"]
        return bool(getattr(self, field))

    def translation_status(self, language):
        if not self.has_text(language):
            return MISSING
        edited = getattr(self, languages.localized("edited_at", language))
        for other in languages.others(language):
            other_edit = getattr(self, languages.localized("edited_at", other))
            if self.has_text(other) and edited and other_edit and other_edit > edited:
                return OUTDATED
        return CURRENT

    def translation_statuses(self):
        """``[(language, status), ...]`` for every language."""
        return [(language, self.translation_status(language)) for language in languages.codes()]


class OctetLength(Func):
    """The size of a text in bytes, which PostgreSQL knows without reading (or decompressing) a long value."""

    function = "OCTET_LENGTH"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="LENGTH(CAST(%(expressions)s AS BLOB))", **extra)


def filled_annotations(model):
    """``{"body_en_filled": ..., ...}``: for a query that defers the long required fields but must still tell
    which languages have text."""
    return {
        f"{field}_filled": Case(When(GreaterThan(OctetLength(field), 0), then=True), default=False)
        for field in (languages.localized(name, code) for name in model.REQUIRED_TEXT for code in languages.codes())
    }


def missing_q(model, language):
    """Rows whose ``language`` text is missing."""
    return reduce(or_, (Q(**{languages.localized(name, language): ""}) for name in model.REQUIRED_TEXT)) | reduce(
        or_, (Q(**{f"{languages.localized(name, language)}__isnull": True}) for name in model.REQUIRED_TEXT)
    )


def outdated_q(model, language):
    """Rows whose ``language`` text exists but another language was edited after it."""
    edited = languages.localized("edited_at", language)
    newer = reduce(
        or_,
        (Q(**{f"{languages.localized('edited_at', other)}__gt": F(edited)}) for other in languages.others(language)),
    )
    return newer & ~missing_q(model, language)


def needs_translation_q(model):
    """Rows with a language missing or possibly out of date: what the translation dashboard lists."""
    return reduce(or_, (missing_q(model, code) | outdated_q(model, code) for code in languages.codes()))
