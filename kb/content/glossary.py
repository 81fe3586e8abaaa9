"""The glossary as a file: ``content/glossary.yaml``, every term in both languages."""

from dataclasses import dataclass

from kb import languages
from kb.content.files import dump_yaml, save, texts, translated
from kb.models import Article, GlossaryTerm
from search.synonyms import key

GLOSSARY_FILE = "glossary.yaml"
KEYS = ("slug", "term", "aliases", "definition", "mark", "articles")


@dataclass
class TermData:
    slug: str
    term: dict
    aliases: dict  # language -> [spellings]
    definition: dict
    articles: list
    mark: bool = True  # false: an everyday word, not marked in the text (kb.glossary_marks)


class GlossarySection:
    def read(self, reader):
        path = reader.root / GLOSSARY_FILE
        if not path.exists():
            return []
        entries, seen = [], set()
        for index, entry in enumerate(reader.yaml_list(path), start=1):
            slug = reader.slug(path, entry.get("slug"), f"glossary entry #{index}")
            if slug is None:
                continue
            if slug in seen:
                reader.problem(path, f"glossary entry {slug!r} is listed twice.")
                continue
            seen.add(slug)
            what = f"glossary entry {slug!r}"
            if reader.unknown_keys(path, entry, KEYS, what):
                continue
            term = reader.translations(path, entry.get("term"), f"{what} term", required=True, max_length=200)
            definition = reader.translations(path, entry.get("definition"), f"{what} definition", required=False)
            aliases = self.read_aliases(reader, path, entry.get("aliases"), what)
            articles = entry.get("articles") or []
            if not isinstance(articles, list) or not all(isinstance(a, str) for a in articles):
                reader.problem(path, f"{what}: articles must be a list of article slugs.")
                continue
            mark = entry.get("mark", True)
            if not isinstance(mark, bool):
                reader.problem(path, f"{what}: mark must be true or false, not {mark!r}.")
                continue
            if term and aliases is not None:
                entries.append(TermData(slug, term, aliases, definition, articles, mark))
        return entries

    def read_aliases(self, reader, path, value, what):
        if value is None:
            return {}
        if not isinstance(value, dict) or set(map(str, value)) - set(languages.codes()):
            reader.problem(path, f"{what}: aliases map language codes to lists of spellings.")
            return None
        aliases = {}
        for code, spellings in value.items():
            if not isinstance(spellings, list) or not all(isinstance(s, str) for s in spellings or []):
                reader.problem(path, f"{what}: aliases ({code}) must be a list of spellings.")
                return None
            aliases[code] = [s.strip() for s in spellings if s.strip()]
        return aliases

    def check(self, reader, entries, known):
        where = reader.root / GLOSSARY_FILE
        owners = {}
        for entry in entries:
            for slug in entry.articles:
                if slug not in known["articles"]:
                    reader.problem(where, f"glossary entry {entry.slug!r}: unknown article {slug}")
            # Search looks spellings up without case or punctuation (search.synonyms.key): two entries
            # that share a key would make a search for one also find the other, such as b (bit) and B (byte).
            spellings = [*entry.term.values(), *(s for group in entry.aliases.values() for s in group)]
            for spelling in spellings:
                other = owners.setdefault(key(spelling), (entry.slug, spelling))
                if other[0] != entry.slug:
                    reader.problem(
                        where,
                        f"glossary entry {entry.slug!r}: {spelling!r} reads the same to search as {other[1]!r} of "
                        f"{other[0]!r} (search ignores case and punctuation); aliases must be exact synonyms.",
                    )

    def write(self, entries, report):
        article_ids = dict(Article.objects.values_list("slug", "id"))
        existing = GlossaryTerm.objects.prefetch_related("articles").in_bulk(field_name="slug")
        for data in entries:
            term = existing.get(data.slug)
            is_new = term is None
            term = term or GlossaryTerm(slug=data.slug)
            values = {
                **translated("term", data.term),
                **translated("aliases", {code: "\n".join(spellings) for code, spellings in data.aliases.items()}),
                **translated("definition", data.definition),
                "marked": data.mark,
            }
            saved = save("glossary terms", term, values, report, is_new=is_new)
            wanted = {article_ids[slug] for slug in data.articles}
            if is_new or wanted != {article.pk for article in term.articles.all()}:
                term.articles.set(wanted)
                if not saved:
                    report.count("unchanged", "glossary terms", by=-1)
                    report.count("updated", "glossary terms")

    def export(self, root):
        terms = list(GlossaryTerm.objects.prefetch_related("articles").order_by("slug"))
        if not terms:
            return 0
        data = []
        for term in terms:
            entry = {"slug": term.slug, "term": texts(term, "term")}
            aliases = {code: text.splitlines() for code, text in texts(term, "aliases").items()}
            if aliases:
                entry["aliases"] = aliases
            if definition := texts(term, "definition"):
                entry["definition"] = definition
            if not term.marked:
                entry["mark"] = False
            entry["articles"] = sorted(article.slug for article in term.articles.all())
            data.append(entry)
        (root / GLOSSARY_FILE).write_text(dump_yaml(data, flow=False), encoding="utf-8")
        return 1
