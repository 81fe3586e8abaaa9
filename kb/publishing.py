"""Publishing: content that is written as a draft and shown to readers once it is published.

Articles, courses and quizzes inherit ``Publishable`` and read through ``PublishableQuerySet``; an article
adds a publication time, which may lie in the future (it is then scheduled, and readers see it from then on).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kb.permissions import can_author


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Publishable.Status.PUBLISHED)

    def visible_to(self, user):
        """Authors see drafts too (to preview them); everybody else sees published content only."""
        return self.all() if can_author(user) else self.published()


class Publishable(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED
