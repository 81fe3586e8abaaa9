"""What the index stores for a page: analysed text of both languages, field by field."""

import html
import re
from dataclasses import dataclass

from kb import glossary_marks, languages
from search.analysis import analyse

TAG = re.compile(r"<[^>]+>")


def plain_text(rendered_html):
    """Stored HTML as text (for indexing and snippets), single-spaced. (str.split() knows the same whitespace as
    the regular expression \\s, and joining its words costs a fifth of substituting every space.)"""
    return " ".join(html.unescape(TAG.sub(" ", glossary_marks.unmark(rendered_html))).split())


def _both(instance, name):
    return [getattr(instance, languages.localized(name, code)) or "" for code in languages.codes()]


@dataclass
class Document:
    kind: str
    object_id: int
    topic_id: int
    published_at: object
    fields: dict  # field -> analysed text (title, summary, tags, body)
    english: dict  # field -> the English original, for PostgreSQL's English stemming

    def model_fields(self):
        return {
            "topic_id": self.topic_id,
            "published_at": self.published_at,
            "title_terms": self.fields["title"],
            "summary_terms": self.fields["summary"],
        }


def _document(kind, object_id, topic, published_at, texts):
    return Document(
        kind=kind,
        object_id=object_id,
        topic_id=topic.pk,
        published_at=published_at,
        fields={name: analyse("\n".join(values)) for name, values in texts.items()},
        english={name: values[0] for name, values in texts.items()},
    )


def article_document(article):
    tags = list(article.tags.all())
    texts = {
        "title": _both(article, "title"),
        "summary": _both(article, "summary"),
        "tags": [
            " ".join(getattr(item, languages.localized("name", code)) or "" for item in [*tags, article.topic])
            for code in languages.codes()
        ],
        "body": [plain_text(html_text) for html_text in _both(article, "body_html")],
    }
    return _document("article", article.pk, article.topic, article.published_at, texts)


def course_document(course):
    lessons = list(course.lessons.all())
    texts = {
        "title": _both(course, "title"),
        "summary": _both(course, "summary"),
        "tags": _both(course.topic, "name"),
        "body": [
            " ".join(
                [
                    plain_text(getattr(course, languages.localized("description_html", code))),
                    *(getattr(lesson, languages.localized("title", code)) or "" for lesson in lessons),
                    *(plain_text(getattr(lesson, languages.localized("intro_html", code))) for lesson in lessons),
                ]
            )
            for code in languages.codes()
        ],
    }
    return _document("course", course.pk, course.topic, course.updated_at, texts)
