"""Reading a learner's answers from a POST, against the attempt's snapshot (not the live questions)."""

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


def field_name(question):
    return f"q-{question['key']}"


def parse_answers(data, frozen):
    """Check every submitted value: a choice must belong to its question, text must be sane.

    Unanswered questions are listed in ``missing``; it is up to the caller whether that is allowed
    (saving a draft) or not (submitting).
    """
    parsed = ParsedAnswers()
    for question in frozen["questions"]:
        key = question["key"]
        name = field_name(question)
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
        valid_ids = {choice["id"] for choice in question["choices"]}
        try:
            chosen = [int(value) for value in raw]
        except (TypeError, ValueError):
            chosen = None
        if chosen is None or not set(chosen) <= valid_ids:
            parsed.errors[key] = _("That choice does not belong to this question.")
        elif question["type"] != "multiple" and len(chosen) != 1:
            parsed.errors[key] = _("Pick exactly one answer.")
        else:
            parsed.answers[key] = {"choice_ids": sorted(set(chosen)), "text": ""}
    return parsed
