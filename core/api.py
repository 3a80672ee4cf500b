"""Project-wide API conventions: pagination and the error format of docs/api.md."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination
from rest_framework.views import exception_handler as drf_exception_handler

POSITIVE_INTEGER = re.compile(r"[0-9]+")
# Longer numbers are as good as infinite here (and `int()` refuses very long ones).
LARGEST_PAGE_NUMBER = 10**18


class Pagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`, both positive integers (a 400 naming the parameter otherwise,
    instead of DRF's silent fallback); a `page_size` above the maximum counts as the maximum,
    and a page past the end is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()
    page_size_query_description = (
        f"Results per page, at most {max_page_size} (a larger number counts as {max_page_size})."
    )

    def get_page_size(self, request):
        size = _positive_query_integer(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_page_number(self, request, paginator=None):
        return self.requested_page(request)

    def requested_page(self, request) -> int:
        number = _positive_query_integer(request, self.page_query_param)
        return 1 if number is None else number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters


def _positive_query_integer(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    digits = raw.lstrip("0")
    if not POSITIVE_INTEGER.fullmatch(raw) or not digits:
        raise exceptions.ValidationError({name: ["Give a whole number of at least 1."]})
    return LARGEST_PAGE_NUMBER if len(digits) > 18 else int(digits)


def exception_handler(exc, context):
    """Turn model/service validation errors into `400 {"field": ["message"]}`."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)
