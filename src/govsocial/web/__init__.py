"""The agency workspace: a Django application around the review engine.

```
govsocial.web
├── settings      environment-driven (DATABASE_URL, REDIS_URL, SECRET_KEY, GOVSOCIAL_*)
├── celery        background work: Celery on Redis, or in-process when REDIS_URL is unset
├── accounts      agencies, teams, users, roles, two-factor, API tokens
├── channels      the channel register (WF-01/02/11)
├── drafts        drafts, revisions with their reviews, four-eyes approval (WF-03), publishing
├── review        the "check a post" page (live findings)
├── audit         append-only, hash-chained event log (WF-07) and its verifier
└── api           versioned JSON API with an OpenAPI document
```

Each app keeps writes in ``services.py`` (keyword-only functions that record their audit event in
the same transaction) and reads in ``selectors.py`` (where permission filtering lives).
"""
