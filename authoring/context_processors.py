from django.utils.functional import SimpleLazyObject

from authoring import translations_to_do


def instructor_tools(request):
    """``translations_to_do``, the number the header's instructor menu shows. It is counted (one query) only
    when a template reads it, which the header does for authors alone."""
    return {"translations_to_do": SimpleLazyObject(translations_to_do.count)}
