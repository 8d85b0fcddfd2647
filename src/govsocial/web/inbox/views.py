"""Inbox pages: the response queue, one message with its triage and actions, the library of
response templates, the monitoring hours, connectors on the channel page, and the published
community guidelines.

```
/inbox/                         list (tabs, filters, keyset "Older" link) + bulk form ─► bulk
/inbox/<pk>/                    detail ─► assign · moderate · strike · block · unblock · close
                                        └─ reply ─► reply_start() ─► drafts:detail (review, approval,
                                                                      publishing as for any draft)
/inbox/templates/               list ─► new · edit · approve
/inbox/settings/                monitoring hours
/inbox/channels/<pk>/connectors/new/, /inbox/connectors/<pk>/edit/, …/poll/   (channel page lists them)
/inbox/hooks/<connector_id>/    signed webhook (webhook.receive)
/guidelines/<agency_slug>/      public: house rules, moderation and monitoring hours per channel
```

Thin, like the draft pages: a form checks the shape of the input, a selector scopes reads to the
user's agency (another agency's message is a 404), a service decides and records. A refused
action (:class:`~govsocial.web.inbox.services.InboxError`) re-shows the page with the message on
the form that was sent: 403 for a permission error, 400 otherwise. Every action is a plain POST
form, so everything works without JavaScript; ``inbox.js`` only adds keyboard shortcuts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from govsocial.web.accounts import selectors as account_selectors
from govsocial.web.accounts.models import Agency, User
from govsocial.web.accounts.permissions import has_role, require_member, require_role
from govsocial.web.audit.models import AuditEvent
from govsocial.web.channels.models import Channel
from govsocial.web.channels.selectors import channel_get, channel_list
from govsocial.web.drafts.services import DRAFT_AUTHORS
from govsocial.web.inbox import hours, selectors, services
from govsocial.web.inbox.forms import (
    STATUS_TABS,
    WEEKDAYS,
    AssignForm,
    BlockForm,
    BulkForm,
    CloseForm,
    ConnectorForm,
    MessageFilterForm,
    ModerateForm,
    ReplyForm,
    SettingsForm,
    StrikeForm,
    TemplateForm,
    UnblockForm,
)
from govsocial.web.inbox.models import (
    AuthorStanding,
    Connector,
    InboxSettings,
    Message,
    ResponseTemplate,
    Status,
    TemplatePurpose,
)

__all__ = [
    "CONNECTOR_MANAGERS",
    "INBOX_ASSIGNERS",
    "INBOX_MODERATORS",
    "INBOX_RESPONDERS",
    "INBOX_SETTINGS_MANAGERS",
    "REPLY_WRITERS",
    "TEMPLATE_APPROVERS",
    "TEMPLATE_WRITERS",
    "connector_rows",
    "due_badge",
    "house_rules_for",
]

PAGE_SIZE = 50
#: The most messages one bulk action takes (a page is 50; a crafted form gets no further).
BULK_MAX = services.MAX_BULK
#: A message due within this many business hours carries a "Due soon" tag.
DUE_SOON_HOURS = 1.0

# Who is offered which page or button: the services' roles (they check again, and decide the finer
# points: an officer may take a message but not give it to someone else; four eyes on templates).
INBOX_RESPONDERS: tuple[str, ...] = tuple(services.RESPONDERS)
INBOX_ASSIGNERS: tuple[str, ...] = tuple(services.ASSIGNERS)
INBOX_MODERATORS: tuple[str, ...] = tuple(services.MODERATORS)
#: A reply is a draft: whoever may write drafts may start one.
REPLY_WRITERS: tuple[str, ...] = tuple(DRAFT_AUTHORS)
TEMPLATE_WRITERS: tuple[str, ...] = tuple(services.TEMPLATE_WRITERS)
TEMPLATE_APPROVERS: tuple[str, ...] = tuple(services.MANAGERS)
INBOX_SETTINGS_MANAGERS: tuple[str, ...] = tuple(services.MANAGERS)
CONNECTOR_MANAGERS: tuple[str, ...] = tuple(services.MANAGERS)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _agency(user: User) -> Agency:
    agency = user.agency
    assert agency is not None  # require_member / require_role checked membership
    return agency


def _error_status(exc: Exception) -> int:
    return 403 if isinstance(exc, services.InboxPermissionError) else 400


def _error_text(exc: Exception) -> str:
    return str(getattr(exc, "message", "") or exc)


def _form_error(form: forms.Form, field: str | None, exc: Exception) -> None:
    form.add_error(field if field in form.fields else None, _error_text(exc))


# --------------------------------------------------------------------------- choices


def _channel_choices(user: User) -> list[tuple[int, str]]:
    return [(c.pk, c.name) for c in channel_list(for_user=user)]


def _people(user: User) -> list[tuple[int, str]]:
    return [(p.pk, p.label) for p in account_selectors.agency_members(for_user=user)]


def _teams(user: User) -> list[tuple[int, str]]:
    return [(t.pk, t.name) for t in account_selectors.team_list(for_user=user)]


def house_rules_for(pack_ref: str) -> list[Any]:
    """The house rules of a pack (code, title, text…); none when the pack has no house rules or
    cannot be loaded (the pages then offer no rule, and hiding is refused by the service)."""
    from govsocial.inbox import load_house_rules

    try:
        return list(load_house_rules(pack_ref).rules)
    except Exception:  # a pack without house rules, or a broken pack path: show none, hide nothing
        return []


def _rule_choices(rules: Sequence[Any]) -> list[tuple[str, str]]:
    return [(r.code, f"{r.code} {r.title}") for r in rules]


def _template_choices(user: User) -> list[tuple[int, str]]:
    purposes = dict(TemplatePurpose.choices)
    out = []
    for t in selectors.template_list(for_user=user, approved_only=True):
        purpose = str(purposes.get(t.purpose, t.purpose))
        out.append((t.pk, t.title if purpose.lower().startswith(t.title.lower()) else f"{t.title} ({purpose})"))
    return out


# --------------------------------------------------------------------------- due badges


def _working_hours(agency_id: int) -> dict[str, Any]:
    """The ``hours`` keyword arguments of an agency's monitoring hours (defaults when unset).
    Read-only: pages never create the settings row; the services do when they need it."""
    found = InboxSettings.objects.filter(agency_id=agency_id).first()
    if found is None:
        return {"tz": settings.TIME_ZONE, "workdays": hours.DEFAULT_WORKDAYS}
    return {
        "tz": found.timezone,
        "workdays": tuple(found.workdays or hours.DEFAULT_WORKDAYS),
        "day_start": found.workday_start,
        "day_end": found.workday_end,
        "holidays": tuple(found.holidays or ()),
    }


def due_badge(message: Message, *, now: dt.datetime, working: dict[str, Any]) -> dict[str, str] | None:
    """``{"text", "classes"}`` of the due tag of a message waiting for a response: "Overdue" (red,
    with how long) once past due, "Due soon" within one business hour, else "Due <time>"."""
    if message.due_at is None or message.status not in (Status.OPEN, Status.REPLYING):
        return None
    when = message.due_at
    if when <= now:
        late = now - when
        minutes = int(late.total_seconds() // 60)
        span = f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{max(minutes, 1)} min"
        return {"text": f"Overdue by {span}", "classes": "govuk-tag--red"}
    try:
        left = hours.business_hours_between(start=now, end=when, **working)
    except ValueError:  # broken monitoring hours: fall back to clock time
        left = (when - now).total_seconds() / 3600
    if left <= DUE_SOON_HOURS:
        return {"text": "Due soon", "classes": "govuk-tag--orange"}
    local = timezone.localtime(when)
    return {"text": "Due " + local.strftime("%-d %b %H:%M"), "classes": "govuk-tag--grey"}


# --------------------------------------------------------------------------- the list


def _tab_counts(user: User) -> dict[str, str]:
    """Capped counts per tab, as text ("999+" past the cap)."""
    out: dict[str, str] = {}
    cap = selectors.COUNT_CAP
    shown = {value for value, _label in STATUS_TABS}
    for key, value in selectors.inbox_counts(for_user=user, only=shown).items():
        number = int(value)
        out[key] = f"{cap - 1:,}+" if number >= cap else f"{number:,}"
    return out


def _query_without(query: QueryDict, *names: str) -> str:
    q = query.copy()
    for name in names:
        q.pop(name, None)
    return q.urlencode()


def _safe_next(value: str) -> str:
    """A path back into the inbox list (with its query), never to another site."""
    parts = urlsplit(value or "")
    list_path = reverse("inbox:list")
    if parts.scheme or parts.netloc or not parts.path.startswith(list_path):
        return list_path
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _offer_bulk_actions(bulk: BulkForm, user: User) -> None:
    """Offer only what the user may do: an officer takes messages and closes them; assigning to
    others and round-robin need an assigner; hiding and leaving up need a moderator."""
    allowed = {"assign", "close"}
    if has_role(user, *INBOX_ASSIGNERS):
        allowed.add("round_robin")
    else:
        bulk.fields["assignee"].choices = [("", "Choose a person"), (user.pk, user.label)]
    if has_role(user, *INBOX_MODERATORS):
        allowed.update({"hide", "leave"})
    actions = bulk.fields["action"]
    assert isinstance(actions, forms.ChoiceField)
    actions.choices = [(v, t) for v, t in actions.choices if v == "" or v in allowed]
    rules = _rule_choices(house_rules_for(_agency(user).pack))
    bulk.fields["rule_code"].choices = [("", "Choose a house rule"), *rules]


def _list_page(
    request: HttpRequest, query: QueryDict, *, bulk: BulkForm | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    form = MessageFilterForm(query, channels=_channel_choices(user))
    data = form.cleaned_data if form.is_valid() else {}
    tab = data.get("status") or STATUS_TABS[0][0]
    filters = selectors.MessageFilters(
        status=None if tab == "all" else tab,
        category=data.get("category") or None,
        channel_id=data.get("channel"),
        assignee=data.get("assignee") or None,
        overdue=bool(data.get("overdue")),
        q=(data.get("q") or "").strip(),
        sort=data.get("sort") or "recent",
    )
    after = query.get("after") or None
    try:
        page = selectors.message_list(for_user=user, filters=filters, after=after, limit=PAGE_SIZE)
    except (services.InboxError, ValueError):
        # A cursor that was tampered with or outlived a change of sort: start from the newest.
        messages.error(request, "That page of the inbox is no longer available; showing the newest messages.")
        after = None
        page = selectors.message_list(for_user=user, filters=filters, after=None, limit=PAGE_SIZE)
    items = list(page.items)
    now = timezone.now()
    working = _working_hours(user.agency_id or 0)
    rows = [(m, due_badge(m, now=now, working=working)) for m in items]
    ids = [m.pk for m in items]
    if bulk is None:
        bulk = BulkForm(ids=ids, people=_people(user), teams=_teams(user), rules=())
    _offer_bulk_actions(bulk, user)
    base_query = _query_without(query, "after", "status")
    older = None
    if page.has_more and page.next_cursor:
        q = query.copy()
        q["after"] = page.next_cursor
        older = "?" + q.urlencode()
    return render(
        request,
        "inbox/list.html",
        {
            "form": form,
            "tab": tab,
            "tabs": STATUS_TABS,
            "tab_query": base_query,
            "counts": _tab_counts(user),
            "rows": rows,
            "older": older,
            "newest": ("?" + _query_without(query, "after")) if after else None,
            "bulk": bulk,
            "next": request.get_full_path() if request.method == "GET" else _safe_next(query.get("next", "")),
            "can_respond": has_role(user, *INBOX_RESPONDERS),
            "can_assign_others": has_role(user, *INBOX_ASSIGNERS),
            "can_moderate": has_role(user, *INBOX_MODERATORS),
        },
        status=status,
    )


@require_member
@require_http_methods(["GET"])
def message_list_view(request: HttpRequest) -> HttpResponse:
    return _list_page(request, request.GET)


@require_role(*INBOX_RESPONDERS)
@require_http_methods(["POST"])
def bulk_view(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    back = _safe_next(request.POST.get("next", ""))
    # The service acts only on messages of the user's agency, whatever ids are sent.
    wanted = [int(v) for v in request.POST.getlist("ids") if v.isdigit()][: BULK_MAX + 1]
    form = BulkForm(
        request.POST,
        ids=wanted,
        people=_people(user),
        teams=_teams(user),
        rules=_rule_choices(house_rules_for(_agency(user).pack)),
    )
    if form.is_valid():
        data = form.cleaned_data
        assignee = (
            User.objects.filter(pk=data["assignee"], agency_id=user.agency_id).first() if data.get("assignee") else None
        )
        team = account_selectors.team_list(for_user=user).filter(pk=data["team"]).first() if data.get("team") else None
        try:
            changed = services.messages_bulk(
                actor=user,
                message_ids=data["ids"],
                action=data["action"],
                assignee=assignee,
                team=team,
                rule_code=data.get("rule_code") or "",
                reason=data.get("reason") or "",
            )
        except services.InboxError as exc:
            _form_error(form, "action", exc)
            query = QueryDict(urlsplit(back).query)
            return _list_page(request, query, bulk=form, status=_error_status(exc))
        messages.success(request, f"{changed} message{'' if changed == 1 else 's'} updated.")
        return redirect(back)
    query = QueryDict(urlsplit(back).query)
    return _list_page(request, query, bulk=form, status=400)


# --------------------------------------------------------------------------- one message


def _message(request: HttpRequest, pk: int) -> Message:
    try:
        return selectors.message_get(for_user=_user(request), pk=pk)
    except Message.DoesNotExist:
        raise Http404("No such message") from None


def _standing(message: Message) -> AuthorStanding | None:
    """The author's strikes and block, read only (nothing is created by looking)."""
    if not message.author:
        return None
    return AuthorStanding.objects.filter(
        agency_id=message.agency_id, platform=message.channel.platform, author=message.author
    ).first()


