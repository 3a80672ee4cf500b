"""Comments on tickets."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tickets import permissions
from tickets.models import Activity, Comment, Ticket

COMMENT_MAX_LENGTH = 10_000


@transaction.atomic
def comment_add(*, ticket: Ticket, body: str, user=None) -> Comment:
    """A comment (markdown) on the ticket by `user`, written in its activity. The ticket counts
    as updated; its card shows nothing of comments, so the board's version stays."""
    ticket = Ticket.objects.select_related("board__team").get(pk=ticket.pk)
    if user is not None:
        permissions.ticket_work_check(user=user, board=ticket.board)
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError({"body": ["Write something to comment."]})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": [f"A comment holds at most {COMMENT_MAX_LENGTH:,} characters."]}
        )
    now = timezone.now()
    comment = Comment.objects.create(ticket=ticket, author=user, markdown=body)
    Activity.objects.create(ticket=ticket, user=user, at=now, action="commented")
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
    return comment
