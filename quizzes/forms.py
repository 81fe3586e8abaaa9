"""Reading a learner's answers from a POST, against the attempt's snapshot (not the live questions).

The form says nothing about which answer is right: a question's field is named after its position in the
attempt (``q3``) and a choice's value is its position in the attempt's own (shuffled) order, so neither a
database id nor an authored key ever reaches the page."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_ANSWER_LENGTH = 500


@dataclass
class ParsedAnswers:
    answers: dict = field(default_factory=dict)  # question key -> {"choice_ids": [...], "text": "..."}
    errors: dict = field(default_factory=dict)  # question key -> message
    missing: list = field(default_factory=list)  # keys of questions without an answer

    @property
    def is_valid(self):
        return not self.errors


def field_name(number):
    """The form field of the attempt's question ``number`` (counted from 1, in the attempt's order)."""
    return f"q{number}"


def choice_value(position):
    """What a choice's radio button or checkbox posts: its place in the attempt's order, from 1."""
    return str(position)


def parse_answers(data, frozen):
    """Check every submitted value: a choice must belong to its question, text must be sane.

    Unanswered questions are listed in ``missing``; it is up to the caller whether that is allowed
    (saving a draft) or not (submitting).
    """
    parsed = ParsedAnswers()
    for number, question in enumerate(frozen["questions"], start=1):
        key = question["key"]
        name = field_name(number)
        if question["type"] == "short":
            text = data.get(name, "")
            if "\x00" in text:
                parsed.errors[key] = _("The answer contains a character that is not allowed.")
            elif len(text) > MAX_ANSWER_LENGTH:
                parsed.errors[key] = _("Answers can be at most %(limit)s characters long.") % {
                    "limit": MAX_ANSWER_LENGTH
                }
            elif text.strip():
                parsed.answers[key] = {"choice_ids": [], "text": text.strip()}
            else:
                parsed.missing.append(key)
            continue
        raw = data.getlist(name)
        if not raw:
            parsed.missing.append(key)
            continue
        by_value = {choice_value(position): choice["id"] for position, choice in enumerate(question["choices"], 1)}
        chosen = [by_value.get(value) for value in raw]
        if None in chosen:
            parsed.errors[key] = _("That choice does not belong to this question.")
        elif question["type"] != "multiple" and len(chosen) != 1:
            parsed.errors[key] = _("Pick exactly one answer.")
        else:
            parsed.answers[key] = {"choice_ids": sorted(set(chosen)), "text": ""}
    return parsed
