"""OPML import and export: folders and categories become tags, duplicates are counted, hostile
files are refused whole, and FreshRSS- and Miniflux-shaped lists survive a round trip."""

from __future__ import annotations

import pytest

from monitor.db import session_scope
from monitor.errors import InvalidInput
from monitor.feeds import opml, transfer
from monitor.settings import Settings
from tests import builders
from tests.samples import fixture_bytes

FRESHRSS = "opml/freshrss.opml.xml"
MINIFLUX = "opml/miniflux.opml.xml"


def _opml(outlines: str, prologue: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    return f'{prologue}\n<opml version="2.0"><head/><body>{outlines}</body></opml>'.encode()


def _import(settings: Settings, body: bytes):  # type: ignore[no-untyped-def]
    with session_scope(settings) as session:
        return transfer.import_opml(session=session, settings=settings, body=body)


def test_freshrss_folders_and_categories_become_tags() -> None:
    found = opml.parse(fixture_bytes(FRESHRSS))
    assert [(o.name, o.tags[0]) for o in found[:2]] == [
        ("gCaptain", "Shipping"),
        ("Splash247", "Shipping"),
    ]
    assert found[2].name == "The Loadstar & friends"
    assert found[4].tags == ["Hazards", "hurricanes", "/weather/tropical"]
    assert len(found) == 6


def test_nested_folders_all_become_tags() -> None:
    body = _opml(
        '<outline text="Europe"><outline title="Ports">'
        '<outline text="Rotterdam" xmlUrl="https://a.example/r"/></outline>'
        '<outline text="Antwerp" xmlUrl="https://a.example/a" category="strikes"/></outline>'
        '<outline text="Top" xmlUrl="https://a.example/t"/>'
    )
    assert [(o.name, o.tags) for o in opml.parse(body)] == [
        ("Rotterdam", ["Europe", "Ports", ""]),
        ("Antwerp", ["Europe", "strikes"]),
        ("Top", [""]),
    ]


def test_import_adds_tags_and_counts_duplicates(poll_settings: Settings) -> None:
    first = _import(poll_settings, fixture_bytes(FRESHRSS))
    assert (first.outlines, first.added, first.duplicates) == (6, 6, 0)
    second = _import(poll_settings, fixture_bytes(MINIFLUX))
    # Miniflux's gCaptain is the same address spelt HTTPS://GCAPTAIN.COM:443/feed/
    assert (second.outlines, second.added, second.duplicates) == (4, 3, 1)
    stored = {f.name: f for f in builders.list_feeds(poll_settings)}
    assert stored["NHC Atlantic"].tags == ["Hazards", "hurricanes", "weather/tropical"]
    assert stored["Hellenic Shipping News"].tags == ["All"]
    assert stored["Zoll – Aktuelles über Zölle"].tags == ["Trade policy"]
    assert len(stored) == 9 and all(f.kind is None for f in stored.values())  # detected later


def test_duplicates_within_one_file_are_counted(poll_settings: Settings) -> None:
    body = _opml(
        '<outline text="a" xmlUrl="https://a.example/feed"/>'
        '<outline text="b" xmlUrl="https://A.EXAMPLE:443/feed#top"/>'
        '<outline text="c" xmlUrl="https://a.example/feed?x=1"/>'
    )
    done = _import(poll_settings, body)
    assert (done.added, done.duplicates) == (2, 1)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:9/feed", "loopback/private"),
        ("http://169.254.169.254/latest/meta-data/", "loopback/private"),
        ("http://localhost/feed", "loopback/private"),
        ("file:///etc/passwd", "not a feed URL"),
        ("javascript:alert(1)", "not a feed URL"),
        ("https://a.example/" + "x" * 3000, "longer than 2048"),
    ],
)
def test_one_refused_address_imports_nothing(
    poll_settings: Settings,
    url: str,
    why: str,
) -> None:
    settings = poll_settings.updated(fetch={"allow_private_hosts": []})
    good = "".join(f'<outline text="{i}" xmlUrl="https://a.example/{i}"/>' for i in range(50))
    body = _opml(good + f'<outline text="bad" xmlUrl="{url.replace("&", "&amp;")}"/>')
    with pytest.raises(InvalidInput, match=f"{why}.*nothing was imported"):
        _import(settings, body)
    assert builders.list_feeds(poll_settings) == []


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE opml [\n<!ENTITY a "lol">\n'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
    + ']>\n<opml version="2.0"><head/><body><outline text="&j;" xmlUrl="https://a.example/"/>'
    "</body></opml>"
).encode()
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    b'<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/"/></body></opml>'
)
ONE_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY x "x">]>\n'
    b'<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/"/></body></opml>'
)
MANY = _opml('<outline xmlUrl="https://a.io/"/>' * 100_000)  # 3 MB: under the size cap
DEEP = _opml('<outline text="d">' * 40 + '<outline xmlUrl="https://a.io/"/>' + "</outline>" * 40)
LATIN1 = _opml('<outline text="Zölle" xmlUrl="https://a.example/"/>').decode().encode("latin-1")
DECLARED = _opml(
    '<outline text="Zolle" xmlUrl="https://a.example/"/>',
    prologue='<?xml version="1.0" encoding="ISO-8859-1"?>',
)
HOSTILE_IDS = [
    *("laughs", "xxe", "entity", "many", "deep", "latin1"),
    *("declared", "utf16", "rss", "cut", "large", "empty"),
]
UTF16 = _opml('<outline text="f" xmlUrl="https://a.example/"/>').decode().encode("utf-16")


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (BILLION_LAUGHS, "entity"),
        (XXE, "entity"),
        (ONE_ENTITY, "entity"),
        (MANY, "more than 10,000 outlines"),
        (DEEP, "nested more than 32 deep"),
        (LATIN1, "not UTF-8"),
        (DECLARED, "declares encoding 'ISO-8859-1'"),
        (UTF16, "not UTF-8"),
        (b"<rss><channel/></rss>", "root element is <rss>"),
        (b'<opml version="2.0"><body><outline', "malformed XML"),
        (b"x" * (4 * 1024 * 1024 + 1), "over the 4,194,304-byte limit"),
        (b"", "no root element|malformed"),
    ],
    ids=HOSTILE_IDS,
)
def test_hostile_files_get_one_clear_error_and_import_nothing(
    poll_settings: Settings,
    body: bytes,
    why: str,
) -> None:
    with pytest.raises(InvalidInput, match=f"not an OPML file we can import: .*({why})") as err:
        _import(poll_settings, body)
    assert "\n" not in str(err.value) and str(err.value).endswith("nothing was imported")
    assert builders.list_feeds(poll_settings) == []


@pytest.mark.parametrize("fixture", [FRESHRSS, MINIFLUX])
def test_round_trip_keeps_addresses_names_and_tags(
    poll_settings: Settings,
    tmp_path,
    fixture: str,
) -> None:
    _import(poll_settings, fixture_bytes(fixture))
    with session_scope(poll_settings) as session:
        exported = transfer.export_opml(session=session)
    assert exported.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<opml version=\"2.0\">")
    before = [(f.url, f.name, f.tags) for f in builders.list_feeds(poll_settings)]
    again = poll_settings.updated(database_url=f"sqlite:///{tmp_path / 'again.db'}")
    from monitor import db

    db.upgrade(again)
    done = _import(again, exported)
    assert (done.added, done.duplicates) == (len(before), 0)
    assert [(f.url, f.name, f.tags) for f in builders.list_feeds(again)] == before
    assert _import(poll_settings, exported).duplicates == len(before)
