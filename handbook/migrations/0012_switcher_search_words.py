"""The quick switcher finds mistyped names through the search dictionary (handbook.SearchWord),
which from now on holds the words of active people's names and of team names as well: add
those of the people and teams already there (later saves add their own)."""

from django.db import migrations

from handbook.selectors.spelling import text_words

NAME_FIELDS = ("username", "display_name", "first_name", "last_name")


def add_name_words(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Team = apps.get_model("handbook", "Team")
    SearchWord = apps.get_model("handbook", "SearchWord")
    words: set[str] = set()
    for values in User.objects.filter(is_active=True).values_list(*NAME_FIELDS).iterator():
        words |= text_words(" ".join(value for value in values if value))
    for name, slug in Team.objects.values_list("name", "slug").iterator():
        words |= text_words(f"{name} {slug}")
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in sorted(words)], ignore_conflicts=True, batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_switcher_indexes"),
        ("handbook", "0011_page_switcher_indexes"),
    ]

    operations = [migrations.RunPython(add_name_words, migrations.RunPython.noop)]
