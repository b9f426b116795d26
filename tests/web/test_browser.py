"""The web app in Debian's Chromium (pytest-playwright), against a server started on the tiny
council: sign in as each role, tamper with a URL, print the supervision pack, and run axe-core
(from the npm registry, injected from the local file) on each page type."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from council import PASSWORD, USERS
from serving import start_server

pytestmark = pytest.mark.browser
# Playwright's sync API keeps an event loop running in this thread; the tests' own ORM calls
# (setting up users, reading the audit log) are synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
AXE = Path(__file__).resolve().parents[2] / "web-assets" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (make test installs it as root)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def server(web_store):
    proc, port = start_server(web_store, "--threads", "4")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def sign_in(page, server, username):
    page.goto(f"{server}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{server}/")


@pytest.mark.parametrize("username", sorted(USERS))
def test_each_role_signs_in_and_sees_its_menu(page, server, username):
    sign_in(page, server, username)
    menu = page.locator(".govuk-service-navigation__list").inner_text()
    assert "Indicators" in menu
    assert ("Teams" in menu) == (USERS[username]["role"] != "member")
    assert ("Audit log" in menu) == (USERS[username]["role"] == "analyst")


def test_team_manager_sees_overdue_visits_and_url_tampering_is_refused(page, server):
    sign_in(page, server, "tm1")
    page.goto(f"{server}/teams/T1/")
    row = page.locator("tr", has=page.locator("a", has_text="CB")).first
    assert "overdue" in row.inner_text()
    response = page.goto(f"{server}/children/CE/")
    assert response.status == 404
    from cscperf.web.models import AuditEvent

    last = AuditEvent.objects.filter(username="tm1").order_by("-id").first()
    assert (last.action, last.outcome, last.child_ids) == ("child timeline", "denied", "CE")


def test_supervision_pack_prints(page, server):
    sign_in(page, server, "tm1")
    page.goto(f"{server}/workers/W1/")
    page.emulate_media(media="print")
    assert page.locator(".govuk-service-navigation").is_hidden()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    assert "Sam Social" in page.locator("h1").inner_text()


def test_drill_down_from_a_council_numerator_lists_exactly_the_children_it_counts(page, server):
    sign_in(page, server, "director")
    page.goto(f"{server}/indicators/{VISITS}/")
    link = page.locator('#council-series tr[data-month="2024-05"] a[data-drill="numerator"]')
    numerator = int(link.inner_text())
    assert numerator == 2  # CA and CC were visited in time in May 2024 (test_indicators.py)
    link.click()
    page.wait_for_url("**/drill/**")
    assert page.locator("#drill-records tbody tr").count() == numerator
    assert int(page.locator("#drill-count").inner_text()) == numerator
    page.locator("#drill-records a", has_text="CA").click()
    assert page.locator("h1").count() == 1 and "/children/CA/" in page.url


VISITS = "child_protection.visits_within_10_working_days"
PAGES = ["/", "/teams/", "/teams/T1/", "/workers/W1/", "/children/CA/", "/quality/", "/loads/", "/audit/",
         f"/indicators/{VISITS}/", f"/indicators/{VISITS}/drill/?month=2024-05&part=numerator"]


@pytest.fixture
def axe_page(browser):
    """A page whose context lets the test inject axe-core despite the app's strict CSP."""
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


def serious_violations(page) -> list[tuple[str, str, int]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(axe_page, server, path):
    sign_in(axe_page, server, "analyst")
    axe_page.goto(f"{server}{path}")
    assert serious_violations(axe_page) == []


def test_login_page_is_accessible(axe_page, server):
    axe_page.goto(f"{server}/login/")
    assert serious_violations(axe_page) == []


def test_axe_does_find_violations(axe_page):
    """The accessibility check can fail: a page with an unlabelled image and field has violations."""
    axe_page.set_content("<html lang='en'><body><main><img src='x.png'><input type='text'></main></body></html>")
    ids = {v[0] for v in serious_violations(axe_page)}
    assert {"image-alt", "label"} <= ids
