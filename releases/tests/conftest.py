import pytest

from accounts.tests.factories import UserFactory


@pytest.fixture
def people(db):
    """Four engineers, A to D."""
    return [UserFactory(username=name, display_name=name.upper()) for name in ("a", "b", "c", "d")]
