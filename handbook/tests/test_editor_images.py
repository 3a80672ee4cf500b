"""Images in pages: uploaded (or pasted) in the editor, checked, stored with the default
storage under the team's folder, and served only to people who may read the page."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.tests.factories import UserFactory
from handbook.models import PageImage
from handbook.services.images import image_type_sniff
from handbook.tests.factories import MembershipFactory, TeamFactory, make_page
from handbook.tests.matrix_rows import PNG_PIXEL

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(team_member):
    _, team = team_member
    return make_page("eng/delivery/processes", "# Processes\n", team=team)


def _upload(client, url, content=PNG_PIXEL, name="Release flow.png", **fields):
    file = SimpleUploadedFile(name, content, content_type="image/png")
    return client.post(url, {"image": file, **fields})


def test_an_uploaded_image_is_stored_for_the_team_and_linked(member_client, page):
    response = _upload(member_client, f"/handbook/-/images/upload/{page.path}")
    assert response.status_code == 201
    image = PageImage.objects.get()
    url = f"/handbook/-/images/{image.pk}"
    assert response.json() == {"url": url, "markdown": f"![Release flow]({url})"}
    assert image.file.name.startswith("handbook/images/delivery/")
    assert image.file.name.endswith(".png")
    assert default_storage.exists(image.file.name)
    assert (image.content_type, image.size, image.page) == ("image/png", len(PNG_PIXEL), page)


def test_the_image_is_served_to_readers_and_not_to_anonymous_visitors(member_client, page):
    _upload(member_client, f"/handbook/-/images/upload/{page.path}")
    url = PageImage.objects.get().get_absolute_url()

    reader = Client()
    reader.force_login(UserFactory())  # in no team, as any reader of the handbook
    response = reader.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG_PIXEL

    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")
    assert Client().get(url, follow=True).content.find(PNG_PIXEL) == -1


def test_no_public_media_url_serves_the_file(member_client, page):
    _upload(member_client, f"/handbook/-/images/upload/{page.path}")
    name = PageImage.objects.get().file.name
    assert Client().get(f"/media/{name}").status_code in (302, 404)
    assert member_client.get(f"/media/{name}").status_code == 404


def test_a_missing_image_is_a_404(member_client):
    assert member_client.get("/handbook/-/images/999999").status_code == 404


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"just some text", "notes.png"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "drawing.svg"),
        (b"%PDF-1.7 a document", "slides.pdf"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused_by_field(member_client, page, content, name):
    response = _upload(member_client, f"/handbook/-/images/upload/{page.path}", content, name)
    assert response.status_code == 400
    assert list(response.json()) == ["image"]
    assert "Not an image the handbook can show" in response.json()["image"][0]
    assert not PageImage.objects.exists()


def test_a_too_big_image_is_refused(member_client, page, settings):
    settings.HANDBOOK_IMAGE_MAX_BYTES = 1024 * 1024
    big = PNG_PIXEL + b"\0" * (1024 * 1024)
    response = _upload(member_client, f"/handbook/-/images/upload/{page.path}", big)
    assert response.status_code == 400
    assert response.json() == {"image": ["The image is larger than 1 MB; make it smaller."]}


def test_no_file_is_a_400_naming_the_field(member_client, page):
    response = member_client.post(f"/handbook/-/images/upload/{page.path}", {})
    assert response.status_code == 400
    assert response.json() == {"image": ["Choose an image to upload."]}


def test_another_team_may_not_add_images_to_a_page(client, page):
    stranger = UserFactory()
    MembershipFactory(team=TeamFactory(), user=stranger)
    client.force_login(stranger)
    assert _upload(client, f"/handbook/-/images/upload/{page.path}").status_code == 403
    assert not PageImage.objects.exists()


def test_a_new_page_needs_its_team_chosen_first(member_client, team_member):
    response = _upload(member_client, "/handbook/-/images/upload")
    assert response.status_code == 403
    assert "Choose the page's team first" in response.json()["team"][0]
    response = _upload(member_client, "/handbook/-/images/upload", team=team_member[1].pk)
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (PNG_PIXEL, "image/png"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\0\x01\0", "image/gif"),
        (b"RIFF\x24\0\0\0WEBPVP8 ", "image/webp"),
        (b"<svg", None),
        (b"", None),
    ],
)
def test_image_types_are_told_by_their_first_bytes(head, kind):
    assert image_type_sniff(head[:16]) == kind


def test_deleting_an_image_removes_its_file(
    member_client, page, django_capture_on_commit_callbacks
):
    from handbook import services

    _upload(member_client, f"/handbook/-/images/upload/{page.path}")
    image = PageImage.objects.get()
    name = image.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.page_image_delete(image=image)
    assert not PageImage.objects.exists()
    assert not default_storage.exists(name)
    assert member_client.get(f"/handbook/-/images/{image.pk}").status_code == 404


def test_the_admin_lists_images_and_refuses_to_add_one(admin_client, member_client, page):
    _upload(member_client, f"/handbook/-/images/upload/{page.path}")
    image = PageImage.objects.get()
    assert admin_client.get("/admin/handbook/pageimage/").status_code == 200
    assert admin_client.get("/admin/handbook/pageimage/add/").status_code == 403
    assert admin_client.get(f"/admin/handbook/pageimage/{image.pk}/change/").status_code == 200
