import pytest
from django.utils import translation

from kb import glossary_index
from kb.glossary_usage import refresh_glossary_usage
from kb.models import Article, GlossaryTerm
from kb.tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


def term(slug, en, zh="", **fields):
    return GlossaryTerm.objects.create(slug=slug, term_en=en, term_zh_hant=zh, **fields)


@pytest.fixture
def terms():
    return [
        term("kubelet", "kubelet", "kubelet", definition_en="The node agent.", definition_zh_hant="節點代理程式。"),
        term("container", "container", "容器", aliases_en="containers", definition_en="A boxed process."),
        term("node", "node", "節點", definition_en="A machine in a cluster."),
        term("pod", "Pod", "Pod", definition_en="The smallest unit Kubernetes schedules."),
        term("ten-gbe", "10GbE", "10GbE", definition_en="Ten gigabit Ethernet."),
        term("bus", "bus", "匯流排", definition_en="Wires shared by devices."),
        term("package", "package", "套件", definition_en="Software in one file."),
    ]


class TestGrouping:
    def test_english_terms_are_filed_a_to_z_then_digits(self, terms):
        groups = glossary_index.by_group(terms, "en")
        assert [(group.key, [t.slug for t in members]) for group, members in groups] == [
            ("b", ["bus"]),
            ("c", ["container"]),
            ("k", ["kubelet"]),
            ("n", ["node"]),
            ("p", ["package", "pod"]),
            ("0-9", ["ten-gbe"]),
        ]
        assert groups[-1][0].label == "0–9"

    def test_chinese_terms_are_filed_by_bopomofo_in_dictionary_order_then_latin_then_digits(self, terms):
        keys = [(group.key, [t.slug for t in members]) for group, members in glossary_index.by_group(terms, "zh-hant")]
        # 匯 ㄏ, 節 ㄐ, 容 ㄖ, 套 ㄊ: ㄊ comes before ㄏ, ㄐ and ㄖ in 注音 order.
        assert keys == [
            ("ㄊ", ["package"]),
            ("ㄏ", ["bus"]),
            ("ㄐ", ["node"]),
            ("ㄖ", ["container"]),
            ("k", ["kubelet"]),
            ("p", ["pod"]),
            ("0-9", ["ten-gbe"]),
        ]

    @pytest.mark.parametrize(
        ("zh", "group"),
        [("伺服器", "ㄙ"), ("網頁伺服器", "ㄨ"), ("伺服", "ㄙ"), ("伺候", "ㄘ"), ("服務", "ㄈ")],
    )
    def test_words_are_filed_as_taiwan_reads_them(self, zh, group):
        # pypinyin reads 伺服器 as the Mainland does (cì); in Taiwan it is ㄙˋ ㄈㄨˊ ㄑㄧˋ. 伺候 stays ㄘˋ.
        assert glossary_index.group_of(term(f"t-{len(zh)}-{group}", "x", zh), "zh-hant") == group

    def test_the_starting_glossary_files_server_under_si(self, client, starting_content):
        html = client.get("/zh-hant/glossary/ㄙ/").content.decode()
        assert 'id="server"' in html and "伺服器" in html
        assert 'id="server"' not in client.get("/zh-hant/glossary/ㄘ/").content.decode()

    def test_a_term_without_chinese_is_filed_by_its_english_spelling(self):
        assert glossary_index.group_of(term("etcd", "etcd"), "zh-hant") == "e"


class TestIndex:
    def test_the_index_links_every_group_with_its_count_and_every_term(self, client, terms):
        html = client.get("/en/glossary/").content.decode()
        assert 'href="/en/glossary/p/"' in html and "2 terms" in html
        assert 'href="/en/glossary/0-9/"' in html
        for slug, group in [("pod", "p"), ("kubelet", "k"), ("ten-gbe", "0-9")]:
            assert f'id="{slug}" href="/en/glossary/{group}/#{slug}"' in html
        assert "The node agent." not in html  # definitions are on the group pages

    def test_the_chinese_index_groups_by_bopomofo(self, client, terms):
        html = client.get("/zh-hant/glossary/").content.decode()
        assert 'href="/zh-hant/glossary/%E3%84%96/"' in html  # ㄖ
        assert 'id="container" href="/zh-hant/glossary/%E3%84%96/#container">容器</a>' in html


class TestGroupPage:
    def test_lists_exactly_its_terms_with_anchors_in_both_languages(self, client, terms):
        html = client.get("/en/glossary/p/").content.decode()
        assert 'id="package"' in html and 'id="pod"' in html
        assert 'id="kubelet"' not in html and 'id="node"' not in html
        assert '<span class="glossary-other" lang="zh-Hant">套件</span>' in html

    def test_chinese_page_shows_chinese_first_and_falls_back_to_english_definitions(self, client, terms):
        html = client.get("/zh-hant/glossary/ㄖ/").content.decode()
        assert ">容器</a>" in html and '<span class="glossary-other" lang="en">container</span>' in html
        assert "A boxed process." in html
        assert "節點代理程式。" in client.get("/zh-hant/glossary/k/").content.decode()

    @pytest.mark.parametrize(
        "url", ["/en/glossary/zz/", "/en/glossary/ㄖ/", "/en/glossary/term/nothing/", "/en/glossary/q/"]
    )
    def test_unknown_groups_and_terms_are_not_found(self, client, terms, url):
        assert client.get(url).status_code == 404

    def test_a_term_has_a_stable_address_that_leads_to_its_entry(self, client, terms):
        response = client.get("/en/glossary/term/container/")
        assert response.status_code == 302 and response["Location"] == "/en/glossary/c/#container"
        response = client.get("/zh-hant/glossary/term/container/")
        assert response["Location"] == "/zh-hant/glossary/%E3%84%96/#container"
        with translation.override("en"):
            assert GlossaryTerm.objects.get(slug="pod").get_absolute_url() == "/en/glossary/term/pod/"

    def test_queries_do_not_grow_with_the_number_of_terms(self, client, django_assert_max_num_queries):
        articles = [make_article() for _ in range(3)]
        for n in range(30):
            created = term(f"word-{n}", f"word {n}", f"詞 {n}")
            created.articles.set(articles)
            created.used_in.set(articles)
        with django_assert_max_num_queries(6):
            html = client.get("/en/glossary/w/").content.decode()
        assert html.count('class="glossary-entry"') == 30
        with django_assert_max_num_queries(6):
            client.get("/en/glossary/?q=word")


