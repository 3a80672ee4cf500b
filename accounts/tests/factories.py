import factory

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    # Not Faker's names: people's names are words of the search dictionary, which decides how
    # many queries the switcher and the link picker make; a random name would make those
    # counts vary from run to run.
    display_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    timezone = "Europe/Berlin"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    is_superuser = True
