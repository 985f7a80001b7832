"""HTML to text and dates to UTC ISO 8601."""

from __future__ import annotations

import time

import pytest

from connectors.text import epoch_ms_to_iso, html_to_text, language_tag, struct_to_iso, to_utc_iso


def test_html_is_stripped_and_entities_decoded() -> None:
    html = "<p>Port&nbsp;of <b>Antwerp</b> &amp; Rotterdam</p><script>alert(1)</script><br/>closed"
    assert html_to_text(html) == "Port of Antwerp & Rotterdam closed"


def test_text_survives_cdata_and_stray_brackets() -> None:
    assert html_to_text("<![CDATA[Port closed]]> today") == "Port closed today"
    assert html_to_text("a < b and AT&T") == "a < b and AT&T"


def test_plain_text_whitespace_is_squashed() -> None:
    assert html_to_text("  two\n\n lines\t here ") == "two lines here"
    assert html_to_text(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 15 Nov 2022 20:15:04 Z", "2022-11-15T20:15:04Z"),
        ("2015-12-21T14:49:00-07:00", "2015-12-21T21:49:00Z"),
        ("2022-12-17", "2022-12-17T00:00:00Z"),
        ("2023-04-28T12:40:46.062249Z", "2023-04-28T12:40:46Z"),
        ("mer, 16 nov 2022 00:38:15 +0100", "2022-11-15T23:38:15Z"),
        ("mercoledì 16 dicembre 2022", None),
        ("13/08/2020 21:27 soon", None),
        ("", None),
        (None, None),
        (12, None),
    ],
)
def test_dates_become_utc_iso(value: object, expected: str | None) -> None:
    assert to_utc_iso(value) == expected


def test_epoch_and_struct_time() -> None:
    assert epoch_ms_to_iso(1537070431969) == "2018-09-16T04:00:31Z"
    assert epoch_ms_to_iso(None) == epoch_ms_to_iso(True) == None  # noqa: E711
    assert struct_to_iso(time.gmtime(0)) == "1970-01-01T00:00:00Z"


def test_language_tags_are_normalised() -> None:
    assert language_tag("en_US") == "en-US"
    assert language_tag("IT-it") == "it-IT"
    assert language_tag(" ") is None
