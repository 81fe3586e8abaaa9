"""Courses as files: ``content/courses/<slug>.yaml``, both languages and every lesson in one file."""

from dataclasses import dataclass, field

from courses.models import Course, Lesson, LessonArticle
from kb.content.files import NUMBER, dump_yaml, save, texts, translated
from kb.models import Article, Topic

COURSES_DIR = "courses"
COURSE_KEYS = (
    "slug", "order", "topic", "level", "status", "title", "summary", "description", "lessons",
)  # fmt: skip
LESSON_KEYS = ("slug", "title", "intro", "articles")
LEVELS = {choice.value for choice in Course.Level}
STATUSES = {choice.value for choice in Course.Status}
MAX_TITLE = Course._meta.get_field("title").max_length


@dataclass
class LessonData:
    slug: str
    title: dict
    intro: dict
    articles: list


@dataclass
class CourseData:
    path: object
    slug: str
    order: int
    topic: str
    level: str
    status: str
    title: dict
    summary: dict
    description: dict
    lessons: list = field(default_factory=list)


class CourseSection:
    """Courses and their lessons, which refer to topics and articles by slug."""

    # Reading

    def read(self, reader):
        courses = (self.read_course(reader, path, data) for path, data in reader.mappings(COURSES_DIR, "course"))
        return [course for course in courses if course is not None]

    def read_course(self, reader, path, data):
        problems_before = len(reader.problems)
        slug = reader.file_slug(path, data, "course")
        reader.unknown_keys(path, data, COURSE_KEYS, "the course")
        order = reader.whole_number(path, data.get("order", 0), "order", maximum=NUMBER)
        level = data.get("level", Course.Level.BEGINNER)
        if level not in LEVELS:
            reader.problem(path, f"level must be one of {', '.join(sorted(LEVELS))}, not {level!r}.")
        status = data.get("status")
        if status not in STATUSES:
            reader.problem(path, f"status must be one of {', '.join(sorted(STATUSES))}, not {status!r}.")
        topic = data.get("topic")
        if not isinstance(topic, str) or not topic:
            reader.problem(path, "topic must be a topic's slug.")
        title = reader.translations(path, data.get("title"), "title", required=True, max_length=MAX_TITLE)
        summary = reader.translations(path, data.get("summary"), "summary", required=False)
        description = reader.translations(path, data.get("description"), "description", required=False, markdown=True)
        lessons = self.read_lessons(reader, path, data.get("lessons"))
        if len(reader.problems) > problems_before:
            return None
        return CourseData(
            path=path,
            slug=slug,
            order=order,
            topic=topic,
            level=level,
            status=status,
            title=title,
            summary=summary,
            description=description,
            lessons=lessons,
        )

    def read_lessons(self, reader, path, value):
        if not isinstance(value, list) or not value:
            reader.problem(path, "lessons must be a list with at least one lesson.")
            return []
        lessons, seen = [], set()
        for number, entry in enumerate(value, start=1):
            what = f"lesson {number}"
            if not isinstance(entry, dict):
                reader.problem(path, f"{what} must be a mapping with slug, title, intro and articles.")
                continue
            slug = reader.slug(path, entry.get("slug"), what)
            if slug in seen:
                reader.problem(path, f"{what}: the slug {slug!r} is used by an earlier lesson.")
            seen.add(slug)
            reader.unknown_keys(path, entry, LESSON_KEYS, what)
            title = reader.translations(path, entry.get("title"), f"{what} title", required=True, max_length=MAX_TITLE)
            intro = reader.translations(path, entry.get("intro"), f"{what} intro", required=False, markdown=True)
            articles = entry.get("articles")
            if not isinstance(articles, list) or not articles or not all(isinstance(a, str) for a in articles):
                reader.problem(path, f"{what}: articles must be a list of one or more article slugs.")
                continue
            if len(set(articles)) != len(articles):
                reader.problem(path, f"{what}: an article is listed twice.")
                continue
            lessons.append(LessonData(slug=slug, title=title, intro=intro, articles=articles))
        return lessons

    def check(self, reader, courses, known):
        known["lessons"] = {(course.slug, lesson.slug) for course in courses for lesson in course.lessons}
        for course in courses:
            if course.topic not in known["topics"]:
                reader.problem(course.path, f"unknown topic {course.topic!r}; topics are listed in topics.yaml.")
            for number, lesson in enumerate(course.lessons, start=1):
                for slug in lesson.articles:
                    if slug not in known["articles"]:
                        reader.problem(course.path, f"lesson {number} uses an unknown article: {slug}")

    # Writing to the database

    def write(self, courses, report):
        topic_ids = dict(Topic.objects.values_list("slug", "id"))
        article_ids = dict(Article.objects.values_list("slug", "id"))
        existing = Course.objects.in_bulk(field_name="slug")
        for data in courses:
            course = existing.get(data.slug)
            values = {
                "order": data.order,
                "topic_id": topic_ids[data.topic],
                "level": data.level,
                "status": data.status,
                **translated("title", data.title),
                **translated("summary", data.summary),
                **translated("description", data.description),
            }
            is_new = course is None
            course = course or Course(slug=data.slug)
            save("courses", course, values, report, is_new=is_new)
            self.write_lessons(course, data.lessons, article_ids, report)

    def write_lessons(self, course, lessons, article_ids, report):
        existing = {lesson.slug: lesson for lesson in course.lessons.prefetch_related("lesson_articles")}
        for order, data in enumerate(lessons, start=1):
            lesson = existing.pop(data.slug, None)
            is_new = lesson is None
            lesson = lesson or Lesson(course=course, slug=data.slug)
            values = {"order": order, **translated("title", data.title), **translated("intro", data.intro)}
            saved = save("lessons", lesson, values, report, is_new=is_new)
            wanted = [article_ids[slug] for slug in data.articles]
            current = [] if is_new else [item.article_id for item in lesson.lesson_articles.all()]
            if current != wanted:
                LessonArticle.objects.filter(lesson=lesson).delete()
                LessonArticle.objects.bulk_create(
                    LessonArticle(lesson=lesson, article_id=article_id, order=position)
                    for position, article_id in enumerate(wanted, start=1)
                )
                if not saved:
                    report.count("unchanged", "lessons", by=-1)
                    report.count("updated", "lessons")
        for stale in existing.values():
            # A lesson no longer in the file is removed along with learners' marks for it.
            stale.delete()
            report.count("deleted", "lessons")

    # Writing files

    def export(self, root):
        folder = root / COURSES_DIR
        courses = list(
            Course.objects.select_related("topic")
            .prefetch_related("lessons__lesson_articles__article")
            .order_by("slug")
        )
        if not courses:
            return 0
        folder.mkdir(parents=True, exist_ok=True)
        for course in courses:
            data = {
                "slug": course.slug,
                "order": course.order,
                "topic": course.topic.slug,
                "level": course.level,
                "status": course.status,
                "title": texts(course, "title"),
                "summary": texts(course, "summary"),
                "description": texts(course, "description"),
                "lessons": [
                    {
                        "slug": lesson.slug,
                        "title": texts(lesson, "title"),
                        "intro": texts(lesson, "intro"),
                        "articles": [item.article.slug for item in lesson.lesson_articles.all()],
                    }
                    for lesson in sorted(course.lessons.all(), key=lambda lesson: (lesson.order, lesson.pk))
                ],
            }
            for key in ("summary", "description"):
                if not data[key]:
                    del data[key]
            (folder / f"{course.slug}.yaml").write_text(dump_yaml(data, flow=False), encoding="utf-8")
        return len(courses)
