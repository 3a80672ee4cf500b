"""What services raise when a change is refused: not allowed, or made from a stale version."""

from django.core.exceptions import PermissionDenied


class NotAllowed(PermissionDenied):
    """A refusal with its reason, and the form field it concerns when there is one.

    Views turn it into a 403 page, DRF into `403 {"detail": reason}`, and form views into an
    error on `field`, so the person sees why and keeps what they typed."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleWrite(Exception):
    """A change made from an old version of an object that has changed since.

    `current` is the object as it is now; the API answers 409 with it, a form shows both."""

    def __init__(self, message: str, *, current):
        super().__init__(message)
        self.message = message
        self.current = current
