"""Readable, unique slugs from any title: Chinese stays Chinese, emoji become their names."""

import unicodedata

from django.utils.text import slugify


def readable_slug(text, max_length=100):
    base = slugify(text or "", allow_unicode=True)
    if not base:
        # Only symbols (🐳🚀): use the characters' Unicode names, "spouting-whale-rocket".
        names = [unicodedata.name(char, "") for char in text or "" if not char.isspace()]
        base = slugify(" ".join(name for name in names if name), allow_unicode=True)
    return base[:max_length].strip("-")


def unique_slug(model, text, *, exclude_pk=None, fallback="page"):
    field = model._meta.get_field("slug")
    base = readable_slug(text, field.max_length - 4) or fallback
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