def _reply_initial(message: Message, choices: Sequence[tuple[int, str]]) -> int | None:
    """The template to preselect: "take it offline" when the message has personal information
    (IN-01, WF-14), else the one the triage suggested."""
    purpose = TemplatePurpose.TAKE_OFFLINE if message.has_pii else str((message.triage or {}).get("template") or "")
    if not purpose:
        return None
    ids = [pk for pk, _ in choices]
    found = ResponseTemplate.objects.filter(pk__in=ids, purpose=purpose).order_by("title", "pk").first()
    return found.pk if found is not None else None


def _detail_page(
    request: HttpRequest, message: Message, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    """The message page; ``bound`` replaces the blank form of the action that was refused."""
    user = _user(request)
    bound = bound or {}
    rules = house_rules_for(message.channel.pack_ref)
    rule_choices = _rule_choices(rules)
    rule_titles = {r.code: r.title for r in rules}
    people, teams = _people(user), _teams(user)
    templates = _template_choices(user)
    standing = _standing(message)
    today = timezone.localdate()
    forms_ = {
        "assign": AssignForm(people=people, teams=teams, initial={"assignee": message.assignee_id}),
        "moderate": ModerateForm(rules=rule_choices, initial={"rule_code": message.rule_code}),
        "strike": StrikeForm(rules=rule_choices, initial={"rule_code": message.rule_code}),
        "block": BlockForm(initial={"review_on": today + dt.timedelta(days=90)}),
        "unblock": UnblockForm(),
        "close": CloseForm(),
        "reply": ReplyForm(templates=templates, initial={"template": _reply_initial(message, templates)}),
    }
    forms_.update(bound)
    history = AuditEvent.objects.filter(
        agency_id=user.agency_id, subject_type="message", subject_id=str(message.pk)
    ).order_by("-seq")[:50]
    now = timezone.now()
    return render(
        request,
        "inbox/detail.html",
        {
            "message": message,
            "due": due_badge(message, now=now, working=_working_hours(message.agency_id)),
            "thread": [m for m in selectors.message_thread(message=message) if m.pk != message.pk],
            "duplicates": [m for m in selectors.message_duplicates(message=message) if m.pk != message.pk],
            "moderations": list(message.moderations.select_related("actor")),
            "standing": standing,
            "strikes": list(standing.strike_log.select_related("actor")) if standing else [],
            "rule_titles": rule_titles,
            "reasons": list((message.triage or {}).get("reasons") or []),
            "reply_draft": message.reply_draft,
            "forms": forms_,
            "error_form": next(iter(bound), ""),
            "can_respond": has_role(user, *INBOX_RESPONDERS),
            "can_moderate": has_role(user, *INBOX_MODERATORS),
            "can_assign_others": has_role(user, *INBOX_ASSIGNERS),
            "can_reply": has_role(user, *REPLY_WRITERS) and message.reply_draft_id is None,
            "history": history,
        },
        status=status,
    )


@require_member
@require_http_methods(["GET"])
def message_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _message(request, pk))


