"""The "check a post" page and its HTMX partial: findings with clauses, plain-words verdicts,
escaping, nothing stored unless the person saves a draft."""

from __future__ import annotations

import html as htmlmod
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

import govsocial
from govsocial.clauses import clause
from govsocial.web.audit.models import AuditEvent
from govsocial.web.channels.models import Channel
from govsocial.web.drafts.models import Draft
from govsocial.web.review.services import explain, pack_choices

pytestmark = pytest.mark.django_db

CHECK = "/check/"
PARTIAL = "/check/partial/"
OK_TEXT = "Our offices are open 9am to 5pm on weekdays."
PASSWORD_TEXT = "The password is hunter2 for the admin account"
XSS = '<script>alert("x")</script> The password is hunter2 <img src=x onerror=alert(1)>'


def _post(client: Client, url: str, text: str, **extra: Any) -> tuple[int, str]:
    data = {"text": text, "context": "official", "platform": "", "pack": "nz", **extra}
    response = client.post(url, data, **({"HTTP_HX_REQUEST": "true"} if url == PARTIAL else {}))
    return response.status_code, response.content.decode()


def test_the_urls_are_named_as_the_workspace_expects() -> None:
    assert reverse("review:check") == CHECK and reverse("review:check-partial") == PARTIAL


def test_when_anonymous_opens_the_check_page_then_they_are_sent_to_sign_in() -> None:
    response = Client().get(CHECK)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    response = Client().post(PARTIAL, {"text": "hello"})
    assert response.status_code == 302


def test_when_anonymous_htmx_request_then_the_browser_is_redirected_to_sign_in() -> None:
    response = Client().post(PARTIAL, {"text": "hello"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_when_the_page_opens_then_the_form_updates_findings_as_you_type(
    users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    response = client_for("officer").get(CHECK)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'hx-post="{PARTIAL}"' in page
    assert 'hx-trigger="keyup changed delay:400ms"' in page
    assert "hx-headers=" in page and "X-CSRFToken" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'action="/check/"' in page and 'method="post"' in page  # works without JavaScript
    assert 'aria-live="polite"' in page


def test_when_an_ok_post_is_checked_then_it_is_good_to_go(
    users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    status, page = _post(client_for("officer"), CHECK, OK_TEXT)
    assert status == 200 and "Good to go" in page


@pytest.mark.parametrize("url", [CHECK, PARTIAL])
def test_when_a_post_has_problems_then_each_finding_shows_its_clauses_and_fix(
    users: dict[str, Any], client_for: Callable[[Any], Client], url: str
) -> None:
    expected = govsocial.review(govsocial.Post(text=PASSWORD_TEXT), pack="nz")
    assert expected.findings, "the example post must have findings"
    status, page = _post(client_for("officer"), url, PASSWORD_TEXT)
    assert status == 200
    assert "Do not publish" in page
    reconstructed = False
    for finding in expected.findings:
        assert finding.code in page
        assert htmlmod.escape(finding.message, quote=False) in page or htmlmod.escape(finding.message) in page
        assert htmlmod.escape(finding.fix, quote=False) in page or htmlmod.escape(finding.fix) in page
        for cid in finding.clauses:
            known = clause(cid)
            assert cid in page
            if known is not None:
                assert htmlmod.escape(known.text, quote=False) in page or htmlmod.escape(known.text) in page
                reconstructed = reconstructed or known.reconstructed
    assert reconstructed, "the example should cite a reconstructed clause"
    assert "Reconstructed" in page and "not checked against the original text" in page


def test_when_the_partial_answers_then_it_is_a_fragment_not_a_page(
    users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    status, fragment = _post(client_for("officer"), PARTIAL, PASSWORD_TEXT)
    assert status == 200 and "<html" not in fragment and "govuk-header" not in fragment
    status, fragment = _post(client_for("officer"), PARTIAL, "   ")
    assert status == 200 and "start typing" in fragment


@pytest.mark.parametrize("url", [CHECK, PARTIAL])
def test_when_the_post_holds_markup_then_it_is_escaped(
    users: dict[str, Any], client_for: Callable[[Any], Client], url: str
) -> None:
    status, page = _post(client_for("officer"), url, XSS, media_0_kind="image", media_0_alt=XSS, reply_to=XSS)
    assert status == 200
    assert "<script>alert" not in page and "<img src=x" not in page


def test_when_checking_then_nothing_is_stored(
    users: dict[str, Any], channel: Channel, client_for: Callable[[Any], Client]
) -> None:
    events = AuditEvent.objects.count()
    client = client_for("officer")
    _post(client, CHECK, PASSWORD_TEXT, context="personal")
    _post(client, PARTIAL, PASSWORD_TEXT)
    assert AuditEvent.objects.count() == events and not Draft.objects.exists()


def test_when_personal_is_chosen_then_the_personal_rules_apply(
    users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    text = "Vote Labour on Saturday!"
    expected = {
        context: explain(govsocial.review(govsocial.Post(text=text, context=context), pack="nz"))
        for context in ("official", "personal")
    }
    official, personal = expected["official"], expected["personal"]
    assert official is not None and personal is not None and official.headline != personal.headline
    for context, result, other in (("official", official, personal), ("personal", personal, official)):
        _, page = _post(client_for("officer"), PARTIAL, text, context=context)
        assert result.headline in page and f"{other.headline}<" not in page


def test_when_a_pack_outside_the_agency_list_is_asked_for_then_it_is_refused(
    users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    status, page = _post(client_for("officer"), CHECK, OK_TEXT, pack="/etc/passwd")
    assert status == 400 and "There is a problem" in page
    choices = [ref for ref, _ in pack_choices(for_user=users["officer"])]
    assert choices[0] == "nz" and {"nz", "uk", "nsw"} <= set(choices)


def test_when_the_person_saves_the_check_then_a_draft_is_made_for_the_chosen_channel(
    users: dict[str, Any], channel: Channel, client_for: Callable[[Any], Client]
) -> None:
    client = client_for("officer")
    status, page = _post(client, CHECK, OK_TEXT, action="save")
    assert status == 400 and "Choose the channel" in page and not Draft.objects.exists()
    response = client.post(
        CHECK, {"text": OK_TEXT, "context": "official", "pack": "nz", "action": "save", "channel": channel.pk}
    )
    draft = Draft.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("drafts:detail", args=[draft.pk])
    assert (draft.author, draft.channel, draft.revisions.get().text) == (users["officer"], channel, OK_TEXT)


def test_when_the_role_cannot_draft_then_saving_is_not_offered(
    users: dict[str, Any], channel: Channel, client_for: Callable[[Any], Client]
) -> None:
    page = client_for("records_manager").get(CHECK).content.decode()
    assert "Save as a draft" not in page
    _post(client_for("records_manager"), CHECK, OK_TEXT, action="save", channel=channel.pk)
    assert not Draft.objects.exists()


def test_when_csrf_token_is_missing_then_the_check_is_refused(users: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["officer"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(PARTIAL, {"text": OK_TEXT}).status_code == 403
    assert client.post(CHECK, {"text": OK_TEXT}).status_code == 403
