from django import forms
from django.utils.translation import gettext_lazy as _

from kb.models import Topic
from search import documents
from search.query import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, strip=True)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=lambda: [("", _("Everything")), *documents.choices()], required=False
    )

    def clean_q(self):
        # Long pastes and stray control characters are trimmed, not refused: the search still runs.
        text = self.cleaned_data["q"].replace("\x00", " ")
        return " ".join(text.split())[:MAX_QUERY_LENGTH]

    def clean(self):
        cleaned = super().clean()
        # An unknown filter value is ignored rather than refused, so a shared link never breaks.
        for name in ("topic", "kind"):
            if name in self.errors:
                del self.errors[name]
                cleaned[name] = None if name == "topic" else ""
        return cleaned


class GlossaryFilterForm(forms.Form):
    q = forms.CharField(label=_("Find a term"), required=False, strip=True)
    topic = forms.ModelChoiceField(
        label=_("Filter by topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].replace("\x00", " ").split())[:MAX_QUERY_LENGTH]

    def clean(self):
        cleaned = super().clean()
        # An unknown topic is ignored rather than refused, so a shared link never breaks.
        if "topic" in self.errors:
            del self.errors["topic"]
            cleaned["topic"] = None
        return cleaned

    @property
    def filters(self):
        """True when the form asks for a subset of the glossary."""
        return self.is_valid() and bool(self.cleaned_data["q"] or self.cleaned_data["topic"])
