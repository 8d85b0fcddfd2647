"""The Celery application. Without ``REDIS_URL`` tasks run eagerly in the calling process."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsocial.web.settings")

app = Celery("govsocial")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["govsocial.web.drafts"])

# With workers on Redis, `celery -A govsocial.web.celery beat` publishes due drafts every minute.
# Without Redis, run `govsocial publish-due` from cron: the same task function, in-process.
app.conf.beat_schedule = {
    "publish-due-drafts": {"task": "govsocial.web.drafts.tasks.publish_due_drafts", "schedule": 60.0},
}
