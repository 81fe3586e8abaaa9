from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import DateTimeField, Exists, IntegerField, Max, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import services
from courses.forms import CatalogueFilterForm
from courses.models import Course, Lesson, LessonArticle, LessonProgress
from kb.models import Article


def _course_for(request, slug):
    courses = Course.objects.visible_to(request.user).select_related("topic")
    return get_object_or_404(courses.with_lesson_counts().with_progress(request.user), slug=slug)


def _lesson_for(request, course_slug, slug):
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=course_slug)
    return get_object_or_404(Lesson.objects.select_related("course"), course=course, slug=slug)


def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.warning(request, _("That filter is not available, so all courses are shown."))
    courses = form.filter(
        Course.objects.published().select_related("topic").with_lesson_counts().with_progress(request.user)
    )
    return render(request, "courses/catalogue.html", {"form": form, "courses": courses})


def _readings_for(user):
    """A lesson's readings that ``user`` may see: a draft or scheduled article stays out of every lesson."""
    return LessonArticle.objects.filter(article__in=Article.objects.visible_to(user))


def course_detail(request, slug):
    course = _course_for(request, slug)
    # The syllabus shows each article's title and reading time, not its body.
    readings = Prefetch("lesson_articles", queryset=_readings_for(request.user))
    articles = Prefetch("lesson_articles__article", queryset=Article.objects.without_bodies())
    lessons = list(course.lessons.prefetch_related(readings, articles).order_by("order", "pk"))
    completed = LessonProgress.objects.lesson_ids(request.user, course)
    next_lesson = next((lesson for lesson in lessons if lesson.pk not in completed), None)
    return render(
        request,
        "courses/course_detail.html",
        {"course": course, "lessons": lessons, "completed": completed, "next_lesson": next_lesson},
    )


def lesson_detail(request, course_slug, slug):
    lesson = _lesson_for(request, course_slug, slug)
    course = lesson.course
    outline = list(course.lessons.order_by("order", "pk"))
    position = next(i for i, item in enumerate(outline) if item.pk == lesson.pk)
    readings = list(
        _readings_for(request.user)
        .filter(lesson=lesson)
        .select_related("article__topic")
        .annotate(
            seen_before=Exists(
                LessonArticle.objects.filter(
                    lesson__course=course, lesson__order__lt=lesson.order, article=OuterRef("article")
                )
            )
        )
        .order_by("order", "pk")
    )
    completed = LessonProgress.objects.lesson_ids(request.user, course)
    quizzes = list(lesson.quizzes.published())
    return render(
        request,
        "courses/lesson_detail.html",
        {
            "course": course,
            "lesson": lesson,
            "outline": outline,
            "position": position + 1,
            "previous": outline[position - 1] if position > 0 else None,
            "following": outline[position + 1] if position + 1 < len(outline) else None,
            "readings": readings,
            "completed": completed,
            "is_complete": lesson.pk in completed,
            "quizzes": quizzes,
        },
    )


@require_POST
def enrol(request, slug):
    course = get_object_or_404(Course.objects.published(), slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(course.get_absolute_url())
    if services.course_enrol(user=request.user, course=course):
        messages.success(request, _("You are enrolled. Start with the first lesson whenever you are ready."))
    else:
        messages.info(request, _("You are already enrolled in this course."))
    return redirect(course)


def _mark_lesson(request, course_slug, slug, *, mark, changed_message, unchanged_message):
    lesson = _lesson_for(request, course_slug, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(lesson.get_absolute_url())
    if mark(user=request.user, lesson=lesson):
        messages.success(request, changed_message)
    else:
        messages.info(request, unchanged_message)
    return redirect(lesson)


@require_POST
def lesson_complete(request, course_slug, slug):
    return _mark_lesson(
        request,
        course_slug,
        slug,
        mark=services.lesson_mark_complete,
        changed_message=_("Lesson marked as complete."),
        unchanged_message=_("This lesson was already marked as complete."),
    )


@require_POST
def lesson_incomplete(request, course_slug, slug):
    return _mark_lesson(
        request,
        course_slug,
        slug,
        mark=services.lesson_mark_incomplete,
        changed_message=_("Lesson marked as not complete."),
        unchanged_message=_("This lesson was not marked as complete."),
    )


@login_required
def dashboard(request):
    user = request.user
    not_done = Lesson.objects.filter(course=OuterRef("pk")).exclude(progress__user=user).order_by("order", "pk")
    last_done = LessonProgress.objects.filter(user=user, lesson__course=OuterRef("pk"))
    courses = list(
        Course.objects.visible_to(user)
        .filter(enrollments__user=user)
        .select_related("topic")
        .with_lesson_counts()
        .with_progress(user)
        .annotate(
            enrolled_at=Max("enrollments__enrolled_at"),
            next_lesson_id=Subquery(not_done.values("pk")[:1], output_field=IntegerField()),
            last_completed_at=Subquery(
                last_done.order_by("-completed_at").values("completed_at")[:1], output_field=DateTimeField()
            ),
        )
        .annotate(last_activity=Greatest("enrolled_at", Coalesce("last_completed_at", "enrolled_at")))
        .order_by("-last_activity", "order")
    )
    next_lessons = Lesson.objects.in_bulk([c.next_lesson_id for c in courses if c.next_lesson_id])
    for course in courses:
        course.next_lesson = next_lessons.get(course.next_lesson_id)
        if course.next_lesson:
            course.next_lesson.course = course
    resume = next((course for course in courses if course.next_lesson), None)
    recent = LessonProgress.objects.filter(user=user, lesson__course__in=Course.objects.visible_to(user))
    recent = recent.select_related("lesson__course")[:5]
    return render(request, "courses/dashboard.html", {"courses": courses, "resume": resume, "recent": recent})