def _act(
    request: HttpRequest,
    message: Message,
    name: str,
    form: forms.Form,
    call: Callable[[dict[str, Any]], Any],
    success: str,
    *,
    error_field: str | None = None,
) -> HttpResponseBase:
    """Validate ``form``, run the service, redirect to the message with ``success``; on invalid
    input or a refused action re-show the page with the form and its error."""
    if not form.is_valid():
        return _detail_page(request, message, bound={name: form}, status=400)
    try:
        call(form.cleaned_data)
    except services.InboxError as exc:
        _form_error(form, error_field, exc)
        return _detail_page(request, message, bound={name: form}, status=_error_status(exc))
    messages.success(request, success)
    return redirect("inbox:detail", pk=message.pk)


@require_role(*INBOX_RESPONDERS)
@require_http_methods(["POST"])
def assign_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    message = _message(request, pk)
    form = AssignForm(request.POST, people=_people(user), teams=_teams(user))

    def call(data: dict[str, Any]) -> None:
        team = account_selectors.team_list(for_user=user).filter(pk=data.get("team")).first()
        if data["how"] == "round_robin":
            services.message_assign_round_robin(actor=user, messages=[message], team=team)
            return
        assignee = None
        if data["how"] == "person" and data.get("assignee"):
            assignee = account_selectors.agency_members(for_user=user).filter(pk=data["assignee"]).first()
        services.message_assign(actor=user, message=message, assignee=assignee, team=team)

    return _act(request, message, "assign", form, call, "The message has been assigned.", error_field="assignee")


