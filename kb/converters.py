class UnicodeSlugConverter:
    """``<uslug:slug>``: slugs may hold Chinese characters (``allow_unicode=True`` on the model fields)."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
