import csv

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from authoring import analytics, translations_to_do
from courses.models import Course, Enrollment
from kb.permissions import authors_only
from kb.translation_status import MISSING, OUTDATED
from quizzes.models import Quiz


def _needs_translation(model, admin_name, label):
    rows = []
    for item in translations_to_do.needing_translation(model).order_by("pk")[:200]:
        problems = [(code, status) for code, status in item.translation_statuses() if status in {MISSING, OUTDATED}]
        rows.append(
            {
                "item": item,
                "problems": problems,
                "edit_url": reverse(f"admin:{admin_name}_change", args=[item.pk]),
            }
        )
    return {"label": label, "rows": rows}


@authors_only
def analytics_index(request):
    """Every course, drafts included, with its enrolment figures and links to its analytics."""
    courses = Course.objects.annotate(
        enrolled=Count("enrollments"),
        completed=Count("enrollments", filter=Q(enrollments__completed_at__isnull=False)),
    ).order_by("order", "slug")
    return render(request, "authoring/analytics_index.html", {"courses": courses})


@authors_only
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


@authors_only
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


@authors_only
def translations(request):
    """Everything that needs translating or re-translating, with links to edit it."""
    sections = [_needs_translation(*section) for section in translations_to_do.SECTIONS]
    return render(request, "authoring/translations.html", {"sections": sections})
