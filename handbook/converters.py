class PagePathConverter:
    """A page path in a URL: anything but NUL, which no page has and PostgreSQL cannot
    compare (so such a URL is a plain 404 rather than a database error)."""

    regex = "[^\x00]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
