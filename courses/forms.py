from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from kb.models import Topic


class CatalogueFilterForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
        error_messages={"invalid_choice": _("There is no such topic.")},
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("All levels")), *Course.Level.choices],
        required=False,
        error_messages={"invalid_choice": _("There is no such level.")},
    )

    def filter(self, courses):
        if self.is_bound and self.is_valid():
            if self.cleaned_data["topic"]:
                courses = courses.filter(topic=self.cleaned_data["topic"])
            if self.cleaned_data["level"]:
                courses = courses.filter(level=self.cleaned_data["level"])
        return courses
