"""Demo data: an engineering org with a delivery team and a rotating sustained-engineering team.

Facts are modelled on public handbook pages; the words and the people are invented here.
Later features add their own demo data through `load_demo` as they land.
"""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from notifications.models import Channel

from .importer import handbook_import
from .models import ContactRoute, Meeting, Membership, Team, Workstream
from .services import CHARTER_FIELDS

User = get_user_model()

DEMO_PAGES = Path(__file__).resolve().parent / "demo_pages"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "bosun-demo"
PEOPLE_PASSWORD = "bosun-demo"

PEOPLE = [
    # username, display name, time zone
    ("ines.duarte", "Inês Duarte", "Europe/Lisbon"),
    ("kwame.mensah", "Kwame Mensah", "Europe/London"),
    ("li.wen", "Li Wen", "Asia/Singapore"),
    ("noor.haddad", "Noor Haddad", "Europe/Berlin"),
    ("oskar.berg", "Oskar Berg", "Europe/Stockholm"),
    ("priya.raman", "Priya Raman", "Asia/Kolkata"),
    ("sam.okoro", "Sam Okoro", "America/Toronto"),
    ("tomasz.wolak", "Tomasz Wolak", "Europe/Warsaw"),
    ("valeria.cruz", "Valeria Cruz", "America/Mexico_City"),
    ("yuki.sato", "Yuki Sato", "Asia/Tokyo"),
]

TEAMS = [
    {
        "slug": "engineering",
        "name": "Engineering",
        "parent": None,
        "mission": "Build and run the product our customers rely on.",
        "members": [("noor.haddad", Membership.Role.EM)],
    },
    {
        "slug": "delivery",
        "name": "Delivery",
        "parent": "engineering",
        "mission": (
            "Get every change from a merged pull request to our customers safely and on "
            "schedule: the cloud release every two weeks, the self-managed release every "
            "month, and security and patch releases whenever they are needed. We build the "
            "pipelines, test frameworks and release automation that keep release managers "
            "out of repetitive work."
        ),
        "channel_url": "https://chat.example.com/engineering/channels/delivery",
        "vision_1y": "Releases need no heroics: every step from branch cut to publish is scripted.",
        "vision_3y": "Any team can ship its own patch release safely, with us as advisers.",
        "vision_10y": "Delivery is a product other companies would want to buy.",
        "principles": [
            "Quality is guarded, not inspected in at the end",
            "Treat our tooling as a product with users",
            "Prefer self-service to tickets",
            "Make the right way the easy way",
        ],
        "ownership": [
            "Continuous delivery to cloud and self-managed customers",
            "Incident follow-up for release and deployment problems",
            "Release tooling and test environments",
            "Preparing and coordinating every release",
            "Release metrics",
        ],
        "support_guidelines": (
            "File a support request with a summary, the background, the impact and anything "
            "else that helps. Urgent? Say within hours or as soon as possible."
        ),
        "workstreams": [
            ("Automated release candidates", "kwame.mensah", "Cut and tag RCs from the pipeline."),
            ("Release metrics", "li.wen", "Lead time, slips and hotfix counts per release."),
        ],
        "meetings": [
            (
                "Delivery planning",
                "Triage and planning",
                "Delivery",
                "FREQ=WEEKLY;BYDAY=TU",
                10,
                45,
            ),
            (
                "Delivery retro",
                "Retrospective",
                "Delivery",
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
                15,
                60,
            ),
        ],
        "members": [
            ("noor.haddad", Membership.Role.EM),
            ("valeria.cruz", Membership.Role.PM),
            ("ines.duarte", Membership.Role.ENGINEER),
            ("kwame.mensah", Membership.Role.ENGINEER),
            ("li.wen", Membership.Role.ENGINEER),
        ],
        "contacts": [
            (
                "Urgent (S1/P1) deployment or release problem",
                ["@release-manager", "@delivery-rota"],
                "Chat",
            ),
            ("Release quality or verification question", ["@qa-guild"], "Chat"),
            ("CI pipelines and test automation help", ["Knowledge base", "@delivery-team"], "Chat"),
        ],
    },
    {
        "slug": "sustained-engineering",
        "name": "Sustained Engineering",
        "parent": "engineering",
        "mission": (
            "Keep the product healthy between feature releases: answer incidents on our own "
            "servers first, then customer escalations, then bugs that no feature team owns. "
            "Engineers join from feature teams for a week at a time and leads for two weeks."
        ),
        "channel_url": "https://chat.example.com/engineering/channels/sustained-engineering",
        "ownership": [
            "Quality problems on our own servers",
            "Customer escalations from support",
            "Bugs with no owning team",
        ],
        "meetings": [
            (
                "SET hand-off",
                "Week hand-off between rotations",
                "SET",
                "FREQ=WEEKLY;BYDAY=MO",
                9,
                30,
            ),
        ],
        "members": [
            ("oskar.berg", Membership.Role.LEAD),
            ("li.wen", Membership.Role.LEAD),
            ("priya.raman", Membership.Role.ENGINEER),
            ("sam.okoro", Membership.Role.ENGINEER),
            ("tomasz.wolak", Membership.Role.ENGINEER),
            ("yuki.sato", Membership.Role.ENGINEER),
        ],
        "contacts": [
            ("Incident on our own servers", ["@set-primary", "@set-backup", "@set-lead"], "Chat"),
            ("Customer escalation from support", ["@set-primary"], "Support ticket"),
        ],
    },
]


