"""Background work for drafts: publishing scheduled posts whose time has come.

``publish_due_drafts`` is a Celery task (run every minute by a beat schedule or by cron through
``govsocial publish-due``). Without ``REDIS_URL`` Celery runs it eagerly in the calling process:
the same code path either way. Each draft is published in its own transaction, so one failure
does not hold back the others.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from typing import TextIO

from celery import shared_task
from django.utils import timezone

from govsocial.web.celery import app as celery_app  # the configured app: eager without Redis
from govsocial.web.drafts.models import Draft, State
from govsocial.web.drafts.services import DueOutcome, draft_publish_due

__all__ = ["celery_app", "due_drafts", "publish_due", "publish_due_command", "publish_due_drafts"]

BATCH = 200


def due_drafts(*, now: dt.datetime | None = None) -> list[int]:
    """Ids of scheduled drafts whose publishing time has come, oldest first."""
    now = now or timezone.now()
    return list(
        Draft.objects.filter(state=State.SCHEDULED, scheduled_at__lte=now)
        .order_by("scheduled_at", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )


def publish_due(*, now: dt.datetime | None = None) -> list[DueOutcome]:
    """Publish every due scheduled draft through its channel's adapter; drafts without an adapter
    get a reminder to publish by hand. Returns what happened to each."""
    now = now or timezone.now()
    outcomes = []
    for pk in due_drafts(now=now):
        draft = Draft.objects.filter(pk=pk).first()
        if draft is not None:
            outcomes.append(draft_publish_due(draft=draft, now=now))
    return outcomes


@shared_task(name="govsocial.web.drafts.tasks.publish_due_drafts", ignore_result=True)
def publish_due_drafts() -> dict[str, int]:
    """Celery entry point: counts of outcomes (``published``, ``reminded``, ``failed``...)."""
    return dict(Counter(o.outcome for o in publish_due()))


def publish_due_command(out: TextIO | None = None) -> int:
    """``govsocial publish-due`` (for cron, once a minute): one line per due draft and a summary.
    Exit status 1 when a platform refused a post, so cron reports it. Django must be set up."""
    out = out or sys.stdout
    outcomes = publish_due()
    for o in outcomes:
        out.write(f"draft {o.draft_id}: {o.outcome.replace('_', ' ')}{': ' + o.message if o.message else ''}\n")
    counts = Counter(o.outcome for o in outcomes)
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(counts.items())) or "nothing due"
    out.write(f"publish-due: {summary}\n")
    return 1 if counts.get("failed") else 0
