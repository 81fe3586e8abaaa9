from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb import glossary_marks, languages
from kb.markup import render_markdown, validate_markdown
from kb.publishing import Publishable, PublishableQuerySet
from kb.translation_status import OUTDATED, TranslatedContent, filled_annotations


class Topic(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return reverse("kb:topic-detail", kwargs={"slug": self.slug})


class Tag(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return reverse("kb:tag-detail", kwargs={"slug": self.slug})


class ArticleQuerySet(PublishableQuerySet):
    def published(self):
        return super().published().filter(published_at__lte=timezone.now())

    def for_listing(self):
        return self.select_related("topic").prefetch_related("tags").without_bodies()

    def without_bodies(self):
        """Titles, summaries and dates, but not the bodies (most of a row): for pages that list articles."""
        long_fields = [
            name if code is None else languages.localized(name, code)
            for name in ("body", "body_html", "toc")
            for code in (None, *languages.codes())
        ]
        return self.defer(*long_fields).annotate(**filled_annotations(self.model))


@dataclass(frozen=True)
class ArticleVersion:
    """What a reader of one language gets: that language's text, or another's when it is missing."""

    language: str
    title: str
    summary: str
    reading_minutes: int
    edited_at: object  # datetime or None
    is_fallback: bool
    is_outdated: bool
    article: "Article" = field(repr=False, compare=False)

    @property
    def lang_attr(self):
        return languages.bcp47(self.language)

    # The long fields are read when a page shows them, so that lists can leave them in the database; an
    # article loaded without them (the article page, whose body usually comes from the fragment cache) reads
    # both of its language's at once.
    @property
    def body_html(self):
        return self._long_field("body_html") or ""

    @property
    def toc(self):
        return self._long_field("toc") or []

    def _long_field(self, name):
        fields = [languages.localized(long, self.language) for long in ("body_html", "toc")]
        missing = [field for field in fields if field in self.article.get_deferred_fields()]
        if missing:
            self.article.refresh_from_db(fields=missing)
        return getattr(self.article, languages.localized(name, self.language))


class Article(Publishable, TranslatedContent):
    TRANSLATED_TEXT = ("title", "summary", "body")
    REQUIRED_TEXT = ("title", "body")

    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="articles", verbose_name=_("topic"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("author"),
    )

    # The number of the latest revision: an edit form that loaded an older one is stale (see kb.admin).
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True, validators=[validate_markdown])
    # Filled from ``body`` on every save; never edited by hand.
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(editable=False, default=list, blank=True)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=0)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [("author_content", _("Can author content: drafts, previews, statistics, translations"))]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title_en or self.slug

    def save(self, *args, renders=None, mark_terms=True, **kwargs):
        """Render every language and stamp edits (kb.services.article_save also records a revision).
        ``renders`` maps a language to ``(body, Rendered)`` the caller already made (an import renders every
        article to check it before it writes anything); a render of another text is not used. Glossary terms
        are marked in the text (kb.glossary_marks) unless ``mark_terms`` is false."""
        english = None
        matchers = None  # the glossary, read once for every language that has text
        for language in languages.codes():  # English first: the other languages take its headings' ids
            body = getattr(self, languages.localized("body", language)) or ""
            source, rendered = (renders or {}).get(language, (None, None))
            if source != body:
                rendered = render_markdown(
                    body,
                    language=language,
                    article=self.slug,
                    image_sizes=self.image_sizes(),
                    anchors=english.headings if english else None,
                )
            english = english or rendered
            if mark_terms and rendered.html and matchers is None:
                matchers = glossary_marks.matchers()
            marked = glossary_marks.mark(rendered.html, language, matchers[language]) if matchers else rendered.html
            setattr(self, languages.localized("body_html", language), marked)
            setattr(self, languages.localized("toc", language), rendered.toc)
            setattr(self, languages.localized("reading_minutes", language), rendered.reading_minutes)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def image_sizes(self):
        """``{file name: (width, height)}`` of the article's images whose size is known."""
        if not self.pk:
            return {}
        images = self.images.filter(width__isnull=False).values_list("name", "width", "height")
        return {name: (width, height) for name, width, height in images}

    def revision_data(self):
        """Everything a revision keeps: each language's text, and the publishing state."""
        data = {
            name: {code: getattr(self, languages.localized(name, code)) or "" for code in languages.codes()}
            for name in self.TRANSLATED_TEXT
        }
        data["status"] = self.status
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        data["topic"] = self.topic.slug if self.topic_id else None
        return data

    def get_absolute_url(self):
        return reverse("kb:article-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return super().is_published and self.published_at is not None and self.published_at <= timezone.now()

    def version(self, language=None):
        """The text a reader of ``language`` sees, falling back to another language when it is missing."""
        language = language or languages.current()
        cache = self.__dict__.setdefault("_versions", {})
        if language not in cache:
            cache[language] = self._build_version(language)
        return cache[language]

    def _build_version(self, language):
        candidates = [language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"]]
        shown = next((code for code in candidates if self.has_text(code)), language)

        def value(name):
            return getattr(self, languages.localized(name, shown))

        return ArticleVersion(
            language=shown,
            title=value("title") or self.slug,
            summary=value("summary") or "",
            reading_minutes=value("reading_minutes") or 0,
            edited_at=value("edited_at"),
            is_fallback=shown != language,
            is_outdated=shown == language and self.translation_status(shown) == OUTDATED,
            article=self,
        )

    @property
    def current(self):
        """The version for the active language; templates use ``article.current.title``."""
        return self.version()

    def neighbours(self):
        """The published articles just before and after this one in its topic, in reading order."""
        if not self.is_published:
            return None, None
        siblings = Article.objects.published().without_bodies().filter(topic_id=self.topic_id).exclude(pk=self.pk)
        before = Q(published_at__lt=self.published_at) | Q(published_at=self.published_at, pk__lt=self.pk)
        after = Q(published_at__gt=self.published_at) | Q(published_at=self.published_at, pk__gt=self.pk)
        previous = siblings.filter(before).order_by("-published_at", "-pk").first()
        following = siblings.filter(after).order_by("published_at", "pk").first()
        return previous, following


class ArticleImage(models.Model):
    """A picture an article shows (a diagram), kept in the database so that every app server has it. Files
    are checked by kb.images when they are imported."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images", verbose_name=_("article"))
    name = models.CharField(_("file name"), max_length=100)
    content_type = models.CharField(max_length=50)
    data = models.BinaryField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the data; the ETag it is served with.")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["article", "name"]
        verbose_name = _("article image")
        verbose_name_plural = _("article images")
        constraints = [models.UniqueConstraint(fields=["article", "name"], name="image_name_unique_in_article")]

    def __str__(self):
        return f"{self.article.slug}/{self.name}"


class GlossaryTermQuerySet(models.QuerySet):
    def matching(self, text):
        """Terms whose spellings or definition hold ``text`` in any language, ignoring case."""
        condition = Q()
        for name in ("term", "aliases", "definition"):
            for code in languages.codes():
                condition |= Q(**{f"{languages.localized(name, code)}__icontains": text})
        return self.filter(condition)

    def for_topic(self, topic):
        """Terms explained in or used by a published article of ``topic``."""
        articles = Article.objects.published().filter(topic=topic)
        return self.filter(Q(pk__in=articles.values("glossary_terms")) | Q(pk__in=articles.values("glossary_uses")))

    def with_articles(self):
        """Each term's published articles, "explained in" and "used in", for the glossary pages."""
        articles = Article.objects.published().without_bodies().order_by("topic__order", "published_at", "pk")
        return self.prefetch_related(Prefetch("articles", queryset=articles), Prefetch("used_in", queryset=articles))


class GlossaryTerm(models.Model):
    """A term and its translation. Search uses the glossary to find Chinese text from English words and back."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    term = models.CharField(_("term"), max_length=200)
    aliases = models.TextField(_("other spellings"), blank=True, help_text=_("One per line."))
    definition = models.TextField(_("definition"), blank=True)
    # Everyday words ("default", "environment") stay in the glossary and in search but are not marked in the
    # text, where a mark on every section would clutter it (kb.glossary_marks).
    marked = models.BooleanField(
        _("marked in the text"),
        default=True,
        help_text=_(
            "Untick for an everyday word: it stays in the glossary and in search, but is not marked in articles."
        ),
    )
    articles = models.ManyToManyField(Article, blank=True, related_name="glossary_terms", verbose_name=_("articles"))
    # The articles whose text uses a spelling of the term: filled by kb.glossary_usage when content changes.
    used_in = models.ManyToManyField(
        Article, blank=True, editable=False, related_name="glossary_uses", verbose_name=_("used in")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = GlossaryTermQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self):
        return self.term_en or self.slug

    def get_absolute_url(self):
        return reverse("kb:glossary-term", kwargs={"slug": self.slug})

    def spellings(self, language):
        """The term and its aliases in ``language``."""
        term = getattr(self, languages.localized("term", language)) or ""
        aliases = (getattr(self, languages.localized("aliases", language)) or "").splitlines()
        return [text.strip() for text in [term, *aliases] if text.strip()]

    @property
    def other_terms(self):
        """``[(lang attribute, term)]`` in the languages other than the active one, where they differ."""
        shown = self.term
        others = [
            (languages.bcp47(code), getattr(self, languages.localized("term", code)))
            for code in languages.others(languages.current())
        ]
        return [(lang, text) for lang, text in others if text and text != shown]

    @property
    def used_elsewhere(self):
        """The articles that use the term without being listed as explaining it."""
        explained = {article.pk for article in self.articles.all()}
        return [article for article in self.used_in.all() if article.pk not in explained]


class ContentVersion(models.Model):
    """One row: how many times the content readers see has changed, and when it last did. Cached pages carry
    the number in their keys (kb.content_version), so one change makes every one of them miss."""

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"content version {self.number}"


class ArticleRevision(models.Model):
    """The text of an article as one save left it: who saved, when, what happened, and every language's
    fields. What happened is stored as an event, not as words, and described in each reader's language."""

    class Event(models.TextChoices):
        SAVED = "saved", _("Saved by a script")
        CREATED = "created", _("Created in the admin")
        EDITED = "edited", _("Edited in the admin")
        RESTORED = "restored", _("Restored an earlier revision")
        IMPORTED = "imported", _("Imported from the content files")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("saved by")
    )
    event = models.CharField(_("what happened"), max_length=20, choices=Event.choices, default=Event.SAVED)
    restored_from = models.PositiveIntegerField(_("restored revision"), null=True, blank=True)
    data = models.JSONField()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="one_revision_number_per_article")]

    def __str__(self):
        return f"{self.article} #{self.number}"

    def text(self, name, language):
        return (self.data.get(name) or {}).get(language, "")

    @property
    def description(self):
        """What happened, in the active language."""
        if self.event == self.Event.RESTORED and self.restored_from:
            return _("Restored revision %(number)s") % {"number": self.restored_from}
        return self.get_event_display()