@transaction.atomic
def load_demo() -> dict:
    admin, _ = User.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={"display_name": "Portal Admin", "email": "admin@example.com"},
    )
    admin.is_staff = admin.is_superuser = admin.is_active = True
    admin.set_password(ADMIN_PASSWORD)
    admin.save()

    people = {}
    for username, display_name, tz in PEOPLE:
        person, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "timezone": tz,
                "email": f"{username}@example.com",
            },
        )
        if created:
            person.set_password(PEOPLE_PASSWORD)
            person.save()
        people[username] = person

    teams = {}
    for spec in TEAMS:
        team, _ = Team.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "parent": teams.get(spec["parent"]),
                "mission": spec["mission"],
                **{field: spec[field] for field in CHARTER_FIELDS if field in spec},
            },
        )
        teams[team.slug] = team
        for username, role in spec["members"]:
            Membership.objects.update_or_create(
                team=team, user=people[username], defaults={"role": role}
            )
        team.contacts.all().delete()
        for position, (reason, contacts, via) in enumerate(spec.get("contacts", [])):
            ContactRoute.objects.create(
                team=team, position=position, reason=reason, contacts=contacts, via=via
            )
        team.workstreams.all().delete()
        for position, (name, lead, description) in enumerate(spec.get("workstreams", [])):
            Workstream.objects.create(
                team=team, position=position, name=name, lead=people[lead], description=description
            )
        for name, topic, participants, rule, hour, minutes in spec.get("meetings", []):
            first = datetime(2026, 1, 5, hour, 0, tzinfo=ZoneInfo("Europe/Berlin"))
            Meeting.objects.update_or_create(
                team=team,
                name=name,
                defaults={
                    "topic": topic,
                    "participants": participants,
                    "recurrence": rule,
                    "start": first,
                    "duration_minutes": minutes,
                    "timezone": "Europe/Berlin",
                },
            )
    Channel.objects.update_or_create(
        name="Delivery mailbox",
        defaults={
            "kind": Channel.Kind.EMAIL,
            "target": "delivery@example.com",
            "team": teams["delivery"],
        },
    )
    # The handbook pages are markdown files in demo_pages/, imported like any handbook tree
    # (their front matter names the owning team).
    report = handbook_import(root=DEMO_PAGES, user=admin)
    return {"admin": admin, "people": people, "teams": teams, "pages": report}
