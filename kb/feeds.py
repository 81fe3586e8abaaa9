from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from kb import languages
from kb.models import Article

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    """The newest articles as an Atom feed, one per language (``/en/feed/``, ``/zh-hant/feed/``)."""

    feed_type = Atom1Feed
    author_name = "InfraLearn"  # RFC 4287: a feed whose entries may have no author names one

    def title(self):
        return _("InfraLearn: newest articles")

    def subtitle(self):
        return _("Containers, Kubernetes, infrastructure as code and PC hardware, in English and Chinese.")

    def link(self):
        return reverse("home")

    def feed_url(self):
        return reverse("kb:feed")

    @property
    def language(self):
        return languages.bcp47(languages.current())

    def items(self):
        return Article.objects.published().select_related("topic", "author")[:FEED_SIZE]

    def item_title(self, item):
        return item.current.title

    def item_description(self, item):
        return item.current.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.get_full_name() or item.author.get_username() if item.author else None

    def item_categories(self, item):
        return [item.topic.name]
