"""The channel register: who sees and changes it, pack validation, and the audit trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from govsocial.web.audit.models import AuditEvent
from govsocial.web.channels import selectors, services
from govsocial.web.channels.models import Channel

pytestmark = pytest.mark.django_db


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Ministry on Bluesky",
        "platform": "bluesky",
        "handle": "tests.bsky.social",
        "owning_team": "",
        "pack": "",
        "context": "official",
        "objectives": "Service updates",
        "active": "yes",
    }
    data.update(overrides)
    return data


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


@pytest.mark.parametrize("role", ["officer", "approver", "moderator", "comms_manager", "records_manager", "admin"])
def test_when_a_member_opens_the_register_then_the_agency_channels_are_listed(
    role: str, clients: dict[str, Client], channel: Any
) -> None:
    response = clients[role].get("/channels/")
    assert response.status_code == 200
    assert "Main X account" in response.content.decode()
    assert clients[role].get(f"/channels/{channel.pk}/").status_code == 200


def test_when_another_agency_has_channels_then_they_are_invisible(
    clients: dict[str, Client], outsider: Any, other_agency: Any
) -> None:
    theirs = services.channel_create(
        actor=outsider, agency=other_agency, name="Their channel", platform="x", handle="@Theirs"
    )
    assert "Their channel" not in clients["comms_manager"].get("/channels/").content.decode()
    assert clients["comms_manager"].get(f"/channels/{theirs.pk}/").status_code == 404
    assert clients["comms_manager"].post(f"/channels/{theirs.pk}/edit/", _form()).status_code == 404


@pytest.mark.parametrize("role", ["comms_manager", "admin"])
def test_when_a_manager_adds_a_channel_then_it_is_saved_and_audited(
    role: str, clients: dict[str, Client], users: dict[str, Any], team: Any
) -> None:
    response = clients[role].post(
        "/channels/new/",
        _form(owning_team=team.pk, publishers=[users["approver"].pk], requires_approval="yes", pack="uk"),
    )
    assert response.status_code == 302
    channel = Channel.objects.get(handle="tests.bsky.social")
    assert channel.owning_team == team and channel.requires_approval and channel.pack == "uk" and channel.active
    assert list(channel.publishers.all()) == [users["approver"]]
    (event,) = _events("channel.created")
    assert event.subject_id == str(channel.pk) and event.actor_id == users[role].pk
    assert event.new["publishers"] == ["approver"] and event.new["owning_team"] == "Digital"


@pytest.mark.parametrize("role", ["officer", "approver", "moderator", "records_manager"])
def test_when_anyone_else_tries_to_add_or_edit_a_channel_then_it_is_forbidden(
    role: str, clients: dict[str, Client], channel: Any, users: dict[str, Any]
) -> None:
    client = clients[role]
    assert client.get("/channels/new/").status_code == 403
    assert client.post("/channels/new/", _form()).status_code == 403
    assert client.post(f"/channels/{channel.pk}/edit/", _form(name="Hijacked")).status_code == 403
    assert not Channel.objects.filter(name="Hijacked").exists() and not _events("channel.updated")
    with pytest.raises(PermissionDenied):
        services.channel_update(actor=users[role], channel=channel, name="Hijacked")


def test_when_anonymous_opens_the_register_then_they_are_sent_to_sign_in(clients: dict[str, Client]) -> None:
    assert clients["anonymous"].get("/channels/").status_code == 302
    assert clients["anonymous"].post("/channels/new/", _form()).status_code == 302
    assert not Channel.objects.exists()


def test_when_a_channel_is_edited_then_only_the_changed_fields_are_audited(
    clients: dict[str, Client], channel: Any, users: dict[str, Any], team: Any
) -> None:
    data = _form(
        name="Main X account",
        platform="x",
        handle="@MinistryOfTests",
        owning_team=team.pk,
        publishers=[users["approver"].pk, users["officer"].pk],
        objectives="",
    )
    response = clients["comms_manager"].post(f"/channels/{channel.pk}/edit/", data)
    assert response.status_code == 302
    (event,) = _events("channel.updated")
    assert event.old == {"publishers": ["approver"]}
    assert event.new == {"publishers": ["approver", "officer"]}
    # Saving the same values again writes nothing.
    clients["comms_manager"].post(f"/channels/{channel.pk}/edit/", data)
    assert len(_events("channel.updated")) == 1


def test_when_a_channel_is_deactivated_then_it_leaves_the_default_list(
    clients: dict[str, Client], channel: Any, users: dict[str, Any]
) -> None:
    services.channel_update(actor=users["admin"], channel=channel, active=False)
    assert "Main X account" not in clients["officer"].get("/channels/").content.decode()
    assert "Main X account" in clients["officer"].get("/channels/?show=all").content.decode()
    (event,) = _events("channel.updated")
    assert event.old == {"active": True} and event.new == {"active": False}


def test_when_the_pack_is_unknown_then_the_form_names_the_built_in_packs(clients: dict[str, Client]) -> None:
    response = clients["comms_manager"].post("/channels/new/", _form(pack="atlantis"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Unknown pack" in html and "nz" in html and "govuk-error-summary" in html
    assert not Channel.objects.exists()


def test_when_a_pack_file_is_outside_the_pack_folders_then_it_is_refused(users: dict[str, Any], agency: Any) -> None:
    with pytest.raises(ValidationError, match="pack folder"):
        services.channel_create(
            actor=users["admin"], agency=agency, name="c", platform="x", handle="@c", pack="/etc/passwd.yml"
        )


def test_when_a_pack_file_in_a_pack_folder_loads_then_it_is_accepted(
    users: dict[str, Any], agency: Any, settings: Any, tmp_path: Path
) -> None:
    settings.GOVSOCIAL_PACK_DIRS = [str(tmp_path)]
    pack = tmp_path / "agency.yml"
    pack.write_text('id: tests-agency\nversion: "2026.1.0"\ntitle: Tests agency\nextends: nz\n', encoding="utf-8")
    channel = services.channel_create(
        actor=users["admin"], agency=agency, name="c", platform="x", handle="@c", pack=str(pack)
    )
    assert channel.pack_ref == str(pack)
    broken = tmp_path / "broken.yml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="could not be loaded"):
        services.channel_update(actor=users["admin"], channel=channel, pack=str(broken))


def test_when_the_same_account_is_registered_twice_then_it_is_refused(clients: dict[str, Client], channel: Any) -> None:
    response = clients["comms_manager"].post("/channels/new/", _form(platform="x", handle="@ministryoftests"))
    assert response.status_code == 400
    assert "already has this account" in response.content.decode()


def test_when_publishers_or_team_belong_to_another_agency_then_the_service_refuses(
    users: dict[str, Any], agency: Any, outsider: Any, other_agency: Any
) -> None:
    from govsocial.web.accounts.services import team_create

    their_team = team_create(actor=None, agency=other_agency, name="Theirs")
    with pytest.raises(ValidationError, match="another agency"):
        services.channel_create(
            actor=users["admin"], agency=agency, name="c", platform="x", handle="@c", publishers=[outsider]
        )
    with pytest.raises(ValidationError, match="another agency"):
        services.channel_create(
            actor=users["admin"], agency=agency, name="c", platform="x", handle="@c", owning_team=their_team
        )


def test_when_someone_posts_a_publisher_from_another_agency_then_the_form_rejects_it(
    clients: dict[str, Client], outsider: Any
) -> None:
    response = clients["comms_manager"].post("/channels/new/", _form(publishers=[outsider.pk]))
    assert response.status_code == 400
    assert not Channel.objects.exists()


def test_when_selecting_channels_then_filters_apply_within_the_agency(
    users: dict[str, Any], channel: Any, agency: Any
) -> None:
    other = services.channel_create(
        actor=None, agency=agency, name="Facebook page", platform="facebook", handle="TestsPage", active=False
    )
    officer = users["officer"]
    assert list(selectors.channel_list(for_user=officer)) == [other, channel]
    assert list(selectors.channel_list(for_user=officer, filters={"active": True})) == [channel]
    assert list(selectors.channel_list(for_user=officer, filters={"platform": "facebook"})) == [other]
    assert list(selectors.channel_list(for_user=officer, filters={"q": "ministryof"})) == [channel]
    assert list(selectors.channel_list(for_user=officer, filters={"publishable_by": users["approver"]})) == [channel]
    assert list(selectors.channel_list(for_user=None)) == []


def test_when_channel_history_is_shown_then_only_audit_viewers_see_it(
    clients: dict[str, Client], channel: Any, users: dict[str, Any]
) -> None:
    services.channel_update(actor=users["admin"], channel=channel, objectives="New objectives")
    assert "channel.updated" in clients["records_manager"].get(f"/channels/{channel.pk}/").content.decode()
    assert "channel.updated" not in clients["officer"].get(f"/channels/{channel.pk}/").content.decode()


def test_when_update_gets_an_unknown_field_then_it_is_a_programming_error(users: dict[str, Any], channel: Any) -> None:
    with pytest.raises(TypeError, match="agency"):
        services.channel_update(actor=users["admin"], channel=channel, agency=None)


def test_when_the_response_target_and_moderation_mode_are_saved_then_the_channel_and_audit_keep_them(
    client_for: Any, users: dict[str, Any], channel: Any
) -> None:
    from govsocial.web.audit.models import AuditEvent

    client = client_for(users["comms_manager"])
    form = {
        "name": channel.name,
        "platform": channel.platform,
        "handle": channel.handle,
        "context": "official",
        "moderation_mode": "alert_only",
        "response_target_hours": "4",
        "active": "yes",
    }
    response = client.post(f"/channels/{channel.pk}/edit/", form)
    assert response.status_code == 302, response.content[:500]
    channel.refresh_from_db()
    assert (channel.moderation_mode, channel.response_target_hours) == ("alert_only", 4)
    event = AuditEvent.objects.filter(action="channel.updated", subject_id=str(channel.pk)).latest("seq")
    assert event.new["response_target_hours"] == 4 and event.old["response_target_hours"] == 8


def test_when_the_response_target_is_out_of_range_then_the_form_says_so(
    client_for: Any, users: dict[str, Any], channel: Any
) -> None:
    client = client_for(users["comms_manager"])
    form = {"name": channel.name, "platform": channel.platform, "handle": channel.handle, "context": "official"}
    response = client.post(f"/channels/{channel.pk}/edit/", {**form, "response_target_hours": "0"})
    assert response.status_code == 400 or b"govuk-error-message" in response.content
    channel.refresh_from_db()
    assert channel.response_target_hours == 8
