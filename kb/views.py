from hashlib import md5
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_GET, require_POST

from kb import content_version, glossary_index, languages, sections, services
from kb.context_processors import GLOSSARY_MARKS_COOKIE, THEME_COOKIE, THEMES
from kb.diff import line_diff
from kb.forms import GlossaryFilterForm, SearchForm
from kb.markup import MarkupError, render_markdown
from kb.models import Article, ArticleImage, ArticleRevision, GlossaryTerm, Tag, Topic
from kb.permissions import authors_only, can_author
from search import documents as search_documents
from search.query import search


def _page(request, queryset):
    return Paginator(queryset, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


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
    article = _visible_article(request.user, slug)
    # Read only when the page's content is rendered, not when it comes from the fragment cache: the body
    # and contents (most of the row, and most of the database's work), the neighbours, and the quiz (which
    # the template asks quizzes for).
    context = {
        "article": article,
        "version": article.current,
        "neighbours": SimpleLazyObject(article.neighbours),
    }
    return render(request, "kb/article_detail.html", context)


def _visible_article(user, slug):
    """The article ``user`` may read, without its long fields, kept per content version and author rights
    (which decide what is visible): with the page's content in the fragment cache, a signed-in reader's
    page then asks the database for nothing but the session and the user."""
    key = f"article:{content_version.current().key}:{can_author(user):d}:{md5(slug.encode()).hexdigest()}"
    article = caches["pages"].get(key)
    if article is None:
        articles = Article.objects.visible_to(user).select_related("topic").without_bodies()
        article = get_object_or_404(articles, slug=slug)
        caches["pages"].set(key, article, settings.PAGE_CACHE_SECONDS)
    return article


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


def _back(request, target):
    """A redirect to ``target`` when it is a page of this site, otherwise to the home page."""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    return redirect(target)


@csrf_exempt
@require_POST
def glossary_marks_setting(request):
    """Turn the glossary marks in articles on or off for this browser, then go back to the page.

    Without CSRF protection on purpose: the form sits on every article and lesson page, and a token would
    make each of those pages one browser's own, never shared from the cache (config.page_cache). All a
    forged request can do is switch the hints of the browser that sends it, which the reader switches back."""
    response = _back(request, request.POST.get("next", ""))
    if request.POST.get("show") == "off":
        response.set_cookie(
            GLOSSARY_MARKS_COOKIE, "off", max_age=365 * 24 * 60 * 60, samesite="Lax", secure=request.is_secure()
        )
    else:
        response.delete_cookie(GLOSSARY_MARKS_COOKIE, samesite="Lax")
    return response


@require_GET
def theme_setting(request):
    """Remember the reader's colours (light, dark, or automatic: any other value) in a cookie, then go back
    to the page. A GET form, so the header needs no CSRF token; it changes nothing but this browser's cookie.
    static/js/site.js switches at once without coming here."""
    response = _back(request, request.GET.get("next", ""))
    chosen = request.GET.get("theme")
    if chosen in THEMES:
        response.set_cookie(
            THEME_COOKIE, chosen, max_age=365 * 24 * 60 * 60, samesite="Lax", secure=request.is_secure()
        )
    else:
        response.delete_cookie(THEME_COOKIE, samesite="Lax")
    return response


def glossary(request):
    """The index: every group with its count and its terms as links; or, asked with ``q`` or ``topic``,
    the matching terms in full."""
    language = languages.current()
    form = GlossaryFilterForm(request.GET or None)
    # The index is read only when the page renders it, not when it comes from the fragment cache.
    index = SimpleLazyObject(lambda: glossary_index.by_group(_index_terms(language), language))
    matches = None
    if form.is_bound and form.filters:
        terms = GlossaryTerm.objects.with_articles()
        if form.cleaned_data["q"]:
            terms = terms.matching(form.cleaned_data["q"])
        if form.cleaned_data["topic"]:
            terms = terms.for_topic(form.cleaned_data["topic"])
        matches = sorted(terms, key=lambda term: glossary_index.sort_key(term, language))
    groups = SimpleLazyObject(lambda: [group for group, _terms in index])
    context = {"form": form, "index": index, "groups": groups, "matches": matches}
    return render(request, "kb/glossary.html", context)


def glossary_group(request, group):
    language = languages.current()
    index = glossary_index.by_group(_index_terms(language), language)
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


@require_POST
@authors_only
def markdown_preview(request):
    """Markdown rendered exactly as the public page renders it (same renderer, same sanitizer)."""
    text = request.POST.get("text", "")
    language = request.POST.get("language", "en")
    if language not in languages.codes():
        return JsonResponse({"error": _("Unknown language.")}, status=400)
    if "\x00" in text:
        return JsonResponse({"error": _("This text contains a NUL character.")}, status=400)
    # Images named by file are the article's own: shown from its images when the article exists.
    article = request.POST.get("article", "")
    if not (article and Article.objects.filter(slug=article).exists()):
        article = None
    try:
        rendered = render_markdown(text, language=language, article=article)
    except MarkupError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"html": rendered.html})


@authors_only
def article_history(request, slug):
    article = get_object_or_404(Article, slug=slug)
    revisions = list(article.revisions.select_related("author"))
    numbers = [revision.number for revision in revisions]
    try:
        newer = int(request.GET.get("b", numbers[0] if numbers else 0))
        older = int(request.GET.get("a", numbers[1] if len(numbers) > 1 else newer))
    except ValueError:
        messages.error(request, _("Choose two revisions from the list to compare."))
        newer = older = numbers[0] if numbers else 0
    by_number = {revision.number: revision for revision in revisions}
    comparison = []
    if older in by_number and newer in by_number:
        for name in Article.TRANSLATED_TEXT:
            for code in languages.codes():
                lines = line_diff(by_number[older].text(name, code), by_number[newer].text(name, code))
                if lines:
                    comparison.append({"field": name, "language": code, "lines": lines})
    elif numbers:
        messages.error(request, _("There is no such revision; showing the latest two."))
    return render(
        request,
        "kb/article_history.html",
        {
            "article": article,
            "revisions": revisions,
            "older": by_number.get(older),
            "newer": by_number.get(newer),
            "comparison": comparison,
        },
    )


@require_POST
@authors_only
def article_restore(request, slug, number):
    article = get_object_or_404(Article, slug=slug)
    revision = get_object_or_404(ArticleRevision, article=article, number=number)
    services.article_restore(article=article, revision=revision, editor=request.user)
    messages.success(
        request,
        _("Revision %(number)s is restored as revision %(new)s.") % {"number": number, "new": article.revision},
    )
    return redirect(reverse("kb:article-history", kwargs={"slug": article.slug}))


def _index_terms(language):
    """Every term's id, slug and spellings, as the index needs them: plain rows rather than model instances,
    which cost most of the glossary page when it lists hundreds of terms."""
    rows = GlossaryTerm.objects.values("pk", "slug", *_term_fields())
    terms = [SimpleNamespace(**row) for row in rows]
    for term in terms:
        term.term = glossary_index.term_text(term, language)
    return terms
