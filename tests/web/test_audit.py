"""The audit log: append-only in the ORM and the database, tamper detection, and its page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from govsocial.web.audit.models import AppendOnlyError, AuditEvent
from govsocial.web.audit.services import audit_record, verify_chain


def _record(n: int, *, actor: Any = None, agency: Any = None, action: str = "test.event") -> list[AuditEvent]:
    events = []
    with transaction.atomic():
        for i in range(n):
            events.append(
                audit_record(
                    actor=actor, agency=agency, action=action, subject_type="thing", subject_id=i, new={"i": i}
                )
            )
    return events


def _drop_append_only_triggers() -> None:
    """What an attacker with database access would do first (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete")


def _sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


# Append-only ---------------------------------------------------------------------------------


def test_when_the_orm_updates_or_deletes_an_event_then_it_is_refused(db: Any) -> None:
    (event,) = _record(1)
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent(seq=99, action="x").save()  # only audit_record writes events


def test_when_raw_sql_updates_or_deletes_an_event_then_the_database_refuses(db: Any) -> None:
    (event,) = _record(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["changed", event.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.django_db(transaction=True)
def test_when_audit_record_runs_outside_a_transaction_then_it_refuses() -> None:
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        audit_record(actor=None, action="test", subject_type="thing", subject_id=1)


def test_when_an_event_is_recorded_then_it_takes_the_actors_agency(users: dict[str, Any], agency: Any) -> None:
    with transaction.atomic():
        event = audit_record(actor=users["officer"], action="test", subject_type="thing", subject_id=1)
    assert event.agency_id == agency.pk and event.actor_label == "Test officer"


# Tamper detection ----------------------------------------------------------------------------


def test_when_nothing_was_touched_then_the_chain_is_intact(db: Any) -> None:
    _record(5)
    count, broken = verify_chain()
    assert broken is None and count >= 5


def test_when_an_event_is_modified_then_verify_names_it(db: Any) -> None:
    events = _record(5)
    _drop_append_only_triggers()
    _sql("UPDATE audit_auditevent SET new = %s WHERE id = %s", ['{"i": 99}', events[2].pk])
    _count, broken = verify_chain()
    assert broken is not None and broken.seq == events[2].seq
    assert "modified" in str(broken)


def test_when_an_event_is_modified_and_rehashed_then_the_next_link_breaks(db: Any) -> None:
    from govsocial.web.audit.services import compute_hash

    events = _record(5)
    _drop_append_only_triggers()
    target = AuditEvent.objects.get(pk=events[1].pk)
    target.reason = "rewritten"
    forged = compute_hash(target.prev_hash, target)
    _sql("UPDATE audit_auditevent SET reason = %s, hash = %s WHERE id = %s", ["rewritten", forged, target.pk])
    _count, broken = verify_chain()
    assert broken is not None and broken.seq == events[2].seq
    assert "does not link" in str(broken)


def test_when_an_event_is_deleted_then_verify_names_the_gap(db: Any) -> None:
    events = _record(5)
    _drop_append_only_triggers()
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    _count, broken = verify_chain()
    assert broken is not None and broken.seq == events[2].seq
    assert "deleted" in str(broken)


def test_when_events_are_reordered_then_verify_names_the_first_moved_one(db: Any) -> None:
    events = _record(5)
    _drop_append_only_triggers()
    a, b = events[1], events[3]
    _sql("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [-1, a.pk])
    _sql("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [a.seq, b.pk])
    _sql("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [b.seq, a.pk])
    _count, broken = verify_chain()
    assert broken is not None and broken.seq == a.seq
    assert "reordered" in str(broken)


def test_when_the_newest_events_are_removed_then_verify_sees_the_truncation(db: Any) -> None:
    events = _record(5)
    _drop_append_only_triggers()
    _sql("DELETE FROM audit_auditevent WHERE seq >= %s", [events[3].seq])
    _count, broken = verify_chain()
    assert broken is not None and broken.seq == events[3].seq
    assert "chain head" in str(broken)


def test_when_an_event_is_moved_to_another_agency_then_verify_detects_it(agency: Any, other_agency: Any) -> None:
    events = _record(3, agency=agency)
    _drop_append_only_triggers()
    _sql("UPDATE audit_auditevent SET agency_id = %s WHERE id = %s", [other_agency.pk, events[1].pk])
    _count, broken = verify_chain()
    assert broken is not None and broken.seq == events[1].seq


# The audit log page ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["comms_manager", "records_manager", "admin"])
def test_when_an_audit_viewer_opens_the_log_then_the_newest_events_come_first(
    role: str, clients: dict[str, Client], agency: Any
) -> None:
    _record(3, agency=agency)
    html = clients[role].get("/audit/").content.decode()
    assert html.index("thing 2") < html.index("thing 1") < html.index("thing 0")


@pytest.mark.parametrize("role", ["officer", "approver", "moderator"])
def test_when_anyone_else_opens_the_log_then_it_is_forbidden(role: str, clients: dict[str, Client]) -> None:
    assert clients[role].get("/audit/").status_code == 403
    assert clients[role].post("/audit/verify/").status_code == 403


def test_when_anonymous_opens_the_log_then_they_are_sent_to_sign_in(clients: dict[str, Client]) -> None:
    assert clients["anonymous"].get("/audit/").status_code == 302
    assert clients["anonymous"].post("/audit/verify/").status_code == 302


def test_when_another_agency_has_events_then_they_are_not_shown(clients: dict[str, Client], other_agency: Any) -> None:
    _record(1, agency=other_agency, action="secret.other_agency_event")
    html = clients["admin"].get("/audit/").content.decode()
    assert "secret.other_agency_event" not in html


def test_when_filtering_by_action_and_subject_then_only_matching_events_are_listed(
    clients: dict[str, Client], agency: Any
) -> None:
    _record(3, agency=agency, action="alpha.done")
    _record(2, agency=agency, action="beta.done")
    client = clients["records_manager"]
    assert client.get("/audit/?action=beta.done").content.decode().count("<code>beta.done</code>") == 2
    assert "<code>alpha.done</code>" not in client.get("/audit/?action=beta.done").content.decode()
    html = client.get("/audit/?subject=thing:1").content.decode()
    assert html.count("<code>alpha.done</code>") == 1 and html.count("<code>beta.done</code>") == 1


def test_when_there_are_many_events_then_the_log_is_paginated(clients: dict[str, Client], agency: Any) -> None:
    _record(60, agency=agency)
    client = clients["admin"]
    first = client.get("/audit/").content.decode()
    second = client.get("/audit/?page=2").content.decode()
    assert "govuk-pagination" in first
    # 60 events, 50 a page, newest first: 59..10 then 9..0.
    assert "thing 59" in first and "thing 10" in first and "thing 9" not in first
    assert "thing 9" in second and "thing 0" in second and "thing 10" not in second


def test_when_event_details_hold_markup_then_it_is_escaped(clients: dict[str, Client], agency: Any) -> None:
    with transaction.atomic():
        audit_record(
            actor=None,
            agency=agency,
            action="test.xss",
            subject_type="thing",
            subject_id=1,
            new={"name": "<script>alert(1)</script>"},
            reason="<img src=x onerror=alert(1)>",
        )
    html = clients["admin"].get("/audit/").content.decode()
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_when_a_records_manager_verifies_an_intact_chain_then_it_says_so(
    clients: dict[str, Client], agency: Any
) -> None:
    _record(3, agency=agency)
    response = clients["records_manager"].post("/audit/verify/", follow=True)
    assert "The audit chain is intact" in response.content.decode()


def test_when_a_records_manager_verifies_a_tampered_chain_then_the_broken_link_is_named(
    clients: dict[str, Client], agency: Any
) -> None:
    events = _record(3, agency=agency)
    _drop_append_only_triggers()
    _sql("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["tampered", events[1].pk])
    html = clients["admin"].post("/audit/verify/", follow=True).content.decode()
    assert "The audit chain is broken" in html and f"event {events[1].seq}" in html


def test_when_a_comms_manager_sees_the_log_then_there_is_no_verify_button(clients: dict[str, Client]) -> None:
    assert "Verify the chain" not in clients["comms_manager"].get("/audit/").content.decode()
    assert clients["comms_manager"].post("/audit/verify/").status_code == 403
    assert "Verify the chain" in clients["records_manager"].get("/audit/").content.decode()
