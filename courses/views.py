from datetime import timedelta
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import estimates, progress, services
from courses.forms import CatalogueFilterForm
from courses.models import Certificate, Course, Enrollment, Lesson, LessonArticle, LessonProgress
from kb import languages, sections
from kb.models import Article


def _course_for(request, slug):
    courses = Course.objects.visible_to(request.user).select_related("topic")
    return get_object_or_404(courses.with_lesson_counts().with_progress(request.user), slug=slug)


def _lesson_for(request, course_slug, slug, lessons=Lesson.objects):
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=course_slug)
    return get_object_or_404(lessons.select_related("course"), course=course, slug=slug)


def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.warning(request, _("That filter is not available, so all courses are shown."))
    courses = form.filter(
        Course.objects.published()
        .select_related("topic")
        .with_lesson_counts()
        .with_minutes(languages.current())
        .with_progress(request.user)
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
    lessons = list(course.lessons.with_extra_minutes().prefetch_related(readings, articles).order_by("order", "pk"))
    for lesson in lessons:
        lesson.course = course
    course.minutes = estimates.syllabus_minutes(lessons, languages.current())
    completed = LessonProgress.objects.lesson_ids(request.user, course)
    next_lesson = next((lesson for lesson in lessons if lesson.pk not in completed), None)
    context = {"course": course, "lessons": lessons, "completed": completed, "next_lesson": next_lesson}
    if getattr(course, "is_enrolled", False):
        context |= _completion(request.user, course, lessons, completed)
    return render(request, "courses/course_detail.html", context)


def _completion(user, course, lessons=None, done=None):
    """For an enrolled learner: whether the course is complete, its certificate, and what is left to do."""
    enrollment = Enrollment.objects.get(user=user, course=course)
    left = [] if enrollment.completed_at else progress.left_to_do(user, course, lessons, done)
    return {
        "completed_at": enrollment.completed_at,
        "certificate": Certificate.objects.valid().filter(user=user, course=course).first(),
        "left": left,
        "lessons_left": sum(requirement.kind == "lesson" for requirement in left),
        "other_left": [requirement for requirement in left if requirement.kind != "lesson"],
    }


def lesson_detail(request, course_slug, slug):
    lesson = _lesson_for(request, course_slug, slug, Lesson.objects.with_extra_minutes())
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
    language = languages.current()
    lesson.minutes = lesson.extra_minutes + sum(
        estimates.article_minutes(reading.article, language) for reading in readings if not reading.seen_before
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


def lesson_side_by_side(request, course_slug, slug):
    """The lesson's introduction and readings in both languages, section beside section."""
    lesson = _lesson_for(request, course_slug, slug)
    first_language = languages.current()
    second_language = languages.others(first_language)[0]

    def text(language):
        with translation.override(language):
            return SimpleNamespace(title=lesson.title, body_html=lesson.intro_html)

    def introduction(language):
        return SimpleNamespace(title="", body_html=text(language).body_html)

    readings = list(_readings_for(request.user).filter(lesson=lesson).select_related("article").order_by("order", "pk"))
    parts = []
    if lesson.intro_html:
        parts.append(sections.part(introduction(first_language), introduction(second_language)))
    for reading in readings:
        first, second = reading.article.version(first_language), reading.article.version(second_language)
        if not (first.is_fallback or second.is_fallback):
            parts.append(sections.part(first, second, prefix=reading.article.slug if len(readings) > 1 else ""))
    context = {
        "course": lesson.course,
        "lesson": lesson,
        "parts": parts,
        "first": SimpleNamespace(language=first_language, lang_attr=languages.bcp47(first_language)),
        "second": SimpleNamespace(language=second_language, lang_attr=languages.bcp47(second_language)),
        "second_title": text(second_language).title,
    }
    return render(request, "courses/lesson_side_by_side.html", context)


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


@require_POST
def leave(request, slug):
    course = get_object_or_404(Course.objects.all(), slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(course.get_absolute_url())
    if services.course_leave(user=request.user, course=course):
        messages.success(request, _("You left the course. The lessons you finished are kept if you come back."))
    return redirect("learning:dashboard")


@require_POST
def lesson_complete(request, course_slug, slug):
    lesson = _lesson_for(request, course_slug, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(lesson.get_absolute_url())
    if services.lesson_mark_complete(user=request.user, lesson=lesson):
        messages.success(request, _("Lesson marked as complete."))
    else:
        messages.info(request, _("This lesson was already marked as complete."))
    _say_what_is_left(request, lesson.course)
    return redirect(lesson)


def _say_what_is_left(request, course):
    """After the last lesson: the course is complete (and has a certificate), or this is what it still needs."""
    status = _completion(request.user, course)
    if status["completed_at"]:
        if status["certificate"] and status["certificate"].issued_at >= timezone.now() - timedelta(minutes=1):
            messages.success(request, _("You completed the course. Your certificate is ready to share."))
        return
    left = status["left"]
    if left and all(requirement.kind != "lesson" for requirement in left):
        items = "; ".join(f"{requirement.title} ({requirement.detail})" for requirement in left)
        messages.warning(
            request,
            _("Every lesson is done. To complete the course, you still need: %(items)s. The course page links them.")
            % {"items": items},
        )


@require_POST
def lesson_incomplete(request, course_slug, slug):
    lesson = _lesson_for(request, course_slug, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(lesson.get_absolute_url())
    if services.lesson_mark_incomplete(user=request.user, lesson=lesson):
        messages.success(request, _("Lesson marked as not complete."))
    else:
        messages.info(request, _("This lesson was not marked as complete."))
    return redirect(lesson)


def certificate_detail(request, code):
    """A certificate, for anyone with its link, in either language; a revoked one is gone (404)."""
    certificate = get_object_or_404(Certificate.objects.valid().select_related("course"), code=code)
    language = languages.current()
    items = [
        {**item, "title": item["title"].get(language) or item["title"].get("en", "")}
        for item in certificate.record["items"]
    ]
    context = {
        "certificate": certificate,
        "course_title": certificate.text("course", language),
        "lessons": [item for item in items if item["kind"] == "lesson"],
        "results": [item for item in items if item["kind"] != "lesson"],
        "url": request.build_absolute_uri(certificate.get_absolute_url()),
        "is_owner": request.user.is_authenticated and request.user.pk == certificate.user_id,
    }
    return render(request, "courses/certificate.html", context)


@login_required
@require_POST
def certificate_revoke(request, code):
    certificate = get_object_or_404(Certificate, code=code, user=request.user)
    services.certificate_revoke(certificate=certificate)
    messages.success(request, _("The certificate is revoked: its link no longer opens it."))
    return redirect("learning:dashboard")


@login_required
@require_POST
def certificate_issue(request, slug):
    """A new link for a completed course whose certificate was revoked."""
    course = get_object_or_404(Course.objects.published(), slug=slug)
    certificate = services.certificate_reissue(user=request.user, course=course)
    if certificate is None:
        messages.error(request, _("This course is not complete yet, so there is no certificate to issue."))
        return redirect(course)
    return redirect(certificate)
