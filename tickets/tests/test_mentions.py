"""Reading mentions from a ticket's text: keys, and links that name handbook pages."""

import pytest

from tickets import mentions


def test_a_key_parses_only_as_the_app_writes_it():
    assert mentions.key_parse("DEL-42") == ("DEL", 42)
    for key in ("del-42", "DEL-042", "DEL-0", "D-1", "DEL-42x", "DEL 42", "DEL-99999999999"):
        assert mentions.key_parse(key) is None, key


def test_keys_are_found_in_text_once_each_in_order():
    text = "After OPS-7 (and DEL-42, DEL-42 again), not XDEL-1x, del-3, UTF-8x or DEL-4200000000."
    assert mentions.ticket_keys(text) == [("OPS", 7), ("DEL", 42)]


@pytest.mark.parametrize(
    ("href", "path"),
    [
        ("/handbook/ops/runbook", "ops/runbook"),
        ("/handbook/ops/runbook#restart", "ops/runbook"),
        ("/handbook/ops/on%20call", "ops/on call"),
        ("http://127.0.0.1:8000/handbook/ops/runbook", "ops/runbook"),  # SITE_URL in tests
        ("ops/runbook.md", "ops/runbook"),
        ("ops/", "ops/index"),
        ("https://elsewhere.example/handbook/ops/runbook", None),
        ("//elsewhere.example/handbook/ops/runbook", None),
        ("/handbook/", None),
        ("/handbook/-/edit/ops/runbook", None),
        ("/boards/1/", None),
        ("#section", None),
        ("../../etc/passwd.md", None),
        ("logs.txt", None),
        ("mailto:ops@example.com", None),
    ],
)
def test_a_link_names_a_handbook_page(href, path, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert mentions.page_path_of(href) == path


def test_page_links_are_read_from_markdown_links_and_bare_urls(settings):
    settings.SITE_URL = "https://bosun.example"
    text = (
        "See [the runbook](/handbook/ops/runbook), https://bosun.example/handbook/ops/setup "
        'and <a href="ops/faq.md">the FAQ</a>; `/handbook/in/code` is no link.'
    )
    assert mentions.page_paths(text) == ["ops/runbook", "ops/setup", "ops/faq"]
