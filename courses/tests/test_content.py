import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from courses.models import Course, Lesson, LessonProgress
from courses.services import lesson_mark_complete

pytestmark = pytest.mark.django_db

COURSE = "courses/operating-kubernetes.yaml"


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot():
    return (
        sorted(Course.objects.values_list("slug", "title_en", "title_zh_hant", "level", "status", "order")),
        sorted(Lesson.objects.values_list("course__slug", "slug", "order", "title_en", "intro_en")),
        sorted(Lesson.articles.through.objects.values_list("lesson__slug", "article__slug", "order")),
    )


@pytest.fixture
def folder(tmp_path, content_dir):
    target = tmp_path / "content"
    shutil.copytree(content_dir, target)
    run("import_content", str(target))
    return target


def edit(folder, change, relative=COURSE):
    path = folder / relative
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_import_reports_courses_and_lessons(content_dir):
    lessons = sum(path.read_text(encoding="utf-8").count("\n- slug: ") for path in (content_dir / "courses").iterdir())
    output = run("import_content", str(content_dir))
    assert f"4 courses, {lessons} lessons" in output
    assert run("import_content", str(content_dir)).startswith("Nothing changed")


def test_lessons_follow_the_file_order_and_removed_lessons_go(folder, learner):
    course = Course.objects.get(slug="operating-kubernetes")
    _first, *kept = course.lessons.order_by("order")
    lesson_mark_complete(user=learner, lesson=kept[-1])

    def drop_first_lesson(text):
        head, lessons = text.split("lessons:\n", 1)
        entries = lessons.split("\n- slug: ")
        return head + "lessons:\n" + "- slug: " + "\n- slug: ".join(entries[1:])

    edit(folder, drop_first_lesson)
    output = run("import_content", str(folder))
    assert "Deleted: 0 topics, 0 tags, 0 articles, 0 images, 0 glossary terms, 0 courses, 1 lessons" in output
    assert list(course.lessons.order_by("order").values_list("slug", flat=True)) == [lesson.slug for lesson in kept]
    assert LessonProgress.objects.filter(user=learner, lesson=kept[-1]).exists()


def test_changing_a_lessons_articles_updates_it(folder):
    edit(
        folder, lambda t: t.replace("articles: [kubeadm-upgrades]", "articles: [kubeadm-upgrades, kubernetes-logging]")
    )
    output = run("import_content", str(folder))
    assert "1 lessons" in output.splitlines()[1]  # the "Updated:" line
    lesson = Lesson.objects.get(course__slug="operating-kubernetes", articles__slug="kubernetes-logging", order__lt=5)
    assert list(lesson.lesson_articles.values_list("article__slug", flat=True)) == [
        "kubeadm-upgrades",
        "kubernetes-logging",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("level: intermediate", "level: expert"), "level must be one of"),
        (lambda t: t.replace("status: published", "status: live"), "status must be one of"),
        # The time a course takes comes from its articles (courses.estimates), not from the file.
        (lambda t: t.replace("status: published", "status: published\nestimated_hours: 5"), "unknown key(s): estimated_hours"),
        (lambda t: t.replace("topic: kubernetes", "topic: gardening"), "unknown topic 'gardening'"),
        (lambda t: t.replace("articles: [kubeadm-upgrades]", "articles: [no-such-article]"), "uses an unknown article: no-such-article"),
        (lambda t: t.replace("articles: [kubeadm-upgrades]", "articles: []"), ": articles must be a list"),
        (lambda t: t.replace("slug: operating-kubernetes", "slug: renamed"), "the file name must be the course's slug"),
        (lambda t: t.replace("order: 2", "order: second"), "order must be a whole number"),
        (lambda t: t.replace("\ntitle:\n  en:", "\ntitle:\n  fr:", 1), "title has unknown language code(s): fr"),
        (lambda t: t + "colour: blue\n", "unknown key(s): colour"),
        (lambda t: t.replace("lessons:", "lessons: oops\nold_lessons:"), "lessons must be a list"),
        (lambda t: t.replace("  title:", "  title: [broken", 1), "is not valid YAML"),
        (lambda t: t + "\x00", "contains a NUL byte"),
    ],
)  # fmt: skip
def test_malformed_course_file_names_the_file_and_imports_nothing(folder, change, message):
    # A valid change elsewhere in the same run must not land either.
    edit(
        folder,
        lambda t: t.replace("order: 1\n", "order: 9\n"),
        "courses/containers-from-lxc-to-kubernetes-runtimes.yaml",
    )
    before = snapshot()
    edit(folder, change)
    with pytest.raises(CommandError) as error:
        run("import_content", str(folder))
    text = str(error.value)
    assert "operating-kubernetes.yaml: " in text
    assert message in text
    assert snapshot() == before


def test_duplicate_lesson_slugs_are_refused(folder):
    text = (folder / COURSE).read_text(encoding="utf-8")
    slugs = [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("- slug: ")]
    edit(folder, lambda t: t.replace(f"- slug: {slugs[1]}", f"- slug: {slugs[0]}"))
    with pytest.raises(CommandError, match=r"the slug .* is used by an earlier lesson"):
        run("import_content", str(folder))
