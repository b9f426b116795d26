"""Roles, scopes and the audit log, through Django's test client."""

import pytest


def audit_rows():
    from cscperf.web.models import AuditEvent

    return list(AuditEvent.objects.order_by("id").values("username", "action", "outcome", "child_ids"))


def test_login_required(web_store):
    from django.test import Client

    response = Client().get("/teams/T1/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_team_manager_sees_their_teams_overdue_visits(client_for):
    page = client_for("tm1").get("/teams/T1/").content.decode()
    # CB has had no CP visit since the plan began on 1 May: due 16 May, overdue on 3 June.
    assert "CB" in page and "16 May 2024" in page and "overdue" in page
    # CA visited 20 May: due Tue 4 June (27 May is a bank holiday).
    assert "4 Jun 2024" in page
    # CC was visited on 31 May: due 14 June, beyond the 5-working-day horizon, so not a visit row.
    assert "14 Jun 2024" not in page


def test_team_manager_cannot_open_another_teams_child_and_it_is_audited(client_for):
    client = client_for("tm1")
    before = len(audit_rows())
    assert client.get("/children/CE/").status_code == 404  # CE belongs to team T2
    assert client.get("/teams/T2/").status_code == 404
    denied = [r for r in audit_rows()[before:] if r["outcome"] == "denied"]
    assert [(r["username"], r["action"], r["child_ids"]) for r in denied] == [
        ("tm1", "child timeline", "CE"), ("tm1", "team", ""),
    ]


def test_own_child_timeline_is_shown_and_audited(client_for):
    client = client_for("tm1")
    page = client.get("/children/CA/").content.decode()
    assert "Child protection plan started" in page and "Referral" in page
    last = audit_rows()[-1]
    assert (last["username"], last["action"], last["outcome"], last["child_ids"]) == ("tm1", "child timeline", "allowed", "CA")


@pytest.mark.parametrize(
    "username,child,status",
    [("director", "CE", 200), ("analyst", "CE", 200), ("servicecp", "CA", 200), ("servicecp", "CE", 404),
     ("sw1", "CA", 200), ("sw1", "CB", 404), ("tm2", "CE", 200), ("tm2", "CA", 404)],
)
def test_each_role_sees_only_its_scope(client_for, username, child, status):
    assert client_for(username).get(f"/children/{child}/").status_code == status


def test_member_sees_no_child_level_pages(client_for):
    client = client_for("member")
    assert client.get("/teams/").status_code == 403
    assert client.get("/children/CA/").status_code == 403
    assert client.get("/").status_code == 200


def test_loads_and_audit_are_for_analysts(client_for):
    assert client_for("tm1").get("/loads/").status_code == 403
    assert client_for("analyst").get("/loads/").status_code == 200
    response = client_for("analyst").get("/audit/?format=csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    header = response.content.decode().splitlines()[0]
    assert header == "at,username,role,action,path,outcome,child_count,child_ids,address"


def test_audit_log_is_append_only(web_store):
    from cscperf.web.models import AppendOnlyError, AuditEvent

    event = AuditEvent.objects.create(username="x", action="test", path="/")
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_login_throttling(web_store):
    from django.test import Client

    from cscperf.web.accounts import create_user

    create_user("victim", "another long passphrase 7", "director")
    client = Client()
    for _ in range(5):
        response = client.post("/login/", {"username": "victim", "password": "wrong"})
        assert "Please enter a correct username and password" in response.content.decode()
    # The right password is now refused too, until the window passes.
    response = client.post("/login/", {"username": "victim", "password": "another long passphrase 7"})
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_passwords_are_hashed_with_argon2(web_store):
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="director").password.startswith("argon2$")


def test_secure_headers(client_for):
    response = client_for("director").get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"


def test_csrf_is_enforced(web_store):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.post("/login/", {"username": "director", "password": "x"}).status_code == 403


def test_supervision_pack_lists_the_workers_children(client_for):
    page = client_for("tm1").get("/workers/W1/").content.decode()
    assert "Sam Social" in page and "CA" in page and "CC" in page and "CB" not in page
    assert client_for("tm2").get("/workers/W1/").status_code == 404


def test_quality_page_is_scoped(client_for):
    assert "The sex is not valid." in client_for("tm1").get("/quality/").content.decode()
    assert "The sex is not valid." not in client_for("tm2").get("/quality/").content.decode()
