"""The dashboard in Debian's Chromium: sign in, an alert arrives live, acknowledge it, the map,
a supplier search, the feeds page with buyers' feedback counts (never their notes); feed text
with script payloads never runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import SQLModel

from monitor import db
from monitor.alerts import service as alerts
from monitor.api.app import create_app
from monitor.columns import utcnow
from monitor.feedback import service as feedback
from monitor.keys.service import create_key
from monitor.models import Feed, SeenItem
from monitor.settings import Settings
from tests.dashboard.conftest import LiveServer
from tests.dashboard.seed import (
    PRIVATE_NOTE,
    Seeded,
    mark_false_alarm,
    report_missed,
    second_incident,
    seed,
    watch_without_supplier,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def seeded(postgres_url: str) -> Iterator[tuple[Settings, Seeded, dict[str, str]]]:
    """The seeded rows and a key per role, made as `monitor keys create` makes them."""
    settings = Settings(database_url=postgres_url)
    with db.session_scope(settings) as session:
        rows = seed(session)
        keys = {
            "buyer": create_key(session=session, role="buyer", buyer_id=rows.buyer_id)[1],
            "operator": create_key(session=session, role="operator")[1],
        }
    yield settings, rows, keys
    with db.get_engine(settings).begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def site(seeded: tuple[Settings, Seeded, dict[str, str]]) -> Iterator[str]:
    """The real application (API and dashboard) served on an ephemeral port."""
    with LiveServer(create_app(seeded[0])) as url:
        yield url


def _no_script_ran(page: Any) -> None:
    assert page.evaluate("window.__xss") is None
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert page.locator("main script, main img, main iframe").count() == 0


def _shot(page: Any, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def test_buyer_sees_a_live_alert_acknowledges_it_and_uses_map_and_search(
    chromium: Any, site: str, seeded: tuple[Settings, Seeded, dict[str, str]], screenshots: Path
) -> None:
    settings, rows, keys = seeded
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site + "/")
    page.fill("#key", keys["buyer"])
    page.click("button[type=submit]")
    page.wait_for_url(site + "/alerts")
    first = page.locator("article.alert")
    first.first.wait_for()
    assert "<script>" in first.first.locator("h2").inner_text()  # shown as text, not run
    page.locator("#live[data-state=live]").wait_for()
    assert page.locator("#who").inner_text() == f"buyer · buyer {rows.buyer_id}"  # from GET /me
    assert page.locator("nav a[href='/feeds']").count() == 0  # operators' page: not offered

    with db.session_scope(settings) as session:
        live = second_incident(session, buyer_id=rows.buyer_id, feed_id=rows.feed_id)
    card = page.locator(f"article.alert.fresh[data-alert-id='{live.id}']")
    card.wait_for()
    assert "San-Pédro" in card.locator("h2").inner_text()
    assert card.locator("mark", has_text="went on strike").count() >= 1
    assert card.locator("p.meta .cause").inner_text().startswith("strike — exports halted <scr")
    assert card.locator("dl.why dd").first.inner_text().startswith("Cocoa from West Africa <img")
    assert card.locator(".suggestions li.supplier").count() == 1
    assert card.locator("p.source-count").inner_text() == "The first and the latest of 57 reports"
    others = page.locator(f"article.alert:not([data-alert-id='{live.id}'])")
    assert others.count() >= 1
    assert others.locator("p.source-count").count() == 0  # all their reports are shown
    _no_script_ran(page)
    _shot(page, screenshots, "alerts-live")

    card.locator("button.ack").click()
    card.wait_for(state="detached")
    page.click("[role=tab][data-status=acknowledged]")
    page.locator(f"article.alert[data-alert-id='{live.id}']").wait_for()
    _no_script_ran(page)

    with db.session_scope(settings) as session:
        watch_without_supplier(session, buyer_id=rows.buyer_id)
    page.click("nav a[href='/map']")
    page.locator("body[data-ready=map]").wait_for()
    affected = page.locator("#suppliers li.affected")
    assert affected.count() == 1  # not Tema's: a routine warning alerts no supplier watch
    assert "Abidjan Cocoa Grinders" in affected.inner_text()
    assert "inside the hazard area" not in affected.inner_text()
    # The drought alerts through the watch on Ghana, far from Tema: said, not a silent "0".
    why = ("Drought in northern Ghana: alerted through your watch 'Cocoa from Ghana' "
           "(country GH); none of your suppliers is inside its area.")  # fmt: skip
    assert why in page.locator("#status").inner_text()
    assert page.locator("#incidents li.watch-only").count() == 1
    assert page.locator("path.incident-area").count() == 2  # the warning's circle, the box
    assert page.locator("path.incident-marker").count() >= 2
    assert page.locator("path.leaflet-interactive").count() > 100  # the bundled countries
    _no_script_ran(page)
    _shot(page, screenshots, "map")

    page.click("nav a[href='/suppliers']")
    page.fill("input[name=material]", "cocoa")
    page.click("#search button[type=submit]")
    page.locator("#results li.supplier").first.wait_for()
    assert page.locator("#results li.supplier").count() >= 1
    _shot(page, screenshots, "supplier-search")
    page.close()


def test_operator_sees_feed_health_and_feed_text_stays_text(
    chromium: Any, site: str, seeded: tuple[Settings, Seeded, dict[str, str]], screenshots: Path
) -> None:
    settings, rows, keys = seeded
    with db.session_scope(settings) as session:  # the buyer said the seeded alert was wrong
        mark_false_alarm(session, buyer_id=rows.buyer_id)
        report_missed(session, buyer_id=rows.buyer_id)
        for n in range(14):  # two new items a day over the last week
            session.add(SeenItem(item_id=f"browser-{n}", feed_id=rows.feed_id))
        session.add(
            Feed(url="https://paused.example/rss", enabled=False, paused_at=utcnow(),
                 tags=["Shipping/Ports", "<i>europe</i>"],
                 consecutive_failures=10, last_fetch_at=utcnow(),
                 disabled_reason="paused after 10 errors in a row (<b>HTTP 500</b>)")
        )  # fmt: skip
    page = chromium.new_page(viewport={"width": 1280, "height": 700})
    page.goto(site + "/")
    page.fill("#key", keys["operator"])
    page.click("button[type=submit]")
    page.wait_for_url(site + "/feeds")
    page.locator("nav a[href='/feeds'][aria-current=page]").wait_for()
    row = page.locator("#feeds tr").first
    row.wait_for()
    assert "<script>" in row.locator(".error-text").inner_text()
    assert "100 % of 1" in row.inner_text()
    assert row.locator(".reasons").inner_text() == "wrong place 1"  # the buyer's reason
    assert row.locator("td.precision").inner_text() == "0 %"
    page.locator("#missed li[data-missed-id]").wait_for()
    assert page.locator("#reasons").inner_text() == "wrong place 1"
    assert page.locator("#missed-count").inner_text() == "1"
    missed = page.locator("#missed a")
    assert missed.get_attribute("href") == "https://news.example.org/missed-flood"
    assert PRIVATE_NOTE not in page.content()  # operators see counts, never buyers' notes
    assert row.locator("td.num").first.inner_text() == "2.0"  # items per day
    paused = page.locator("#feeds tr", has_text="paused.example")
    assert paused.locator(".tags").inner_text() == "Shipping/Ports · <i>europe</i>"  # as text
    assert paused.locator("td.warn").inner_text() == (
        "paused: paused after 10 errors in a row (<b>HTTP 500</b>)"
    )
    _no_script_ran(page)
    _shot(page, screenshots, "feeds")
    page.close()


def test_a_refused_key_stays_on_the_login_page(chromium: Any, site: str) -> None:
    page = chromium.new_page()
    page.goto(site + "/")
    page.fill("#key", "wrong")
    page.click("button[type=submit]")
    page.locator("#status.error").wait_for()
    assert "refused" in page.locator("#status").inner_text()
    assert page.url == site + "/"
    page.close()


def test_buyer_says_why_an_alert_is_false_and_reports_a_missed_event(
    chromium: Any, site: str, seeded: tuple[Settings, Seeded, dict[str, str]], screenshots: Path
) -> None:
    settings, rows, keys = seeded
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site + "/")
    page.fill("#key", keys["buyer"])
    page.click("button[type=submit]")
    page.wait_for_url(site + "/alerts")
    card = page.locator("article.alert").first
    card.locator("button.false-alarm").click()
    form = card.locator("form.why-false")
    form.locator("select[name=reason]").select_option("wrong_place")
    form.locator("input[name=note]").fill("We buy in <b>Kumasi</b>")
    form.locator("button[type=submit]").click()
    card.wait_for(state="detached")
    page.locator("#status.ok").wait_for()
    page.locator("#report-missed summary").click()
    page.fill("#missed-form input[name=url]", "https://news.example.org/flood-at-our-mill")
    page.fill("#missed-form input[name=note]", "Our mill is flooded")
    page.click("#missed-form button[type=submit]")
    page.locator("#status.ok", has_text="missed event was reported").wait_for()
    _no_script_ran(page)
    _shot(page, screenshots, "alerts-feedback")
    page.close()
    with db.session_scope(settings) as session:
        marked = [feedback.get_feedback(session=session, alert_id=a.id or 0) for a in
                  alerts.list_alerts(session=session, buyer_id=rows.buyer_id)[0]]  # fmt: skip
        missed, _ = feedback.list_missed(session=session, buyer_id=rows.buyer_id)
    assert [(f.reason, f.note) for f in marked if f] == [("wrong_place", "We buy in Kumasi")]
    assert [(m.url, m.note) for m in missed] == [
        ("https://news.example.org/flood-at-our-mill", "Our mill is flooded")
    ]