@require_role(*INBOX_MODERATORS)
@require_http_methods(["POST"])
def moderate_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    message = _message(request, pk)
    form = ModerateForm(request.POST, rules=_rule_choices(house_rules_for(message.channel.pack_ref)))
    words = {
        "hide": "hidden",
        "unhide": "shown again",
        "leave": "left up",
        "report": "reported to the platform",
        "escalate": "escalated",
    }
    kind = request.POST.get("kind", "")
    return _act(
        request,
        message,
        "moderate",
        form,
        lambda d: services.message_moderate(
            actor=user,
            message=message,
            kind=d["kind"],
            rule_code=d.get("rule_code") or "",
            reason=d.get("reason") or "",
        ),
        f"The message has been {words.get(kind, 'moderated')}.",
        error_field="reason",
    )


@require_role(*INBOX_MODERATORS)
@require_http_methods(["POST"])
def strike_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    message = _message(request, pk)
    form = StrikeForm(request.POST, rules=_rule_choices(house_rules_for(message.channel.pack_ref)))
    return _act(
        request,
        message,
        "strike",
        form,
        lambda d: services.author_strike(
            actor=user, message=message, rule_code=d["rule_code"], reason=d.get("reason") or ""
        ),
        "A strike has been recorded against the author.",
        error_field="rule_code",
    )


