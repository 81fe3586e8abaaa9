"""Content as files: read and write the ``content/`` folder (format: docs/content-format.md).

Import checks every file before it writes anything and then writes in one transaction, so a malformed
file leaves the database exactly as it was. Export writes the same format back, byte for byte what an
import of it would read.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.db import transaction
from django.utils import timezone

from kb import languages
from kb.markup import render_markdown
from kb.models import Article, Tag, Topic

TOPICS_FILE = "topics.yaml"
TAGS_FILE = "tags.yaml"
ARTICLES_DIR = "articles"
FRONT_MATTER_KEYS = ("title", "summary", "topic", "tags", "status", "published", "updated")
REQUIRED_KEYS = ("title", "summary", "updated")
# Keys that describe the article rather than one language: when both files give them they must agree.
SHARED_KEYS = ("topic", "tags", "status", "published")
STATUSES = {choice.value for choice in Article.Status}
MAX_TITLE = Article._meta.get_field("title").max_length
MAX_NAME = Topic._meta.get_field("name").max_length


class ContentError(Exception):
    """One or more files cannot be imported; ``problems`` is a list of (path, message)."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(f"{path}: {message}" for path, message in problems))


@dataclass
class TopicData:
    slug: str
    order: int
    name: dict
    description: dict


@dataclass
class TagData:
    slug: str
    name: dict


@dataclass
class ArticleData:
    slug: str
    topic: str
    tags: list
    status: str
    published: dt.datetime | None
    texts: dict = field(default_factory=dict)  # language -> {"title", "summary", "body", "edited_at"}


@dataclass
class ImportReport:
    created: dict = field(default_factory=lambda: {"topics": 0, "tags": 0, "articles": 0})
    updated: dict = field(default_factory=lambda: {"topics": 0, "tags": 0, "articles": 0})
    unchanged: dict = field(default_factory=lambda: {"topics": 0, "tags": 0, "articles": 0})

    @property
    def changed(self):
        return any(self.created.values()) or any(self.updated.values())


# Reading