class TestFilters:
    def test_search_matches_terms_aliases_and_definitions_in_either_language(self, client, terms):
        for url, found in [
            ("/en/glossary/?q=CONTAINERS", "container"),
            ("/en/glossary/?q=節點代理", "kubelet"),
            ("/zh-hant/glossary/?q=容器", "container"),
            ("/zh-hant/glossary/?q=gigabit", "ten-gbe"),
        ]:
            html = client.get(url).content.decode()
            assert f'id="{found}"' in html, url
            assert html.count('class="glossary-entry"') == 1, url

    def test_a_search_that_finds_nothing_says_so(self, client, terms):
        response = client.get("/en/glossary/?q=xyzzy")
        assert response.status_code == 200
        html = response.content.decode()
        assert "0 terms match “xyzzy”" in html and "No term matches." in html

    def test_topic_filter_keeps_the_terms_its_published_articles_explain_or_use(self, client, terms):
        topic, other = make_topic(slug="kubernetes"), make_topic()
        explained = make_article(topic=topic)
        GlossaryTerm.objects.get(slug="pod").articles.add(explained)
        GlossaryTerm.objects.get(slug="node").used_in.add(make_article(topic=topic))
        GlossaryTerm.objects.get(slug="bus").articles.add(make_article(topic=other))
        GlossaryTerm.objects.get(slug="package").articles.add(make_article(topic=topic, status=Article.Status.DRAFT))
        html = client.get("/en/glossary/?topic=kubernetes").content.decode()
        assert 'id="pod"' in html and 'id="node"' in html
        assert 'id="bus"' not in html and 'id="package"' not in html
        # An unknown topic is ignored: the whole index.
        assert 'id="bus"' in client.get("/en/glossary/?topic=nope").content.decode()


class TestUsedIn:
    def test_import_fills_used_in(self, starting_content):
        pod = GlossaryTerm.objects.get(slug="pod")
        assert pod.used_in.filter(slug="kubernetes-building-blocks").exists()

    def test_spelling_rules(self, terms):
        article = make_article(
            body_en="A Kubelet runs. The pod word is lowercase. `container` in code.\n\n```\nnode\n```\n",
            body_zh_hant="每個Pod都有匯流排。",
        )
        refresh_glossary_usage()
        used = set(article.glossary_uses.values_list("slug", flat=True))
        # kubelet: any case; Pod: only with its capital (found in the Chinese text, against a character);
        # container and node only appear in code; 匯流排 is found inside a sentence.
        assert used == {"kubelet", "pod", "bus"}

    def test_an_admin_edit_of_an_article_refreshes_used_in(self, client, instructor, terms):
        article = make_article()
        client.force_login(instructor)
        data = {
            "slug": article.slug,
            "topic": article.topic_id,
            "status": article.status,
            "published_at_0": article.published_at.strftime("%Y-%m-%d"),
            "published_at_1": article.published_at.strftime("%H:%M:%S"),
            "title_en": article.title_en,
            "title_zh_hant": article.title_zh_hant,
            "body_en": "Every node runs a kubelet.",
            "body_zh_hant": article.body_zh_hant,
            "loaded_revision": article.revision,
        }
        response = client.post(f"/admin/kb/article/{article.pk}/change/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert set(article.glossary_uses.values_list("slug", flat=True)) == {"node", "kubelet"}
        html = client.get("/en/glossary/k/").content.decode()
        assert f'href="{article.get_absolute_url()}"' in html

    def test_an_admin_edit_of_a_term_refreshes_used_in(self, client, instructor):
        article = make_article(body_en="Tune the scheduler.")
        client.force_login(instructor)
        response = client.post(
            "/admin/kb/glossaryterm/add/",
            {"slug": "scheduler", "term_en": "scheduler", "term_zh_hant": "排程器", "marked": "on"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert list(GlossaryTerm.objects.get(slug="scheduler").used_in.all()) == [article]

    def test_drafts_never_appear_to_readers(self, client, terms):
        draft = make_article(status=Article.Status.DRAFT, title_en="Secret draft", body_en="A kubelet.")
        kubelet = GlossaryTerm.objects.get(slug="kubelet")
        kubelet.articles.add(draft)
        refresh_glossary_usage()
        assert kubelet.used_in.filter(pk=draft.pk).exists()
        for url in ("/en/glossary/k/", "/en/glossary/?q=kubelet"):
            assert "Secret draft" not in client.get(url).content.decode()


def test_the_sitemap_lists_the_group_pages(client, terms):
    xml = client.get("/sitemap.xml").content.decode()
    assert "/en/glossary/k/" in xml and "/zh-hant/glossary/%E3%84%96/" in xml


def test_old_links_to_a_term_on_the_single_page_still_find_it(client, terms):
    html = client.get("/en/glossary/").content.decode()
    assert 'id="kubelet"' in html and "js/glossary.js" in html