@require_role(*INBOX_MODERATORS)
@require_http_methods(["POST"])
def block_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    message = _message(request, pk)
    form = BlockForm(request.POST)

    def call(data: dict[str, Any]) -> None:
        standing = services.author_standing(message=message)
        services.author_block(actor=user, standing=standing, reason=data["reason"], review_on=data["review_on"])

    return _act(request, message, "block", form, call, "The author has been blocked.", error_field="reason")


@require_role(*INBOX_MODERATORS)
@require_http_methods(["POST"])
def unblock_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    message = _message(request, pk)
    form = UnblockForm(request.POST)

    def call(data: dict[str, Any]) -> None:
        standing = services.author_standing(message=message)
        services.author_unblock(actor=user, standing=standing, reason=data["reason"])

    return _act(request, message, "unblock", form, call, "The author has been unblocked.", error_field="reason")


@require_role(*INBOX_RESPONDERS)
@require_http_methods(["POST"])
def close_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    message = _message(request, pk)
    return _act(
        request,
        message,
        "close",
        CloseForm(request.POST),
        lambda d: services.message_close(actor=user, message=message, reason=d.get("reason") or ""),
        "The message has been closed: no response needed.",
        error_field="reason",
    )


@require_role(*REPLY_WRITERS)
@require_http_methods(["POST"])
def reply_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    message = _message(request, pk)
    form = ReplyForm(request.POST, templates=_template_choices(user))
    if not form.is_valid():
        return _detail_page(request, message, bound={"reply": form}, status=400)
    data = form.cleaned_data
    template = selectors.template_list(for_user=user, approved_only=True).filter(pk=data.get("template")).first()
    try:
        draft = services.reply_start(actor=user, message=message, template=template, text=data.get("text") or "")
    except services.InboxError as exc:
        _form_error(form, "template", exc)
        return _detail_page(request, message, bound={"reply": form}, status=_error_status(exc))
    messages.success(request, "Your reply has been drafted and checked. Edit it if needed, then submit it.")
    return redirect("drafts:detail", pk=draft.pk)