class _Reader:
    def __init__(self, root):
        self.root = Path(root)
        self.problems = []

    def problem(self, path, message):
        self.problems.append((self._show(path), message))

    def _show(self, path):
        try:
            return str(Path(path).relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def text(self, path):
        try:
            content = Path(path).read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            self.problem(path, f"not valid UTF-8 (byte {error.start}).")
            return None
        except OSError as error:
            self.problem(path, f"cannot be read: {error.strerror}.")
            return None
        if "\x00" in content:
            self.problem(path, "contains a NUL byte.")
            return None
        return content.replace("\r\n", "\n")

    def yaml_list(self, path):
        content = self.text(path)
        if content is None:
            return []
        try:
            data = yaml.safe_load(content)
        except yaml.YAMLError as error:
            self.problem(path, f"is not valid YAML: {_yaml_error(error)}")
            return []
        if data is None:
            return []
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            self.problem(path, "must be a list of entries, each with a slug and a name.")
            return []
        return data

    def slug(self, path, value, what):
        if not isinstance(value, str) or not value:
            self.problem(path, f"{what} has no slug.")
            return None
        try:
            validate_unicode_slug(value)
        except ValidationError:
            self.problem(path, f"{what} slug {value!r} may only hold letters, digits, hyphens and underscores.")
            return None
        return value

    def translations(self, path, value, what, *, required, max_length=None):
        """A ``{en: ..., zh-hant: ...}`` mapping; returns ``{}`` after recording a problem."""
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.problem(path, f"{what} must map language codes ({', '.join(languages.codes())}) to text.")
            return {}
        unknown = sorted(set(map(str, value)) - set(languages.codes()))
        if unknown:
            self.problem(path, f"{what} has unknown language code(s): {', '.join(unknown)}.")
            return {}
        result = {}
        for code, text in value.items():
            if text is None:
                continue
            if not isinstance(text, str):
                self.problem(path, f"{what} ({code}) must be text.")
                return {}
            if max_length and len(text) > max_length:
                self.problem(path, f"{what} ({code}) is longer than {max_length} characters.")
                return {}
            result[code] = text.strip()
        if required and not result.get("en"):
            self.problem(path, f"{what} needs an English text (en).")
            return {}
        return result

    def named_entries(self, filename, kind, keys):
        """Yield ``(path, slug, entry, name)`` for each well-formed entry of a list such as topics.yaml."""
        path = self.root / filename
        if not path.exists():
            return
        seen = set()
        for index, entry in enumerate(self.yaml_list(path), start=1):
            slug = self.slug(path, entry.get("slug"), f"{kind} #{index}")
            if slug is None:
                continue
            if slug in seen:
                self.problem(path, f"{kind} {slug!r} is listed twice.")
                continue
            seen.add(slug)
            unknown = sorted(set(entry) - keys)
            if unknown:
                self.problem(path, f"{kind} {slug!r} has unknown key(s): {', '.join(unknown)}.")
                continue
            what = f"{kind} {slug!r} name"
            name = self.translations(path, entry.get("name"), what, required=True, max_length=MAX_NAME)
            if name:
                yield path, slug, entry, name

    def topics(self):
        topics = []
        keys = {"slug", "order", "name", "description"}
        for path, slug, entry, name in self.named_entries(TOPICS_FILE, "topic", keys):
            order = entry.get("order", 0)
            if not isinstance(order, int) or isinstance(order, bool) or order < 0:
                self.problem(path, f"topic {slug!r}: order must be a whole number, 0 or more.")
                continue
            what = f"topic {slug!r} description"
            description = self.translations(path, entry.get("description"), what, required=False)
            topics.append(TopicData(slug=slug, order=order, name=name, description=description))
        return topics

    def tags(self):
        return [
            TagData(slug=slug, name=name)
            for _path, slug, _entry, name in self.named_entries(TAGS_FILE, "tag", {"slug", "name"})
        ]

    def articles(self):
        folder = self.root / ARTICLES_DIR
        if not folder.is_dir():
            return []
        articles = []
        for article_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
            article = self.article(article_dir)
            if article is not None:
                articles.append(article)
        return articles

    def article(self, article_dir):
        slug = self.slug(article_dir, article_dir.name, "the article folder")
        if slug is None:
            return None
        expected = {f"{code}.md" for code in languages.codes()}
        for stray in sorted(p.name for p in article_dir.iterdir() if p.suffix == ".md" and p.name not in expected):
            self.problem(article_dir / stray, f"unknown language file; expected one of {', '.join(sorted(expected))}.")
        if not (article_dir / "en.md").exists():
            self.problem(article_dir, "has no en.md: every article needs its English text.")
            return None
        shared, texts, ok = {}, {}, True
        for code in languages.codes():
            path = article_dir / f"{code}.md"
            if not path.exists():
                continue
            parsed = self.markdown_file(path)
            if parsed is None:
                ok = False
                continue
            meta, body = parsed
            for key in SHARED_KEYS:
                if key not in meta:
                    continue
                if key in shared and shared[key][1] != meta[key]:
                    self.problem(path, f"{key} is {meta[key]!r} here but {shared[key][1]!r} in {shared[key][0]}.")
                    ok = False
                shared.setdefault(key, (path.name, meta[key]))
            texts[code] = {
                "title": meta["title"],
                "summary": meta["summary"],
                "body": body,
                "edited_at": meta["updated"],
            }
        if not ok:
            return None
        for key in ("topic", "status"):
            if key not in shared:
                self.problem(article_dir / "en.md", f"front matter has no {key}.")
                ok = False
        if not ok:
            return None
        return ArticleData(
            slug=slug,
            topic=shared["topic"][1],
            tags=shared.get("tags", (None, []))[1],
            status=shared["status"][1],
            published=shared.get("published", (None, None))[1],
            texts=texts,
        )

    def markdown_file(self, path):
        content = self.text(path)
        if content is None:
            return None
        if not content.startswith("---\n"):
            self.problem(path, "must start with YAML front matter between two '---' lines.")
            return None
        end = content.find("\n---\n", 3)
        if end == -1:
            if content.endswith("\n---"):
                end = len(content) - 4
            else:
                self.problem(path, "the front matter is not closed by a '---' line.")
                return None
        try:
            meta = yaml.safe_load(content[4:end])
        except yaml.YAMLError as error:
            self.problem(path, f"front matter is not valid YAML: {_yaml_error(error)}")
            return None
        if not isinstance(meta, dict):
            self.problem(path, "front matter must be a mapping of keys such as title: and summary:.")
            return None
        unknown = sorted(set(map(str, meta)) - set(FRONT_MATTER_KEYS))
        if unknown:
            self.problem(path, f"front matter has unknown key(s): {', '.join(unknown)}.")
            return None
        missing = [key for key in REQUIRED_KEYS if meta.get(key) in (None, "")]
        if missing:
            self.problem(path, f"front matter has no {', '.join(missing)}.")
            return None
        for key in ("title", "summary"):
            if not isinstance(meta[key], str):
                self.problem(path, f"{key} must be text.")
                return None
            meta[key] = meta[key].strip()
        if len(meta["title"]) > MAX_TITLE:
            self.problem(path, f"title is longer than {MAX_TITLE} characters.")
            return None
        if "status" in meta and meta["status"] not in STATUSES:
            self.problem(path, f"status must be one of {', '.join(sorted(STATUSES))}, not {meta['status']!r}.")
            return None
        if "topic" in meta and not isinstance(meta["topic"], str):
            self.problem(path, "topic must be a topic's slug.")
            return None
        if "tags" in meta:
            tags = meta["tags"] or []
            if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
                self.problem(path, "tags must be a list of tag slugs, e.g. [docker, oci].")
                return None
            meta["tags"] = sorted(set(tags))
        for key in ("published", "updated"):
            if meta.get(key) is None:
                continue
            moment = _moment(meta[key])
            if moment is None:
                self.problem(path, f"{key} must be a date (2026-09-14) or a date and time, not {meta[key]!r}.")
                return None
            meta[key] = moment
        return meta, content[end + 5 :].strip("\n").rstrip()

    def check_references(self, topics, tags, articles):
        known_topics = {t.slug for t in topics} | set(Topic.objects.values_list("slug", flat=True))
        known_tags = {t.slug for t in tags} | set(Tag.objects.values_list("slug", flat=True))
        known_articles = {a.slug for a in articles} | set(Article.objects.values_list("slug", flat=True))
        for article in articles:
            where = self.root / ARTICLES_DIR / article.slug
            if article.topic not in known_topics:
                self.problem(where / "en.md", f"unknown topic {article.topic!r}; topics are listed in {TOPICS_FILE}.")
            for tag in article.tags:
                if tag not in known_tags:
                    self.problem(where / "en.md", f"unknown tag {tag!r}; tags are listed in {TAGS_FILE}.")
            for code, text in article.texts.items():
                for target in sorted(render_markdown(text["body"], language=code).article_links - known_articles):
                    self.problem(where / f"{code}.md", f"links to an unknown article: article:{target}")


def _yaml_error(error):
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem


def _moment(value):
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def read_folder(root):
    """Parse and check a content folder without touching the database; raises ContentError."""
    reader = _Reader(root)
    if not reader.root.is_dir():
        raise ContentError([(str(root), "is not a folder.")])
    topics, tags, articles = reader.topics(), reader.tags(), reader.articles()
    if not reader.problems:
        reader.check_references(topics, tags, articles)
    if reader.problems:
        raise ContentError(reader.problems)
    return topics, tags, articles


# Writing to the database


def _assign(instance, values):
    """Set attributes; return True when any of them changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _translated(name, texts):
    return {languages.localized(name, code): texts.get(code, "") for code in languages.codes()}


def _save(model_name, instance, values, report, *, is_new):
    if is_new:
        _assign(instance, values)
        instance.save()
        report.created[model_name] += 1
        return True
    if _assign(instance, values):
        instance.save()
        report.updated[model_name] += 1
        return True
    report.unchanged[model_name] += 1
    return False


@transaction.atomic
def import_folder(root):
    """Load a content folder into the database in one transaction; returns an ImportReport."""
    topics, tags, articles = read_folder(root)
    report = ImportReport()

    existing_topics = Topic.objects.in_bulk(field_name="slug")
    for data in topics:
        topic = existing_topics.get(data.slug)
        is_new = topic is None
        topic = topic or Topic(slug=data.slug)
        values = {"order": data.order, **_translated("name", data.name), **_translated("description", data.description)}
        _save("topics", topic, values, report, is_new=is_new)

    existing_tags = Tag.objects.in_bulk(field_name="slug")
    for data in tags:
        tag = existing_tags.get(data.slug)
        is_new = tag is None
        _save("tags", tag or Tag(slug=data.slug), _translated("name", data.name), report, is_new=is_new)

    topic_ids = dict(Topic.objects.values_list("slug", "id"))
    tag_ids = dict(Tag.objects.values_list("slug", "id"))
    existing_articles = Article.objects.prefetch_related("tags").in_bulk(field_name="slug")
    for data in articles:
        article = existing_articles.get(data.slug)
        is_new = article is None
        article = article or Article(slug=data.slug)
        values = {"topic_id": topic_ids[data.topic], "status": data.status}
        if data.published is not None:
            values["published_at"] = data.published
        for code in languages.codes():
            text = data.texts.get(code, {})
            values[languages.localized("title", code)] = text.get("title", "")
            values[languages.localized("summary", code)] = text.get("summary", "")
            values[languages.localized("body", code)] = text.get("body", "")
            values[languages.localized("edited_at", code)] = text.get("edited_at")
        wanted_tags = {tag_ids[slug] for slug in data.tags}
        saved = _save("articles", article, values, report, is_new=is_new)
        current_tags = set() if is_new else {tag.id for tag in article.tags.all()}
        if current_tags != wanted_tags:
            article.tags.set(wanted_tags)
            if not saved:
                report.unchanged["articles"] -= 1
                report.updated["articles"] += 1
    return report


# Writing files


def _dump_yaml(data, *, flow=None):
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=flow)


def _texts(instance, name):
    result = {}
    for code in languages.codes():
        value = getattr(instance, languages.localized(name, code)) or ""
        if value:
            result[code] = value
    return result


def _yaml_moment(moment):
    moment = moment.astimezone(dt.UTC)
    if moment.time() == dt.time():
        return moment.date()
    return moment.replace(microsecond=0)


def article_file(article, code):
    """The Markdown file for one language of an article, front matter included."""
    meta = {
        "title": getattr(article, languages.localized("title", code)),
        "summary": getattr(article, languages.localized("summary", code)) or "",
        "topic": article.topic.slug,
        "tags": sorted(tag.slug for tag in article.tags.all()),
        "status": article.status,
    }
    if article.published_at:
        meta["published"] = _yaml_moment(article.published_at)
    edited = getattr(article, languages.localized("edited_at", code)) or article.updated_at
    meta["updated"] = _yaml_moment(edited)
    body = (getattr(article, languages.localized("body", code)) or "").strip("\n").rstrip()
    return f"---\n{_dump_yaml(meta, flow=None)}---\n\n{body}\n"


def export_folder(root):
    """Write every topic, tag and article to ``root``; returns the number of files written."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    written = 0

    topics = [
        {
            "slug": t.slug,
            "order": t.order,
            "name": _texts(t, "name"),
            **({"description": d} if (d := _texts(t, "description")) else {}),
        }
        for t in Topic.objects.order_by("order", "slug")
    ]
    (root / TOPICS_FILE).write_text(_dump_yaml(topics, flow=False), encoding="utf-8")
    tags = [{"slug": t.slug, "name": _texts(t, "name")} for t in Tag.objects.order_by("slug")]
    (root / TAGS_FILE).write_text(_dump_yaml(tags, flow=False), encoding="utf-8")
    written += 2

    for article in Article.objects.select_related("topic").prefetch_related("tags").order_by("slug"):
        folder = root / ARTICLES_DIR / article.slug
        folder.mkdir(parents=True, exist_ok=True)
        for code in languages.codes():
            path = folder / f"{code}.md"
            if article.has_text(code):
                path.write_text(article_file(article, code), encoding="utf-8")
                written += 1
            elif path.exists():
                path.unlink()
    return written
