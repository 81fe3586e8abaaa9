import csv
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from authoring import analytics
from authoring.diff import line_diff
from courses.models import Course, Enrollment, Lesson
from kb import languages
from kb.markup import MarkupError, render_markdown
from kb.models import Article, ArticleRevision
from kb.permissions import can_author
from kb.translations import MISSING, OUTDATED, missing_q, outdated_q
from quizzes.models import Quiz
from search import index


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
    index.update(article)
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
def course_analytics(request, slug):
    course = get_object_or_404(Course, slug=slug)
    lessons = list(course.lessons.order_by("order", "pk"))
    quizzes = list(Quiz.objects.filter(lesson__course=course).prefetch_related("questions").order_by("lesson__order"))
    enrolled = Enrollment.objects.filter(course=course).count()
    weeks = analytics.enrolments_by_week(course)
    peak = max([count for _week, count in weeks] + [1])
    bars = [round(60 * count / peak) for _week, count in weeks]
    context = {
        "course": course,
        "enrolled": enrolled,
        "completed": Enrollment.objects.filter(course=course, completed_at__isnull=False).count(),
        "weeks": [
            {"monday": monday, "count": count, "x": 24 * index + 3, "y": 70 - bar, "height": bar}
            for index, ((monday, count), bar) in enumerate(zip(weeks, bars, strict=True))
        ],
        "chart_width": 24 * len(weeks),
        "funnel": [
            {"lesson": lesson, "done": done, "percent": round(100 * done / enrolled) if enrolled else 0}
            for lesson, done in analytics.funnel(course, lessons)
        ],
        "quizzes": analytics.quiz_figures(quizzes),
        "hardest": analytics.hardest_questions(quizzes),
    }
    return render(request, "authoring/course_analytics.html", context)


@_authors_only
def course_progress_csv(request, slug):
    """Each enrolled learner's progress in a course, for a spreadsheet: no email or other contact data."""
    course = get_object_or_404(Course, slug=slug)
    lessons = list(course.lessons.order_by("order", "pk"))
    quizzes = list(Quiz.objects.filter(lesson__course=course).order_by("lesson__order"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{course.slug}-progress.csv"'
    response.write("\ufeff")  # a byte-order mark, so that spreadsheets read the Chinese titles as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Username"),
            _("Name"),
            _("Enrolled on"),
            _("Lessons done"),
            *(quiz.title for quiz in quizzes),
            _("Completed on"),
        ]
    )
    for row in analytics.progress_rows(course, lessons, quizzes):
        writer.writerow(
            [
                _spreadsheet_safe(row["username"]),
                _spreadsheet_safe(row["name"]),
                row["enrolled_at"].date().isoformat(),
                f"{row['lessons_done']}/{len(lessons)}",
                *("" if best is None else best for best in row["best"]),
                row["completed_at"].date().isoformat() if row["completed_at"] else "",
            ]
        )
    return response


def _spreadsheet_safe(text):
    """A learner's own text, which a spreadsheet must not read as a formula (=, +, - or @ first)."""
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


@_authors_only
def translations(request):
    """Everything that needs translating or re-translating, with links to edit it."""
    sections = [
        _needs_translation(Article, "kb_article", _("Articles")),
        _needs_translation(Course, "courses_course", _("Courses")),
        _needs_translation(Lesson, "courses_lesson", _("Lessons")),
        _needs_translation(Quiz, "quizzes_quiz", _("Quizzes")),
    ]
    return render(request, "authoring/translations.html", {"sections": sections})
