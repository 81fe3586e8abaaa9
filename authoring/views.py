from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from authoring.diff import line_diff
from kb import languages
from kb.markup import MarkupError, render_markdown
from kb.models import Article, ArticleRevision
from kb.permissions import can_author
from kb.translations import MISSING, OUTDATED, missing_q, outdated_q


def _authors_only(view):
    """Authors get the view; anyone else signed in gets 403; anonymous visitors are sent to log in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_author(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_POST
@_authors_only
def preview(request):
    """Markdown rendered exactly as the public page renders it (same renderer, same sanitizer)."""
    text = request.POST.get("text", "")
    language = request.POST.get("language", "en")
    if language not in languages.codes():
        return JsonResponse({"error": _("Unknown language.")}, status=400)
    if "\x00" in text:
        return JsonResponse({"error": _("This text contains a NUL character.")}, status=400)
    try:
        rendered = render_markdown(text, language=language)
    except MarkupError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"html": rendered.html})


@_authors_only
def article_history(request, slug):
    article = get_object_or_404(Article, slug=slug)
    revisions = list(article.revisions.select_related("author"))
    numbers = [revision.number for revision in revisions]
    try:
        newer = int(request.GET.get("b", numbers[0] if numbers else 0))
        older = int(request.GET.get("a", numbers[1] if len(numbers) > 1 else newer))
    except ValueError:
        messages.error(request, _("Choose two revisions from the list to compare."))
        newer = older = numbers[0] if numbers else 0
    by_number = {revision.number: revision for revision in revisions}
    comparison = []
    if older in by_number and newer in by_number:
        for name in Article.TRANSLATED_TEXT:
            for code in languages.codes():
                lines = line_diff(by_number[older].text(name, code), by_number[newer].text(name, code))
                if lines:
                    comparison.append({"field": name, "language": code, "lines": lines})
    elif numbers:
        messages.error(request, _("There is no such revision; showing the latest two."))
    return render(
        request,
        "authoring/article_history.html",
        {
            "article": article,
            "revisions": revisions,
            "older": by_number.get(older),
            "newer": by_number.get(newer),
            "comparison": comparison,
        },
    )


@require_POST
@_authors_only
def article_restore(request, slug, number):
    article = get_object_or_404(Article, slug=slug)
    revision = get_object_or_404(ArticleRevision, article=article, number=number)
    for name in Article.TRANSLATED_TEXT:
        for code in languages.codes():
            setattr(article, languages.localized(name, code), revision.text(name, code))
    article.save(editor=request.user, event=ArticleRevision.Event.RESTORED, restored_from=number)
    messages.success(
        request,
        _("Revision %(number)s is restored as revision %(new)s.") % {"number": number, "new": article.revision},
    )
    return redirect(reverse("authoring:article-history", kwargs={"slug": article.slug}))


def _needs_translation(model, admin_name, label):
    from django.db.models import Q

    rows = []
    conditions = Q()
    for code in languages.codes():
        conditions |= missing_q(model, code)
        if hasattr(model, "edited_at"):
            conditions |= outdated_q(model, code)
    for item in model.objects.filter(conditions).order_by("pk")[:200]:
        problems = [(code, status) for code, status in item.translation_statuses() if status in {MISSING, OUTDATED}]
        rows.append(
            {
                "item": item,
                "problems": problems,
                "edit_url": reverse(f"admin:{admin_name}_change", args=[item.pk]),
            }
        )
    return {"label": label, "rows": rows}


@_authors_only
def translations(request):
    """Everything that needs translating or re-translating, with links to edit it."""
    from courses.models import Course, Lesson
    from quizzes.models import Quiz

    sections = [
        _needs_translation(Article, "kb_article", _("Articles")),
        _needs_translation(Course, "courses_course", _("Courses")),
        _needs_translation(Lesson, "courses_lesson", _("Lessons")),
        _needs_translation(Quiz, "quizzes_quiz", _("Quizzes")),
    ]
    return render(request, "authoring/translations.html", {"sections": sections})
