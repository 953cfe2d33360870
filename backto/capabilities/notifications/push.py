"""Web Push to a family member's devices (RFC 8030, payload encrypted per RFC 8291, signed with
VAPID per RFC 8292) through pywebpush. The push service keeps a message for TTL seconds while the
phone is off; a 404 or 410 means the device unsubscribed, and its row is deleted."""

import json
import logging
from dataclasses import dataclass, field

from pywebpush import WebPushException, webpush

from backto.capabilities.notifications import vapid
from backto.capabilities.notifications.messages import Message
from backto.capabilities.notifications.models import PushSubscription

log = logging.getLogger(__name__)

TTL = 12 * 60 * 60  # a reminder still worth showing when the phone comes back within the day
URGENCY = "normal"  # RFC 8030 5.3: delivered on battery too, but not waking a phone at once
TIMEOUT = 10
GONE = {404, 410}


@dataclass
class PushOutcome:
    """What happened to each device: delivered, gone (to delete) or failed (counted)."""

    delivered: list[int] = field(default_factory=list)
    gone: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def send(subscription: PushSubscription, message: Message, outcome: PushOutcome) -> bool:
    """Push `message` to one device; record the result in `outcome`. True when delivered."""
    keys = vapid.keys()
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(message.payload()),
            vapid_private_key=keys.private,
            vapid_claims={"sub": keys.subject},
            ttl=TTL,
            headers={"Urgency": URGENCY},
            timeout=TIMEOUT,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in GONE:
            outcome.gone.append(subscription.pk)
        else:
            outcome.failed.append(subscription.pk)
            log.warning("push to subscription %s failed: %s", subscription.pk, status)
        return False
    except Exception as error:  # a service unreachable costs this device only
        outcome.failed.append(subscription.pk)
        log.warning("push to subscription %s failed: %s", subscription.pk, type(error).__name__)
        return False
    outcome.delivered.append(subscription.pk)
    return True
