"""The feedback service on SQLite and PostgreSQL: reasons, notes, missed events, counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from monitor import db
from monitor.errors import InvalidInput, NotFound
from monitor.feedback import counts, service
from monitor.feedback.models import AlertFeedback, FalseAlarmReport, MissedEventCreate
from monitor.models import Alert, Buyer, Feed
from monitor.settings import Settings
from tests.builders import statements


def _alert(s: Session, buyer_id: int, feed_ids: list[int], n: int) -> int:
    alert = Alert(
        buyer_id=buyer_id, incident_id=f"inc-{n}", severity="high", feed_ids=feed_ids,
        incident={"id": f"inc-{n}"},
    )  # fmt: skip
    s.add(alert)
    s.flush()
    return alert.id or 0


@pytest.fixture
def world(db_settings: Settings) -> dict[str, int]:
    """Two feeds and two buyers; feed 1 reported four alerts, feed 2 two of them."""
    ids: dict[str, int] = {}
    with db.session_scope(db_settings) as s:
        for name in ("one", "two"):
            feed = Feed(url=f"https://{name}.example/rss", name=name)
            buyer = Buyer(name=f"Buyer {name}")
            s.add_all([feed, buyer])
            s.flush()
            ids[f"feed_{name}"], ids[f"buyer_{name}"] = feed.id or 0, buyer.id or 0
        one, two = ids["feed_one"], ids["feed_two"]
        # A feed named twice in one alert still counts that alert once.
        for n, feeds in enumerate(([one], [one, two], [one, one], [one, two])):
            ids[f"alert_{n}"] = _alert(s, ids["buyer_one"], feeds, n)
    return ids


def test_a_false_alarm_keeps_its_reason_and_a_plain_text_note(
    db_settings: Settings, world: dict[str, int]
) -> None:
    note = "<b>Not</b> our port <script>alert(1)</script>\u202e &lt;i&gt;really&lt;/i&gt;"
    with db.session_scope(db_settings) as s:
        report = FalseAlarmReport(reason="wrong_place", note=note)
        alert = service.mark_false_alarm(session=s, alert_id=world["alert_1"], report=report)
        assert alert.status == "false_alarm"
    with db.session_scope(db_settings) as s:
        row = service.get_feedback(session=s, alert_id=world["alert_1"])
        assert row is not None
        assert (row.reason, row.note, row.buyer_id) == (
            "wrong_place", "Not our port really", world["buyer_one"],
        )  # fmt: skip
        # Marked again: the reason and note are replaced, never doubled.
        again = FalseAlarmReport(reason="duplicate")
        service.mark_false_alarm(session=s, alert_id=world["alert_1"], report=again)
    with db.session_scope(db_settings) as s:
        rows = s.exec(select(AlertFeedback)).all()
        assert [(r.reason, r.note) for r in rows] == [("duplicate", "")]


def test_a_buyer_marks_only_its_own_alerts(db_settings: Settings, world: dict[str, int]) -> None:
    with db.session_scope(db_settings) as s:
        with pytest.raises(NotFound):
            service.mark_false_alarm(
                session=s, alert_id=world["alert_0"], report=FalseAlarmReport(),
                buyer_id=world["buyer_two"],
            )  # fmt: skip
        with pytest.raises(NotFound):
            service.get_feedback(session=s, alert_id=world["alert_0"], buyer_id=world["buyer_two"])
        assert s.exec(select(AlertFeedback)).all() == []


def test_counts_per_feed_and_reason_come_from_sql(
    db_settings: Settings, world: dict[str, int]
) -> None:
    marks = {"alert_0": "wrong_place", "alert_1": "not_a_disruption", "alert_2": "wrong_place"}
    with db.session_scope(db_settings) as s:
        for alert, reason in marks.items():
            report = FalseAlarmReport(reason=reason)  # type: ignore[arg-type]
            service.mark_false_alarm(session=s, alert_id=world[alert], report=report)
        # An alert marked false, then acknowledged after all, is no false alarm any more.
        service.mark_false_alarm(
            session=s, alert_id=world["alert_3"], report=FalseAlarmReport(reason="duplicate")
        )
        s.exec(select(Alert).where(Alert.id == world["alert_3"])).one().status = "acknowledged"
    one, two = world["feed_one"], world["feed_two"]
    with db.session_scope(db_settings) as s, statements(db_settings) as sent:
        got = counts.feed_counts(session=s, feed_ids=[one, two, 999])
        by_reason = counts.reason_counts(session=s)
    assert len(sent) == 3  # grouped in the database: no alert is loaded
    assert (got[one].alerts, got[one].false_alarms, dict(got[one].reasons)) == (
        4, 3, {"wrong_place": 2, "not_a_disruption": 1},
    )  # fmt: skip
    assert got[one].precision == 0.25
    assert (got[two].alerts, got[two].false_alarms, got[two].precision) == (2, 1, 0.5)
    assert (got[999].alerts, got[999].precision) == (0, None)
    assert by_reason == {
        "not_a_disruption": 1, "wrong_place": 2, "wrong_material": 0, "duplicate": 0,
        "not_relevant": 0, "other": 0,
    }  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://files.example/x",
        "data:text/html,hi",
        "https://user:pw@news.example/a",
        "https://news.example/a b",
        "https://news.example:99999/a",
        "//news.example/a",
        "news.example/a",
    ],
)
def test_a_missed_event_needs_a_plain_http_url(
    db_settings: Settings, world: dict[str, int], url: str
) -> None:
    with db.session_scope(db_settings) as s, pytest.raises(InvalidInput):
        service.report_missed(
            session=s, buyer_id=world["buyer_one"], data=MissedEventCreate(url=url)
        )


def test_missed_events_are_listed_per_buyer_newest_first(
    db_settings: Settings, world: dict[str, int]
) -> None:
    with db.session_scope(db_settings) as s:
        for n, who in enumerate(("one", "two", "one")):
            data = MissedEventCreate(url=f" https://news.example/{n} ", note=f"<p>seen {n}</p>")
            service.report_missed(session=s, buyer_id=world[f"buyer_{who}"], data=data)
    with db.session_scope(db_settings) as s:
        mine, total = service.list_missed(session=s, buyer_id=world["buyer_one"])
        everyone, all_total = service.list_missed(session=s, buyer_id=None, limit=1)
        assert counts.totals(session=s).missed_events == 3
    assert total == 2 and [(m.url, m.note) for m in mine] == [
        ("https://news.example/2", "seen 2"), ("https://news.example/0", "seen 0"),
    ]  # fmt: skip
    assert all_total == 3 and len(everyone) == 1
    assert service.public_missed(mine[0], with_note=False).note is None


def test_false_alarms_marked_before_0011_get_the_reason_other(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'old.db'}")
    db.upgrade(settings, "0010")
    with db.get_engine(settings).begin() as conn:
        conn.execute(
            text("INSERT INTO buyers (id, name, created_at) VALUES (1, 'Old', '2026-01-01')")
        )
        for n, status in enumerate(("false_alarm", "new", "acknowledged")):
            conn.execute(
                text(
                    "INSERT INTO alerts (buyer_id, incident_id, incident_version, kind, severity,"
                    " status, created_at, why, suggestions, incident, feed_ids) VALUES"
                    " (1, :i, 1, 'new', 'high', :s, '2026-01-01', '{}', '[]', '{}', '[1]')"
                ),
                {"i": f"inc-{n}", "s": status},
            )
    db.upgrade(settings)
    with db.session_scope(settings) as s:
        rows = s.exec(select(AlertFeedback)).all()
        assert [(r.alert_id, r.buyer_id, r.reason, r.note) for r in rows] == [(1, 1, "other", "")]
        assert counts.reason_counts(session=s)["other"] == 1
