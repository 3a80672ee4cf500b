from django import forms

from accounts.models import validate_timezone

from .models import Membership, Page, Team, validate_page_path


class PageSearchForm(forms.Form):
    # CharField refuses NUL characters, which PostgreSQL cannot take in a query.
    q = forms.CharField(required=False, max_length=500, strip=True)
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="All teams",
        error_messages={"invalid_choice": "No team has this slug."},
    )
    # The words as typed, without correcting the ones no page uses.
    verbatim = forms.BooleanField(required=False)


class PageForm(forms.Form):
    path = forms.CharField(
        max_length=300,
        validators=[validate_page_path],
        help_text="Folders and a page name, e.g. engineering/delivery/processes.",
    )
    title = forms.CharField(max_length=200)
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, help_text="The owning team."
    )
    review_by = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="When someone should check the page is still true.",
    )
    # The text as typed: stripping its last newline would make every web save change the
    # page's last line (and a concurrent edit of it a conflict).
    markdown = forms.CharField(
        required=False, strip=False, widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"})
    )
    # Kept with the revision (simple-history's change reason) and shown in the history.
    change_summary = forms.CharField(
        max_length=100,
        required=False,
        label="Change summary",
        help_text="What you changed and why, in a few words; shown in the page's history.",
    )
    # The version the text was loaded from (0 for a new page): saving over a newer one shows
    # the conflict instead of overwriting it.
    base_version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, page: Page | None = None, **kwargs):
        self.page = page
        super().__init__(*args, **kwargs)
        if page is not None:
            # The path changes only through "Move", which keeps the old address working.
            self.fields["path"].disabled = True
            self.fields["path"].initial = page.path

    def clean_path(self):
        path = self.cleaned_data["path"]
        if self.page is None and Page.objects.filter(path=path).exists():
            raise forms.ValidationError("A page with this path already exists.")
        return path


class PageMoveForm(forms.Form):
    new_path = forms.CharField(max_length=300, validators=[validate_page_path])

    def clean_new_path(self):
        path = self.cleaned_data["new_path"]
        if Page.objects.filter(path=path).exists():
            raise forms.ValidationError("A page with this path already exists.")
        return path


class ReviewForm(forms.Form):
    # A date input takes and gives ISO dates whatever the site's language: the proposed date
    # must be written that way or the browser shows it empty.
    review_by = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class PeopleFilterForm(forms.Form):
    """The directory's filters; each may be left empty. Time zones offered are those people
    are in (`timezones`), any IANA zone is accepted."""

    q = forms.CharField(required=False, max_length=100, strip=True, label="Name")
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="All teams",
        error_messages={"invalid_choice": "No team has this slug."},
    )
    role = forms.ChoiceField(
        choices=[("", "Any role"), *Membership.Role.choices],
        required=False,
        error_messages={"invalid_choice": "Not a role: choose one of the list."},
    )
    timezone = forms.CharField(
        required=False,
        max_length=64,
        validators=[validate_timezone],
        label="Time zone",
        widget=forms.Select,
    )

    def __init__(self, *args, timezones: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].widget.choices = [("", "Any time zone")] + [
            (zone, zone) for zone in timezones
        ]

    def filters(self) -> dict[str, str]:
        """The valid filters as person_directory takes them (a bad one is left out: the
        form shows its error)."""
        self.is_valid()
        data = self.cleaned_data
        team = data.get("team")
        return {
            "search": data.get("q") or "",
            "team": team.slug if team else "",
            "role": data.get("role") or "",
            "timezone": data.get("timezone") or "",
        }


class PageDraftForm(forms.Form):
    """What the editor autosaves: the fields of PageForm as typed, none of them required."""

    path = forms.CharField(max_length=300, required=False)
    title = forms.CharField(max_length=200, required=False)
    markdown = forms.CharField(required=False, strip=False)
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False)
    change_summary = forms.CharField(max_length=100, required=False)
    base_version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)


class PageImageForm(forms.Form):
    image = forms.FileField(error_messages={"required": "Choose an image to upload."})
    # For a new page: the team it is written for (a page has one already).
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False)


class LinkTargetsForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, strip=True)
    # The page being edited (or the address typed for a new one): links are made relative
    # to its folder.
    from_path = forms.CharField(required=False, max_length=300)
