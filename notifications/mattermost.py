"""Mattermost's REST API, for what an incoming webhook cannot do: setting a channel's header
(`PUT /api/v4/channels/{id}/patch` with a bot account's token)."""

import requests
from django.conf import settings

from .senders import DeliveryError


def configured() -> bool:
    return bool(settings.MATTERMOST_URL and settings.MATTERMOST_BOT_TOKEN)


def channel_header_set(*, channel_id: str, header: str) -> None:
    """Replace the channel's header; DeliveryError when Mattermost refuses or is away."""
    if not configured():
        raise DeliveryError("MATTERMOST_URL and MATTERMOST_BOT_TOKEN are not set.")
    url = f"{settings.MATTERMOST_URL.rstrip('/')}/api/v4/channels/{channel_id}/patch"
    try:
        response = requests.put(
            url,
            json={"header": header[:1024]},  # Mattermost's limit
            headers={"Authorization": f"Bearer {settings.MATTERMOST_BOT_TOKEN}"},
            timeout=settings.NOTIFY_HTTP_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 300:
        raise DeliveryError(f"HTTP {response.status_code}: {response.text[:200]}")
