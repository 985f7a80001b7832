"""Hostile and broken input: XXE, XML bombs, size caps, wrong encodings."""

from __future__ import annotations

import pytest

from connectors import registry
from connectors.base import ParseError
from connectors.xmlsafe import parse_xml, screen_entities
from tests.samples import FIXTURES, fixture_bytes

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""
RSS_BOMB = BOMB + b'<rss version="2.0"><channel><item><title>&lol9;</title></item></channel></rss>'
CAP_BOMB = BOMB + b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol9;'
CAP_BOMB += b"</identifier></alert>"
QUADRATIC = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + b"x" * 50_000 + b'">]>'
    b'<rss version="2.0"><channel><item><title>'
    + b"&a;" * 1000
    + b"</title></item></channel></rss>"
)


@pytest.mark.parametrize("kind", [None, "rss", "cap", "gdacs"])
@pytest.mark.parametrize("body", [RSS_BOMB, CAP_BOMB, QUADRATIC], ids=["rss", "cap", "quadratic"])
def test_xml_bombs_are_refused(body: bytes, kind: str | None, no_network: list[object]) -> None:
    with pytest.raises(ParseError, match="refusing XML"):
        registry.parse(body, kind=kind)


@pytest.mark.parametrize("name", ["xee.cap", "xee.atom"])
@pytest.mark.parametrize("kind", [None, "rss", "cap"])
def test_external_entities_are_never_resolved(
    name: str, kind: str | None, no_network: list[object]
) -> None:
    body = fixture_bytes(f"cap/google-cap-library/{name}")
    with pytest.raises(ParseError, match="refusing XML"):
        registry.parse(body, kind=kind)
    assert no_network == []


def test_defusedxml_refuses_even_without_the_screen() -> None:
    with pytest.raises(ParseError, match="refusing XML"):
        parse_xml(fixture_bytes("cap/google-cap-library/xee.cap"))


def test_harmless_character_entities_pass_the_screen() -> None:
    body = b'<!DOCTYPE rss [\n<!ENTITY copy "&#169;">\n<!ENTITY co "ACME">\n]><rss version="2.0">'
    screen_entities(body)
    body += b"<channel><item><title>&co; &copy;</title></item></channel></rss>"
    [item] = registry.parse(body)
    assert item.title == "ACME ©"


def test_utf16_entity_declarations_are_screened() -> None:
    with pytest.raises(ParseError, match="refusing XML"):
        registry.parse(RSS_BOMB.decode().replace('<?xml version="1.0"?>', "").encode("utf-16"))


@pytest.mark.parametrize(
    "relative",
    sorted(
        p.relative_to(FIXTURES).as_posix()
        for p in (FIXTURES / "feedparser-corpus/encoding").iterdir()
    ),
)
def test_wrong_encodings_never_crash(relative: str) -> None:
    try:
        items = registry.parse(fixture_bytes(relative), url=relative)
    except ParseError as exc:
        assert "\n" not in str(exc)
    else:
        assert all(isinstance(i.title, str) and isinstance(i.body, str) for i in items)


def test_undecodable_cap_is_a_parse_error() -> None:
    body = b'<?xml version="1.0" encoding="big5"?>'
    body += b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>'
    with pytest.raises(ParseError, match=r"cannot decode XML|malformed XML"):
        registry.parse(body, kind="cap")


DECOYS = [
    b"<!-- <a> looks like a root -->",
    b"<!--<rss version='2.0'>-->",
    b"<?xml-stylesheet href='x.xsl'?><!-- <b> -->",
    b"<?php <a> ?>",
    b"<?pi <x>?>\n<!-- --><!--<y>-->",
]


@pytest.mark.parametrize("decoy", DECOYS)
@pytest.mark.parametrize("body", [RSS_BOMB, CAP_BOMB, QUADRATIC], ids=["rss", "cap", "quadratic"])
def test_a_comment_or_pi_before_the_doctype_does_not_hide_the_declarations(
    body: bytes, decoy: bytes
) -> None:
    declaration, _, rest = body.partition(b"?>")
    hidden = declaration + b"?>" + decoy + rest
    with pytest.raises(ParseError, match="refusing XML with an external, parameter or nested"):
        screen_entities(hidden)
    # and the same with no XML declaration at all, the decoy first
    with pytest.raises(ParseError, match="refusing XML with an external, parameter or nested"):
        screen_entities(decoy + rest)
