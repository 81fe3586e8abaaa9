from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import condition, require_POST

from courses.models import Course
from kb import glossary_index, languages, sections
from kb.context_processors import GLOSSARY_MARKS_COOKIE
from kb.forms import GlossaryFilterForm, SearchForm
from kb.models import Article, ArticleImage, GlossaryTerm, Tag, Topic
from search import documents as search_documents
from search.query import search


def _page(request, queryset):
    return Paginator(queryset, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


def home(request):
    published = Q(articles__status=Article.Status.PUBLISHED, articles__published_at__lte=timezone.now())
    topics = Topic.objects.annotate(article_count=Count("articles", filter=published))
    newest = Article.objects.published().for_listing()[:6]
    courses = Course.objects.published().select_related("topic").with_lesson_counts()[:4]
    return render(request, "kb/home.html", {"topics": topics, "newest": newest, "courses": courses})


def article_list(request):
    page = _page(request, Article.objects.published().for_listing())
    return render(request, "kb/article_list.html", {"page": page})


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    articles = Article.objects.published().filter(topic=topic).for_listing().order_by("published_at", "pk")
    return render(request, "kb/topic_detail.html", {"topic": topic, "page": _page(request, articles)})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().filter(tags=tag).for_listing()
    return render(request, "kb/tag_detail.html", {"tag": tag, "page": _page(request, articles)})


def article_detail(request, slug):
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("topic", "author").prefetch_related("tags"),
        slug=slug,
    )
    previous, following = article.neighbours()
    quiz = article.quizzes.published().first()
    return render(
        request,
        "kb/article_detail.html",
        {"article": article, "version": article.current, "previous": previous, "following": following, "quiz": quiz},
    )


def article_side_by_side(request, slug):
    """The article in both languages, section beside section, the page's language first."""
    article = get_object_or_404(Article.objects.visible_to(request.user).select_related("topic"), slug=slug)
    first = article.version(languages.current())
    second = article.version(languages.others(first.language)[0])
    context = {
        "article": article,
        "first": first,
        "second": second,
        "parts": [] if first.is_fallback or second.is_fallback else [sections.part(first, second)],
        "back": article.get_absolute_url(),
    }
    return render(request, "kb/side_by_side.html", context)


@condition(etag_func=lambda request, slug, name: _image_digest(request, slug, name))
def article_image(request, slug, name):
    """One of an article's images, to readers who may read the article. An SVG opened on its own gets a
    policy that lets nothing in it run or load."""
    image = get_object_or_404(
        ArticleImage.objects.select_related("article").filter(article__in=Article.objects.visible_to(request.user)),
        article__slug=slug,
        name=name,
    )
    response = HttpResponse(bytes(image.data), content_type=image.content_type)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "public, max-age=3600" if image.article.is_published else "private, no-store"
    return response


def _image_digest(request, slug, name):
    return ArticleImage.objects.filter(article__slug=slug, name=name).values_list("digest", flat=True).first()


def search_page(request):
    form = SearchForm(request.GET or None)
    results = None
    topic_facets, kind_facets = [], []
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        results = search(
            data["q"],
            language=languages.current(),
            topic=data["topic"].pk if data["topic"] else None,
            kind=data["kind"],
            page=request.GET.get("page"),
        )
        # Topics are few: every one, for the hits and the filters.
        topics = Topic.objects.in_bulk() if results.by_topic else {}
        for hit in results.hits:
            hit.topic = topics.get(hit.topic_id)
        topic_facets = sorted(
            ((topics[pk], count) for pk, count in results.by_topic.items() if pk in topics),
            key=lambda item: (item[0].order, item[0].slug),
        )
        kind_facets = [(value, label, results.by_kind.get(value, 0)) for value, label in search_documents.choices()]
    context = {"form": form, "results": results, "topic_facets": topic_facets, "kind_facets": kind_facets}
    return render(request, "kb/search.html", context)


@require_POST
def glossary_marks_setting(request):
    """Turn the glossary marks in articles on or off for this browser, then go back to the page."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("kb:home")
    response = redirect(target)
    if request.POST.get("show") == "off":
        response.set_cookie(
            GLOSSARY_MARKS_COOKIE, "off", max_age=365 * 24 * 60 * 60, samesite="Lax", secure=request.is_secure()
        )
    else:
        response.delete_cookie(GLOSSARY_MARKS_COOKIE, samesite="Lax")
    return response


def glossary(request):
    """The index: every group with its count and its terms as links; or, asked with ``q`` or ``topic``,
    the matching terms in full."""
    language = languages.current()
    form = GlossaryFilterForm(request.GET or None)
    index = glossary_index.by_group(GlossaryTerm.objects.only("slug", *_term_fields()), language)
    matches = None
    if form.is_bound and form.filters:
        terms = GlossaryTerm.objects.with_articles()
        if form.cleaned_data["q"]:
            terms = terms.matching(form.cleaned_data["q"])
        if form.cleaned_data["topic"]:
            terms = terms.for_topic(form.cleaned_data["topic"])
        matches = sorted(terms, key=lambda term: glossary_index.sort_key(term, language))
    context = {"form": form, "index": index, "groups": [group for group, _terms in index], "matches": matches}
    return render(request, "kb/glossary.html", context)


def glossary_group(request, group):
    language = languages.current()
    index = glossary_index.by_group(GlossaryTerm.objects.only("slug", *_term_fields()), language)
    found = next((found for found in index if found[0].key == group), None)
    if found is None:
        raise Http404("No such glossary group.")
    current, members = found
    terms = GlossaryTerm.objects.with_articles().in_bulk([term.pk for term in members])
    return render(
        request,
        "kb/glossary_group.html",
        {"group": current, "groups": [entry[0] for entry in index], "terms": [terms[term.pk] for term in members]},
    )


def glossary_term(request, slug):
    """A stable address for one term: the group page it is on, at its entry."""
    term = get_object_or_404(GlossaryTerm.objects.only("slug", *_term_fields()), slug=slug)
    group = glossary_index.group_of(term, languages.current())
    return redirect(reverse("kb:glossary-group", kwargs={"group": group}) + f"#{term.slug}")


def _term_fields():
    return [languages.localized("term", code) for code in languages.codes()]
