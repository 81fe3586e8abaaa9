"""The knowledge base's content files: topics.yaml, tags.yaml and articles/<slug>/<language>.md."""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import partial

import yaml

from kb import languages, services
from kb.content.files import (
    NUMBER,
    dump_yaml,
    load_yaml,
    moment,
    save,
    texts,
    translated,
    yaml_error,
    yaml_moment,
)
from kb.images import ImageError, content_type, dimensions
from kb.markup import IMAGE_NAME, MarkupError, render_markdown
from kb.models import Article, ArticleImage, ArticleRevision, Tag, Topic

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
    images: dict = field(default_factory=dict)  # file name -> (content type, bytes, (width, height) or None)
    renders: dict = field(default_factory=dict)  # language -> (body, Rendered), made while checking


@dataclass
class KnowledgeBaseData:
    topics: list
    tags: list
    articles: list


class KnowledgeBaseSection:
    """Topics, tags and articles."""

    # Reading

    def read(self, reader):
        return KnowledgeBaseData(
            topics=self.read_topics(reader), tags=self.read_tags(reader), articles=self.read_articles(reader)
        )

    def named_entries(self, reader, filename, kind, keys):
        """Yield ``(path, slug, entry, name)`` for each well-formed entry of a list such as topics.yaml."""
        path = reader.root / filename
        if not path.exists():
            return
        seen = set()
        for index, entry in enumerate(reader.yaml_list(path), start=1):
            slug = reader.slug(path, entry.get("slug"), f"{kind} #{index}")
            if slug is None:
                continue
            if slug in seen:
                reader.problem(path, f"{kind} {slug!r} is listed twice.")
                continue
            seen.add(slug)
            if reader.unknown_keys(path, entry, keys, f"{kind} {slug!r}"):
                continue
            what = f"{kind} {slug!r} name"
            name = reader.translations(path, entry.get("name"), what, required=True, max_length=MAX_NAME)
            if name:
                yield path, slug, entry, name

    def read_topics(self, reader):
        topics = []
        keys = {"slug", "order", "name", "description"}
        for path, slug, entry, name in self.named_entries(reader, TOPICS_FILE, "topic", keys):
            order = reader.whole_number(path, entry.get("order", 0), f"topic {slug!r}: order", maximum=NUMBER)
            if order is None:
                continue
            what = f"topic {slug!r} description"
            description = reader.translations(path, entry.get("description"), what, required=False)
            topics.append(TopicData(slug=slug, order=order, name=name, description=description))
        return topics

    def read_tags(self, reader):
        return [
            TagData(slug=slug, name=name)
            for _path, slug, _entry, name in self.named_entries(reader, TAGS_FILE, "tag", {"slug", "name"})
        ]

    def read_articles(self, reader):
        folder = reader.root / ARTICLES_DIR
        if not folder.is_dir():
            return []
        articles = []
        for article_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
            if not reader.inside(article_dir):
                continue
            article = self.read_article(reader, article_dir)
            if article is not None:
                articles.append(article)
        return articles

    def read_article(self, reader, article_dir):
        slug = reader.slug(article_dir, article_dir.name, "the article folder")
        if slug is None:
            return None
        expected = {f"{code}.md" for code in languages.codes()}
        images = {}
        for path in sorted(article_dir.iterdir()):
            if path.name in expected or not reader.inside(path):
                continue
            if path.suffix == ".md":
                reader.problem(path, f"unknown language file; expected one of {', '.join(sorted(expected))}.")
            elif not path.is_file() or not IMAGE_NAME.fullmatch(path.name):
                reader.problem(
                    path,
                    "is not an image: an article folder holds its Markdown files and its images (lowercase "
                    "names such as plan.en.svg; SVG, PNG, JPEG, WebP or GIF).",
                )
            else:
                data = path.read_bytes()
                try:
                    images[path.name] = (content_type(path.name, data), data, dimensions(path.name, data))
                except ImageError as error:
                    reader.problem(path, str(error))
        if not (article_dir / "en.md").exists():
            reader.problem(article_dir, "has no en.md: every article needs its English text.")
            return None
        shared, texts, ok = {}, {}, True
        for code in languages.codes():
            path = article_dir / f"{code}.md"
            if not path.exists():
                continue
            parsed = self.markdown_file(reader, path)
            if parsed is None:
                ok = False
                continue
            meta, body = parsed
            for key in SHARED_KEYS:
                if key not in meta:
                    continue
                if key in shared and shared[key][1] != meta[key]:
                    reader.problem(path, f"{key} is {meta[key]!r} here but {shared[key][1]!r} in {shared[key][0]}.")
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
                reader.problem(article_dir / "en.md", f"front matter has no {key}.")
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
            images=images,
        )

    def markdown_file(self, reader, path):
        content = reader.text(path)
        if content is None:
            return None
        if not content.startswith("---\n"):
            reader.problem(path, "must start with YAML front matter between two '---' lines.")
            return None
        end = content.find("\n---\n", 3)
        if end == -1:
            if content.endswith("\n---"):
                end = len(content) - 4
            else:
                reader.problem(path, "the front matter is not closed by a '---' line.")
                return None
        try:
            meta = load_yaml(content[4:end])
        except yaml.YAMLError as error:
            reader.problem(path, f"front matter is not valid YAML: {yaml_error(error)}")
            return None
        if not isinstance(meta, dict):
            reader.problem(path, "front matter must be a mapping of keys such as title: and summary:.")
            return None
        unknown = sorted(set(map(str, meta)) - set(FRONT_MATTER_KEYS))
        if unknown:
            reader.problem(path, f"front matter has unknown key(s): {', '.join(unknown)}.")
            return None
        missing = [key for key in REQUIRED_KEYS if meta.get(key) in (None, "")]
        if missing:
            reader.problem(path, f"front matter has no {', '.join(missing)}.")
            return None
        for key in ("title", "summary"):
            if not isinstance(meta[key], str):
                reader.problem(path, f"{key} must be text.")
                return None
            meta[key] = meta[key].strip()
        if len(meta["title"]) > MAX_TITLE:
            reader.problem(path, f"title is longer than {MAX_TITLE} characters.")
            return None
        if "status" in meta and meta["status"] not in STATUSES:
            reader.problem(path, f"status must be one of {', '.join(sorted(STATUSES))}, not {meta['status']!r}.")
            return None
        if "topic" in meta and not isinstance(meta["topic"], str):
            reader.problem(path, "topic must be a topic's slug.")
            return None
        if "tags" in meta:
            tags = meta["tags"] or []
            if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
                reader.problem(path, "tags must be a list of tag slugs, e.g. [docker, oci].")
                return None
            meta["tags"] = sorted(set(tags))
        for key in ("published", "updated"):
            if meta.get(key) is None:
                continue
            value = moment(meta[key])
            if value is None:
                reader.problem(path, f"{key} must be a date (2026-09-14) or a date and time, not {meta[key]!r}.")
                return None
            meta[key] = value
        return meta, content[end + 5 :].strip("\n").rstrip()

    def check(self, reader, data, known):
        """Every topic, tag and linked article must exist in these files or in the database already."""
        known["topics"] = {t.slug for t in data.topics} | set(Topic.objects.values_list("slug", flat=True))
        known["tags"] = {t.slug for t in data.tags} | set(Tag.objects.values_list("slug", flat=True))
        known["articles"] = {a.slug for a in data.articles} | set(Article.objects.values_list("slug", flat=True))
        for article in data.articles:
            where = reader.root / ARTICLES_DIR / article.slug
            if article.topic not in known["topics"]:
                reader.problem(where / "en.md", f"unknown topic {article.topic!r}; topics are listed in {TOPICS_FILE}.")
            for tag in article.tags:
                if tag not in known["tags"]:
                    reader.problem(where / "en.md", f"unknown tag {tag!r}; tags are listed in {TAGS_FILE}.")
            headings = known.setdefault("headings", {}).setdefault(article.slug, {})
            english = None
            for code, text in article.texts.items():  # English first: the others take its headings' ids
                try:
                    sizes = {name: size for name, (_kind, _data, size) in article.images.items() if size}
                    rendered = render_markdown(
                        text["body"],
                        language=code,
                        article=article.slug,
                        image_sizes=sizes,
                        anchors=english.headings if english else None,
                    )
                except MarkupError as error:
                    reader.problem(where / f"{code}.md", str(error))
                    continue
                english = english or rendered
                article.renders[code] = (text["body"], rendered)
                headings[code] = [entry["id"] for entry in rendered.toc]
                for target in sorted(rendered.article_links - known["articles"]):
                    reader.problem(where / f"{code}.md", f"links to an unknown article: article:{target}")
                for name in sorted(rendered.images - set(article.images)):
                    reader.problem(where / f"{code}.md", f"shows the image {name}, which is not in the folder.")

    # Writing to the database

    def write(self, data, report):
        existing_topics = Topic.objects.in_bulk(field_name="slug")
        for topic_data in data.topics:
            topic = existing_topics.get(topic_data.slug)
            values = {
                "order": topic_data.order,
                **translated("name", topic_data.name),
                **translated("description", topic_data.description),
            }
            save("topics", topic or Topic(slug=topic_data.slug), values, report, is_new=topic is None)

        existing_tags = Tag.objects.in_bulk(field_name="slug")
        for tag_data in data.tags:
            tag = existing_tags.get(tag_data.slug)
            save("tags", tag or Tag(slug=tag_data.slug), translated("name", tag_data.name), report, is_new=tag is None)

        topic_ids = dict(Topic.objects.values_list("slug", "id"))
        tag_ids = dict(Tag.objects.values_list("slug", "id"))
        existing_articles = Article.objects.prefetch_related("tags").in_bulk(field_name="slug")
        for article_data in data.articles:
            article = existing_articles.get(article_data.slug)
            is_new = article is None
            article = article or Article(slug=article_data.slug)
            values = {"topic_id": topic_ids[article_data.topic], "status": article_data.status}
            if article_data.published is not None:
                values["published_at"] = article_data.published
            for code in languages.codes():
                text = article_data.texts.get(code, {})
                values[languages.localized("title", code)] = text.get("title", "")
                values[languages.localized("summary", code)] = text.get("summary", "")
                values[languages.localized("body", code)] = text.get("body", "")
                values[languages.localized("edited_at", code)] = text.get("edited_at")
            wanted_tags = {tag_ids[slug] for slug in article_data.tags}
            saved = save(
                "articles",
                article,
                values,
                report,
                is_new=is_new,
                write=partial(
                    services.article_save,
                    article=article,
                    event=ArticleRevision.Event.IMPORTED,
                    renders=article_data.renders,
                    mark_terms=False,  # the glossary is written next; the import marks every article then
                ),
            )
            self.write_images(article, article_data.images, report)
            current_tags = set() if is_new else {tag.id for tag in article.tags.all()}
            if current_tags != wanted_tags:
                article.tags.set(wanted_tags)
                if not saved:
                    report.count("unchanged", "articles", by=-1)
                    report.count("updated", "articles")

    def write_images(self, article, images, report):
        existing = {image.name: image for image in article.images.all()}
        for name, (kind, data, size) in images.items():
            digest = hashlib.sha256(data).hexdigest()
            width, height = size or (None, None)
            image = existing.pop(name, None)
            if image is None:
                ArticleImage.objects.create(
                    article=article,
                    name=name,
                    content_type=kind,
                    data=data,
                    digest=digest,
                    width=width,
                    height=height,
                )
                report.count("created", "images")
            elif image.digest != digest:
                image.content_type, image.data, image.digest = kind, data, digest
                image.width, image.height = width, height
                image.save()
                report.count("updated", "images")
            else:
                report.count("unchanged", "images")
        for image in existing.values():
            image.delete()
            report.count("deleted", "images")

    # Writing files

    def export(self, root):
        topics = [
            {
                "slug": t.slug,
                "order": t.order,
                "name": texts(t, "name"),
                **({"description": d} if (d := texts(t, "description")) else {}),
            }
            for t in Topic.objects.order_by("order", "slug")
        ]
        (root / TOPICS_FILE).write_text(dump_yaml(topics, flow=False), encoding="utf-8")
        tags = [{"slug": t.slug, "name": texts(t, "name")} for t in Tag.objects.order_by("slug")]
        (root / TAGS_FILE).write_text(dump_yaml(tags, flow=False), encoding="utf-8")
        written = 2

        articles = Article.objects.select_related("topic").prefetch_related("tags", "images").order_by("slug")
        for article in articles:
            folder = root / ARTICLES_DIR / article.slug
            folder.mkdir(parents=True, exist_ok=True)
            for code in languages.codes():
                path = folder / f"{code}.md"
                if article.has_text(code):
                    path.write_text(article_file(article, code), encoding="utf-8")
                    written += 1
                elif path.exists():
                    path.unlink()
            images = {image.name: image for image in article.images.all()}
            for name, image in images.items():
                (folder / name).write_bytes(bytes(image.data))
                written += 1
            for stale in folder.iterdir():
                if IMAGE_NAME.fullmatch(stale.name) and stale.name not in images:
                    stale.unlink()
        return written


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
        meta["published"] = yaml_moment(article.published_at)
    edited = getattr(article, languages.localized("edited_at", code)) or article.updated_at
    meta["updated"] = yaml_moment(edited)
    body = (getattr(article, languages.localized("body", code)) or "").strip("\n").rstrip()
    return f"---\n{dump_yaml(meta)}---\n\n{body}\n"
