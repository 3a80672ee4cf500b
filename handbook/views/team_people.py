"""The members and meetings sections of a team's edit page: add a person (picked from the
people of the portal) with a role, change a role, remove; add, change and remove meetings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.exceptions import NotAllowed
from handbook import services
from handbook.models import Meeting, Membership
from handbook.team_forms import MeetingForm, MemberAddForm, MemberRoleForm

from .team_edit import edit_page, editable_team, form_errors


def _back(team, section: str):
    return redirect(reverse("handbook:team_edit", args=[team.slug]) + f"#{section}")


@require_POST
def team_member_add(request, slug):
    team = editable_team(request, slug)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        person, role = form.cleaned_data["person"], form.cleaned_data["role"]
        try:
            membership, created = services.membership_set(
                team=team, user=person, role=role, by=request.user
            )
        except (ValidationError, NotAllowed) as exc:
            form_errors(form, exc)
        else:
            role_name = membership.get_role_display()
            messages.success(
                request,
                f"{person.name} joined as {role_name}."
                if created
                else f"{person.name} was a member already; their role is now {role_name}.",
            )
            return _back(team, "members")
    return edit_page(request, team, status=400, member_add=form)


def _membership(team, username: str) -> Membership:
    membership = team.memberships.select_related("user").filter(user__username=username).first()
    if membership is None:
        raise Http404("This person is not a member of the team.")
    return membership


@require_POST
def team_member(request, slug, username):
    """Change a member's role, or (with `remove`) take them off the team."""
    team = editable_team(request, slug)
    membership = _membership(team, username)
    if "remove" in request.POST:
        services.membership_remove(team=team, user=membership.user, by=request.user)
        messages.success(request, f"{membership.user.name} is no longer a member.")
        return _back(team, "members")
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        services.membership_set(
            team=team, user=membership.user, role=form.cleaned_data["role"], by=request.user
        )
        messages.success(request, f"{membership.user.name}'s role saved.")
        return _back(team, "members")
    messages.error(request, "Choose one of the roles.")
    return _back(team, "members")


def _team_meeting(team, pk: int) -> Meeting:
    meeting = team.meetings.filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting in this team.")
    return meeting


def _meeting_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}


@require_POST
def team_meeting_add(request, slug):
    team = editable_team(request, slug)
    form = MeetingForm(request.POST, prefix="new-meeting")
    if form.is_valid():
        try:
            meeting = services.meeting_create(team=team, by=request.user, **_meeting_fields(form))
        except (ValidationError, NotAllowed) as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"Meeting “{meeting.name}” added.")
            return _back(team, "meetings")
    return edit_page(request, team, status=400, meeting_add=form)


@require_POST
def team_meeting(request, slug, pk):
    """Change a meeting, or (with `remove`) remove it."""
    team = editable_team(request, slug)
    meeting = _team_meeting(team, pk)
    if "remove" in request.POST:
        services.meeting_delete(meeting=meeting, by=request.user)
        messages.success(request, f"Meeting “{meeting.name}” removed.")
        return _back(team, "meetings")
    prefix = f"meeting-{meeting.pk}"
    form = MeetingForm(request.POST, instance=meeting, prefix=prefix)
    if form.is_valid():
        try:
            _, changed = services.meeting_update(
                meeting=meeting, by=request.user, **_meeting_fields(form)
            )
        except (ValidationError, NotAllowed) as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Meeting saved." if changed else "No changes to save.")
            return _back(team, "meetings")
    meetings = [
        (
            other,
            form
            if other.pk == meeting.pk
            else MeetingForm(instance=other, prefix=f"meeting-{other.pk}"),
        )
        for other in team.meetings.all()
    ]
    return edit_page(request, team, status=400, meetings=meetings, open_meeting=meeting.pk)
