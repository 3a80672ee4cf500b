"""How a payload reaches each kind of channel. Raises DeliveryError on any failure."""

import requests
from django.conf import settings
from django.core.mail import send_mail

from .models import Channel


class DeliveryError(Exception):
    pass


def _post_json(url: str, body: dict, key: str) -> None:
    try:
        response = requests.post(
            url,
            json=body,
            # Receivers that understand it can drop a repeat of a message we could not confirm.
            headers={"Idempotency-Key": key},
            timeout=settings.NOTIFY_HTTP_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 300:
        raise DeliveryError(f"HTTP {response.status_code}: {response.text[:200]}")


def _send_email(address: str, payload: dict) -> None:
    text = payload["text"]
    subject = payload.get("subject") or text.splitlines()[0][:120]
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    except Exception as exc:  # SMTP errors come in many classes
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc


def send(*, channel: Channel, payload: dict, key: str) -> None:
    if channel.kind in (Channel.Kind.MATTERMOST, Channel.Kind.SLACK):
        # Both incoming-webhook APIs take {"text": ...} with markdown.
        _post_json(channel.target, {"text": payload["text"]}, key)
    elif channel.kind == Channel.Kind.WEBHOOK:
        _post_json(channel.target, {"key": key, **payload}, key)
    elif channel.kind == Channel.Kind.EMAIL:
        _send_email(channel.target, payload)
    else:
        raise DeliveryError(f"Unknown channel kind {channel.kind!r}.")
