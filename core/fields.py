"""Input fields of the API that take exactly what the OpenAPI schema says they take.

DRF is lenient where the schema is not: it turns `5` into `"5"` for a string field, `"5"` and
`5.0` into `5` for an integer one, `"yes"` into `True`, `""` into null for a relation, checks a
length after trimming, and reads dates in several formats. A client generated from the schema
sends JSON types; anything else is a 400 naming the field, so that what the schema calls invalid
is refused (tests/test_api_fuzz.py checks both sides). Input serializers use these fields;
output serializers keep DRF's.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django_filters import fields as filter_fields
from django_filters import filters
from rest_framework import serializers
from rest_framework.fields import empty

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# RFC 3339, as the schema's `format: date-time`: seconds and an offset are part of it.
RFC3339_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


class _JSONString:
    """A string as sent: only a JSON string, and no longer than `max_length` before trimming
    (DRF would trim first and accept what the schema's maxLength forbids)."""

    default_error_messages = {"not_a_string": "Not a valid string."}

    def run_validation(self, data=empty):
        if data is not empty and data is not None:
            if not isinstance(data, str):
                self.fail("not_a_string")
            if self.max_length is not None and len(data) > self.max_length:
                self.fail("max_length", max_length=self.max_length)
        return super().run_validation(data)


class CharField(_JSONString, serializers.CharField):
    pass


class RegexField(_JSONString, serializers.RegexField):
    pass


class SlugField(_JSONString, serializers.SlugField):
    pass


class EmailField(_JSONString, serializers.EmailField):
    pass


class URLField(_JSONString, serializers.URLField):
    pass


class ChoiceField(serializers.ChoiceField):
    """One of the choices, as the string the schema's enum lists (not `1` for `"1"`)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class IntegerField(serializers.IntegerField):
    """A JSON integer: not `"5"`, `5.0` or `true`."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class BooleanField(serializers.BooleanField):
    """`true` or `false`: not `"yes"`, `1` or `"true"`."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class DateField(serializers.DateField):
    """`YYYY-MM-DD` (the schema's `format: date`), not the other forms Python reads."""

    def to_internal_value(self, value):
        if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


class DateTimeField(serializers.DateTimeField):
    """An RFC 3339 date and time with its offset, e.g. `2026-01-06T09:00:00+01:00` (the
    schema's `format: date-time`), not a date alone or a time without an offset."""

    def to_internal_value(self, value):
        if not isinstance(value, str) or not RFC3339_DATETIME.fullmatch(value):
            self.fail("invalid", format="YYYY-MM-DDThh:mm:ss[.ffffff]+HH:MM (or Z)")
        return super().to_internal_value(value.upper())  # RFC 3339 allows `t` and `z`


class SlugRelatedField(serializers.SlugRelatedField):
    """An object named by its slug: a non-empty string, or null where that is allowed.

    DRF reads `""` as null for relations; the schema says a slug (minLength 1) or null. NUL
    characters are refused before they reach the database (PostgreSQL cannot compare them: the
    lookup would be a 500 instead of a 400)."""

    default_error_messages = {
        "blank": "This field may not be blank: give a {slug_name}.",
        "blank_or_null": "This field may not be blank: give a {slug_name}, or null for none.",
        "not_a_string": "Not a valid string.",
    }

    def run_validation(self, data=empty):
        if isinstance(data, str) and data == "":
            self.fail("blank_or_null" if self.allow_null else "blank", slug_name=self.slug_field)
        return super().run_validation(data)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        if "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


# Query parameters


class _BooleanQueryValue(forms.Field):
    """A query parameter the schema types as boolean: `true` or `false` (also `True`, `False`,
    `1`, `0`, as django-filter did). Anything else is an error, where django-filter
    would quietly ignore the parameter."""

    TRUE = ("true", "True", "1")
    FALSE = ("false", "False", "0")

    def to_python(self, value):
        if value is None:
            return None
        if value in self.TRUE:
            return True
        if value in self.FALSE:
            return False
        raise ValidationError("Use true or false.", code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(filters.BooleanFilter):
    field_class = _BooleanQueryValue


class _StringQueryValue(forms.CharField):
    """Counts the length as sent, before stripping, as the schema's maxLength does."""

    def to_python(self, value):
        if self.max_length is not None and isinstance(value, str):
            MaxLengthValidator(self.max_length)(value)
        return super().to_python(value)


class CharFilter(filters.CharFilter):
    field_class = _StringQueryValue


class _PresentValue:
    """A query parameter that has a value whenever it is sent: `?severity=` is a 400, as the
    schema's enum or integer type says, where django-filter would read it as no filter."""

    def clean(self, value):
        if value == "":
            raise ValidationError("Give a value, or leave the parameter out.", code="empty")
        return super().clean(value)


class _ChoiceQueryValue(_PresentValue, filter_fields.ChoiceField):
    pass


class _ModelChoiceQueryValue(_PresentValue, filter_fields.ModelChoiceField):
    pass


class ChoiceFilter(filters.ChoiceFilter):
    field_class = _ChoiceQueryValue


class ModelChoiceFilter(filters.ModelChoiceFilter):
    field_class = _ModelChoiceQueryValue
