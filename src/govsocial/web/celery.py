"""The Celery application. Without ``REDIS_URL`` tasks run eagerly in the calling process.

Tasks acknowledge late (``CELERY_TASK_ACKS_LATE``): Redis keeps a task a worker took but did not
finish, and hands it to another worker once ``GOVSOCIAL_TASK_VISIBILITY_TIMEOUT`` seconds (default
3600, Celery's) have passed since it was taken. A worker killed mid-task thus has its task done
again later, which is safe because the tasks are idempotent. Keep the timeout above the longest
task's run time: a task still running past it is started a second time.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsocial.web.settings")

app = Celery("govsocial")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["govsocial.web.drafts", "govsocial.web.inbox"])

_visibility = max(1, int(os.environ.get("GOVSOCIAL_TASK_VISIBILITY_TIMEOUT", "3600")))
app.conf.broker_transport_options = {
    "visibility_timeout": _visibility,
    # Look for tasks past their visibility timeout every few seconds (at most every 10), on every look.
    "unacked_restore_interval": min(10, max(1, _visibility // 2)),
    "unacked_restore_throttle": 1,
}

# With workers on Redis, `celery -A govsocial.web.celery beat` publishes due drafts and polls due
# inbox connectors every minute. Without Redis, run `govsocial publish-due` and `govsocial inbox
# poll` from cron: the same task functions, in-process.
app.conf.beat_schedule = {
    "publish-due-drafts": {"task": "govsocial.web.drafts.tasks.publish_due_drafts", "schedule": 60.0},
    "poll-due-connectors": {"task": "govsocial.web.inbox.tasks.poll_due_connectors", "schedule": 60.0},
}
