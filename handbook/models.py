from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Team(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    mission = models.TextField(blank=True)
    channel_url = models.URLField(
        blank=True, help_text="Where to reach the team: its Mattermost or Slack channel."
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": ["A team cannot be its own ancestor."]})
            ancestor = ancestor.parent


class Membership(models.Model):
    class Role(models.TextChoices):
        ENGINEER = "engineer", "Engineer"
        LEAD = "lead", "Lead"
        EM = "em", "Engineering manager"
        PM = "pm", "Product manager"
        DESIGNER = "designer", "Designer"
        QA = "qa", "Quality engineer"

    # Roles that may edit the team, its members and (later) its rotas and pages.
    MANAGING_ROLES = frozenset({Role.LEAD, Role.EM, Role.PM})

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ENGINEER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique_person")
        ]
        ordering = ["team", "user__username"]

    def __str__(self):
        return f"{self.user} in {self.team} ({self.get_role_display()})"


class ContactRoute(models.Model):
    """One row of a team's "how to reach us" table: reason -> contacts in order -> via."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="contacts")
    position = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=200)
    contacts = models.JSONField(
        default=list, help_text="Handles or people to try, highest priority first."
    )
    via = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["team", "position", "id"]

    def __str__(self):
        return f"{self.team}: {self.reason}"

    def clean(self):
        if not isinstance(self.contacts, list) or not all(
            isinstance(c, str) and c.strip() for c in self.contacts
        ):
            raise ValidationError({"contacts": ["Give a list of non-empty names or handles."]})