# --------------------------------------------------------------------------- templates


@require_member
@require_http_methods(["GET"])
def template_list_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "inbox/templates.html",
        {
            "templates": list(selectors.template_list(for_user=user)),
            "purposes": dict(TemplatePurpose.choices),
            "can_write": has_role(user, *TEMPLATE_WRITERS),
            "can_approve": has_role(user, *TEMPLATE_APPROVERS),
        },
    )


def _template(request: HttpRequest, pk: int) -> ResponseTemplate:
    found: ResponseTemplate | None = selectors.template_list(for_user=_user(request)).filter(pk=pk).first()
    if found is None:
        raise Http404("No such template")
    return found


def _template_form_page(
    request: HttpRequest, form: TemplateForm, template: ResponseTemplate | None, status: int | None = None
) -> HttpResponse:
    return render(
        request,
        "inbox/template_form.html",
        {"form": form, "template": template},
        status=status or (400 if form.errors else 200),
    )


@require_role(*TEMPLATE_WRITERS)
@require_http_methods(["GET", "POST"])
def template_new_view(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            template = services.template_create(
                actor=user,
                agency=_agency(user),
                key=data["key"],
                title=data["title"],
                body=data["body"],
                purpose=data["purpose"],
            )
        except services.InboxError as exc:
            _form_error(form, None, exc)
            return _template_form_page(request, form, None, _error_status(exc))
        messages.success(request, f"“{template.title}” has been saved. It can be used once it is approved.")
        return redirect("inbox:templates")
    return _template_form_page(request, form, None)


@require_role(*TEMPLATE_WRITERS)
@require_http_methods(["GET", "POST"])
def template_edit_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    template = _template(request, pk)
    initial = {"title": template.title, "key": template.key, "purpose": template.purpose, "body": template.body}
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {k: data[k] for k in ("title", "key", "purpose", "body") if data[k] != initial[k]}
        try:
            services.template_update(actor=user, template=template, **changes)
        except services.InboxError as exc:
            _form_error(form, None, exc)
            return _template_form_page(request, form, template, _error_status(exc))
        messages.success(request, f"Changes to “{data['title']}” have been saved. It needs approving again.")
        return redirect("inbox:templates")
    return _template_form_page(request, form, template)


@require_role(*TEMPLATE_APPROVERS)
@require_http_methods(["POST"])
def template_approve_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    template = _template(request, pk)
    try:
        services.template_approve(actor=user, template=template)
    except services.InboxPermissionError as exc:
        raise PermissionDenied(_error_text(exc)) from exc
    except services.InboxError as exc:
        messages.error(request, _error_text(exc))
        return redirect("inbox:templates")
    messages.success(request, f"“{template.title}” is approved: replies can start from it.")
    return redirect("inbox:templates")


# --------------------------------------------------------------------------- monitoring hours


def _hhmm(value: Any) -> str:
    return value.strftime("%H:%M") if isinstance(value, dt.time) else str(value or "")[:5]


@require_role(*INBOX_SETTINGS_MANAGERS)
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    agency = _agency(user)
    current = services.inbox_settings_get(agency=agency)
    initial = {
        "timezone": current.timezone,
        # As the time inputs show them (HH:MM): a time object would print its seconds too.
        "workday_start": _hhmm(current.workday_start),
        "workday_end": _hhmm(current.workday_end),
        "workdays": [str(d) for d in (current.workdays or [])],
        "holidays": "\n".join(current.holidays or []),
    }
    form = SettingsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.inbox_settings_update(
                    actor=user,
                    agency=agency,
                    timezone=data["timezone"],
                    workday_start=data["workday_start"],
                    workday_end=data["workday_end"],
                    workdays=sorted(data["workdays"]),
                    holidays=data["holidays"],
                )
            except services.InboxError as exc:
                _form_error(form, None, exc)
                status = _error_status(exc)
            else:
                messages.success(request, "The monitoring hours have been saved. New due times use them.")
                return redirect("inbox:settings")
    return render(request, "inbox/settings.html", {"form": form}, status=status)


# --------------------------------------------------------------------------- connectors


def _connector(request: HttpRequest, pk: int) -> Connector:
    found: Connector | None = selectors.connector_list(for_user=_user(request)).filter(pk=pk).first()
    if found is None:
        raise Http404("No such connector")
    return found


def _connector_page(
    request: HttpRequest, form: ConnectorForm, channel: Channel, connector: Connector | None, status: int | None = None
) -> HttpResponse:
    return render(
        request,
        "inbox/connector_form.html",
        {"form": form, "channel": channel, "connector": connector},
        status=status or (400 if form.errors else 200),
    )


@require_role(*CONNECTOR_MANAGERS)
@require_http_methods(["GET", "POST"])
def connector_new_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    channel = channel_get(for_user=user, pk=pk)
    form = ConnectorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            connector = services.connector_create(
                actor=user,
                channel=channel,
                kind=data["kind"],
                name=data["name"],
                config=form.config(),
                secret=data.get("secret") or "",
                poll_interval_s=data["poll_interval_s"],
            )
        except services.InboxError as exc:
            _form_error(form, None, exc)
            return _connector_page(request, form, channel, None, _error_status(exc))
        messages.success(
            request, f"“{connector.name}” has been added. It is checked every {connector.poll_interval_s} seconds."
        )
        return redirect("channels:detail", pk=channel.pk)
    return _connector_page(request, form, channel, None)


@require_role(*CONNECTOR_MANAGERS)
@require_http_methods(["GET", "POST"])
def connector_edit_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    connector = _connector(request, pk)
    config = connector.config or {}
    initial: dict[str, Any] = {
        "kind": connector.kind,
        "name": connector.name,
        "poll_interval_s": connector.poll_interval_s,
        "enabled": connector.enabled,
        "feed_url": config.get("url", ""),
        "comments": bool(config.get("comments")),
        "instance_url": config.get("instance", ""),
        "service_url": config.get("service", ""),
        "handle": config.get("account") or config.get("handle") or "",
    }
    form = ConnectorForm(request.POST or None, initial=initial, editing=True, has_secret=bool(connector.secret))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes: dict[str, Any] = {
            "name": data["name"],
            "config": {**config, **form.config()},
            "poll_interval_s": data["poll_interval_s"],
            "enabled": bool(data.get("enabled")),
        }
        if data.get("secret"):
            changes["secret"] = data["secret"]
        try:
            services.connector_update(actor=user, connector=connector, **changes)
        except services.InboxError as exc:
            _form_error(form, None, exc)
            return _connector_page(request, form, connector.channel, connector, _error_status(exc))
        messages.success(request, f"Changes to “{data['name']}” have been saved.")
        return redirect("channels:detail", pk=connector.channel_id)
    return _connector_page(request, form, connector.channel, connector)


@require_role(*CONNECTOR_MANAGERS)
@require_http_methods(["POST"])
def connector_poll_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    from govsocial.web.inbox import tasks

    connector = _connector(request, pk)
    tasks.poll_connector.delay(connector.pk)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        connector.refresh_from_db()
        health = services.connector_health(connector)
        text = f"“{connector.name}” has been checked: {health.label}."
        if health.state in ("ok", "never"):
            messages.success(request, text)
        else:
            messages.error(request, text + (f" {health.detail}" if health.detail else ""))
    else:
        messages.success(
            request, f"“{connector.name}” will be checked in a moment. Reload the page to see how it went."
        )
    return redirect("channels:detail", pk=connector.channel_id)


def connector_rows(user: User, channel: Channel) -> list[tuple[Connector, Any]]:
    """The channel page's monitoring section: each connector of the channel with its health."""
    now = timezone.now()
    return [
        (c, services.connector_health(c, now=now)) for c in selectors.connector_list(for_user=user, channel=channel)
    ]


# --------------------------------------------------------------------------- published guidelines


def _monitoring_summary(agency_id: int) -> dict[str, Any]:
    working = _working_hours(agency_id)
    names = {int(v): t for v, t in WEEKDAYS}
    days = [names[d] for d in sorted(int(d) for d in working["workdays"]) if d in names]
    start = working.get("day_start") or dt.time(9)
    end = working.get("day_end") or dt.time(17)
    return {
        "days": days,
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "timezone": working["tz"],
        "holidays": bool(working.get("holidays")),
    }


@require_http_methods(["GET"])
def guidelines_view(request: HttpRequest, agency_slug: str) -> HttpResponse:
    """The agency's community guidelines, public (no sign-in): the house rules every moderation
    decision cites (DIA-TBX-MOD-3), how each channel is moderated and when it is watched, with
    the response times (NSW-CM-5, DIA-TBX-MOD-2), and how to raise a concern (NZPSC-OFF-3)."""
    agency = Agency.objects.filter(slug=agency_slug).first()
    if agency is None:
        raise Http404("No such agency")
    channels = list(Channel.objects.filter(agency=agency, active=True).order_by("name", "pk"))
    return render(
        request,
        "inbox/guidelines.html",
        {
            "page_agency": agency,
            "rules": house_rules_for(agency.pack),
            "channels": channels,
            "monitoring": _monitoring_summary(agency.pk),
        },
    )
