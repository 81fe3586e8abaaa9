"""What quizzes need of the articles they cite, checked when an article is edited (registered in
QuizzesConfig.article_edit_warnings and shown by the article admin)."""

from django.utils.translation import gettext as _

from kb import languages


def sections_lost(article):
    """Questions cite sections by heading id: one message for each citation this edit left without its section."""
    warnings = []
    for question in article.cited_by.select_related("quiz"):
        for code in languages.codes():
            anchor = getattr(question, languages.localized("source_anchor", code))
            ids = [entry["id"] for entry in getattr(article, languages.localized("toc", code)) or []]
            if anchor and article.has_text(code) and anchor not in ids:
                warnings.append(
                    _(
                        "Question “%(question)s” of the quiz “%(quiz)s” cites section #%(anchor)s (%(language)s), "
                        "which this article no longer has. Update the question's source section."
                    )
                    % {"question": question.key, "quiz": question.quiz, "anchor": anchor, "language": code}
                )
    return warnings
