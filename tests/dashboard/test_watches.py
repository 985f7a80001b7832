"""The watch page and the alert settings in Debian's Chromium: a buyer creates and edits a
watch with its backtest beside it, and adds and deletes a Slack destination (shown masked)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import SQLModel, select

from monitor import db
from monitor.api.app import create_app
from monitor.buyers.models import Destination, Watch
from monitor.keys.service import create_key
from monitor.settings import Settings
from tests.dashboard.conftest import LiveServer
from tests.dashboard.seed import Seeded, seed

pytestmark = pytest.mark.postgres
SLACK = "https://hooks.slack.com/services/T000/B000/secretXYZ9"


@pytest.fixture(scope="module")
def world(postgres_url: str) -> Iterator[tuple[Settings, Seeded, dict[str, str], str]]:
    """The seeded rows, a buyer and an admin key, and the app served on an ephemeral port."""
    settings = Settings(database_url=postgres_url)
    with db.session_scope(settings) as session:
        rows = seed(session)
        keys = {role: create_key(session=session, role=role,
                                 buyer_id=rows.buyer_id if role == "buyer" else None)[1]
                for role in ("buyer", "admin")}  # fmt: skip
    with LiveServer(create_app(settings)) as url:
        yield settings, rows, keys, url
    with db.get_engine(settings).begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


def _sign_in(browser: Any, url: str, key: str) -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())  # "delete it?" confirmations
    page.goto(url + "/")
    page.fill("#key", key)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/alerts")
    return page


def _add_chip(page: Any, field: str, text: str) -> None:
    page.fill(f"#{field}-input", text)
    page.click(f"[data-add={field}]")


def test_a_buyer_creates_and_edits_a_watch_beside_its_backtest(
    chromium: Any, world: tuple[Settings, Seeded, dict[str, str], str], screenshots: Path
) -> None:
    settings, rows, keys, url = world
    page = _sign_in(chromium, url, keys["buyer"])
    page.click("nav a[href='/watches']")
    page.locator("body[data-ready=watches]").wait_for()
    assert page.locator("#buyer-pick").is_hidden()  # a buyer key acts for itself only
    page.click("#save")  # an empty watch is refused before anything is sent
    assert "at least one country" in page.locator("#form-errors").inner_text()

    page.fill("input[name=name]", "Cocoa <b>West Africa</b>")
    _add_chip(page, "materials", "cocoa beans")  # a synonym: the chip shows the material
    _add_chip(page, "countries", "Côte d'Ivoire")
    assert page.locator("#materials-chips li").inner_text().startswith("cocoa")
    assert page.locator("#countries-chips li[data-value=CI]").count() == 1
    hit = page.locator(f"#backtest li[data-incident-id='{rows.incident_id}']")
    hit.wait_for()
    assert page.locator("#backtest-summary").get_attribute("data-count") == "1"
    assert "<script>" in hit.locator("strong").inner_text()  # the title, as text
    assert hit.locator(".cause").inner_text().startswith("strike")
    assert "cocoa" in hit.locator("dl.why").inner_text()
    page.select_option("#since", "7d")
    page.locator("#backtest-summary", has_text="7 days").wait_for()
    page.click("#save")
    page.locator("#status.ok", has_text="Watch created").wait_for()
    assert page.locator("#watches a", has_text="Cocoa <b>West Africa</b>").count() == 1
    _shot(page, screenshots, "watch-backtest")

    page.locator("#countries-chips li[data-value=CI] button").click()
    _add_chip(page, "countries", "GH")
    page.locator("#backtest-summary[data-count='0']").wait_for()  # nothing struck cocoa in Ghana
    page.fill("input[name=lanes]", "Port of Atlantis")  # only the API knows every port
    page.click("#save")
    page.locator("#status.error", has_text="lanes: not a UN/LOCODE").wait_for()
    page.fill("input[name=lanes]", "")
    page.fill("textarea[name=sites]", "95, 0")
    page.click("#save")
    assert "site line 1" in page.locator("#form-errors").inner_text()
    page.fill("textarea[name=sites]", "5.35, -4.03, 80, Abidjan plant")
    page.locator("#backtest-summary[data-count='1']").wait_for()  # the plant is near the strike
    page.click("#save")
    page.locator("#status.ok", has_text="Watch saved").wait_for()
    with db.session_scope(settings) as session:
        watch = session.exec(select(Watch).where(Watch.name == "Cocoa <b>West Africa</b>")).one()
        assert watch.countries == ["GH"] and watch.materials == ["cocoa"]
        assert watch.sites[0]["label"] == "Abidjan plant"
    assert page.evaluate("window.__xss") is None
    page.close()


def test_an_admin_chooses_the_buyer_whose_watch_it_writes(
    chromium: Any, world: tuple[Settings, Seeded, dict[str, str], str]
) -> None:
    settings, rows, keys, url = world
    page = _sign_in(chromium, url, keys["admin"])
    page.goto(url + f"/watches?buyer={rows.buyer_id}")
    page.locator("body[data-ready=watches]").wait_for()
    assert page.locator("#buyer").input_value() == str(rows.buyer_id)
    page.fill("input[name=name]", "chosen by the admin")
    _add_chip(page, "materials", "1801")  # an HS heading
    _add_chip(page, "countries", "ci")
    page.locator("#backtest-summary[data-count='1']").wait_for()
    page.click("#save")
    page.locator("#status.ok", has_text="Watch created").wait_for()
    with db.session_scope(settings) as session:
        made = session.exec(select(Watch).where(Watch.name == "chosen by the admin")).one()
        assert made.buyer_id == rows.buyer_id and made.materials == ["cocoa"]
    page.close()


def test_a_buyer_sees_no_feeds_page(
    chromium: Any, world: tuple[Settings, Seeded, dict[str, str], str]
) -> None:
    _, _, keys, url = world
    page = _sign_in(chromium, url, keys["buyer"])
    assert page.locator("nav a[href='/feeds']").count() == 0
    page.goto(url + "/feeds")  # typed by hand: sent to its own alerts
    page.wait_for_url(url + "/alerts")
    page.close()


def test_a_buyer_adds_and_deletes_a_slack_destination_shown_masked(
    chromium: Any, world: tuple[Settings, Seeded, dict[str, str], str], screenshots: Path
) -> None:
    settings, rows, keys, url = world
    page = _sign_in(chromium, url, keys["buyer"])
    page.click("nav a[href='/settings']")
    page.locator("body[data-ready=settings]").wait_for()
    page.fill("#destination input[name=url]", "ftp://hooks.slack.com/x")
    page.click("#destination button[type=submit]")
    assert "https://" in page.locator("#status.error").inner_text()  # refused before sending
    page.select_option("#destination select[name=kind]", "slack")
    page.fill("#destination input[name=url]", SLACK)
    page.click("#destination button[type=submit]")
    row = page.locator("#destinations tr[data-kind=slack]")
    row.wait_for()
    assert row.locator(".url-hint").inner_text() == "hooks.slack.com/…XYZ9"
    assert "secretXYZ9" not in page.content()  # the secret is not on the page any more
    _shot(page, screenshots, "settings")
    row.locator("button.delete").click()
    row.wait_for(state="detached")
    with db.session_scope(settings) as session:
        assert (
            session.exec(select(Destination).where(Destination.buyer_id == rows.buyer_id)).all()
            == []
        )
    page.close()


def _shot(page: Any, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
