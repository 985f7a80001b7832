from __future__ import annotations

import pytest

from monitor.tagger import events, pipeline
from monitor.tagger.lexicon import lexicon
from monitor.vocab import EVENT_TYPES


def test_every_event_type_has_triggers() -> None:
    assert set(lexicon().triggers) == set(EVENT_TYPES)
    assert all(lexicon().triggers.values())


def test_parse_phrase_reads_gaps_and_parts_of_speech() -> None:
    phrase = events.parse_phrase("ban ~ export/N")
    assert phrase.words == ("ban", "export")
    assert phrase.gaps == (False, True)
    assert phrase.pos == (None, "N")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dockworkers at the port went on strike on Monday.", True),
        ("Typhoon Hinnamnor struck the coast.", True),
        ("India bans rice exports", True),
        ("Quarterly earnings rose and the dividend was raised.", False),
        ("The warehouse manager gave an interview.", False),
        (
            "Die Arbeiter sind für zwei Tage im Streik und der Lockdown geht weiter.",
            False,
        ),
    ],
)
def test_cheap_pass_only_keeps_texts_that_may_hold_a_trigger(text: str, expected: bool) -> None:
    assert pipeline.is_candidate(text) is expected


@pytest.mark.parametrize(
    ("text", "event_type", "status"),
    [
        ("Dockworkers went on strike at Antwerp.", "strike", "asserted"),
        ("Dockers Strike At Antwerp, Halting Cocoa Exports", "strike", "asserted"),
        ("A rail strike was averted on Sunday.", "strike", "negated"),
        ("The union called off the strike.", "strike", "negated"),
        ("The minister ruled out an export ban.", "export_restriction", "negated"),
        ("Workers could strike next month.", "strike", "hedged"),
        ("The union threatens to strike at all ports.", "strike", "hedged"),
        ("Forecasters warned of flooding in the delta.", "flood", "hedged"),
        ("The strike ends after a deal on wages.", "strike", "ended"),
        ("Indonesia bans palm oil exports.", "export_restriction", "asserted"),
        ("Missile strikes hit the grain terminal.", "conflict", "asserted"),
        ("A fire broke out at the chip plant.", "fire_explosion", "asserted"),
        ("The toy maker reports a flood of orders.", "flood", "negated"),
    ],
)
def test_triggers_and_their_status(analyse, text: str, event_type: str, status: str) -> None:  # type: ignore[no-untyped-def]
    triggers, _ = analyse(text)
    assert (event_type, status) in {(t.event_type, t.status) for t in triggers}


def test_verbs_are_not_noun_triggers(analyse) -> None:  # type: ignore[no-untyped-def]
    triggers, _ = analyse("The club fired its manager on Monday.")
    assert triggers == []


def test_matches_carry_character_offsets(analyse) -> None:  # type: ignore[no-untyped-def]
    text = "Port closed.\nA walkout by dockers halted traffic."
    triggers, _ = analyse(text)
    walkout = next(t for t in triggers if t.event_type == "strike").match
    assert text[walkout.start_char : walkout.end_char] == "walkout"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Blast at the refinery", True),
        ("The club fired its coach.", False),
        ("Protesters block the road to the mine.", True),
        ("Shares trade close to a record.", False),
        ("The border was closed to trucks.", True),
    ],
)
def test_word_order_stands_in_for_the_tagger(analyse, text: str, found: bool) -> None:  # type: ignore[no-untyped-def]
    triggers, _ = analyse(text)
    keys = {t.match.key for t in triggers}
    wanted = {"blast/N", "fire/N", "block/V", "protester ~ block/V", "close/V", "border ~ close/V"}
    assert bool(keys & wanted) is found


def test_lexicon_forms_come_from_lookups_not_a_model() -> None:
    assert pipeline.lexicon_form("struck") == "strike"
    assert pipeline.lexicon_form("flooded") == "flood"
    assert pipeline.lexicon_form("was") == "be"
    assert pipeline.lexicon_form("bakery") == "bakery"


def test_ner_runs_only_on_the_sentences_asked_for(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Michael Jordan visited the plant.\nFloods hit Jordan. Amman is quiet."
    start = text.index("Jordan", 40)
    spans = pipeline.add_entities([(text, [(start, start + 6)])])[0]
    assert all(text.index("Floods") <= s < text.index(" Amman") for s, _, _ in spans)
    assert any(text[s:e] == "Jordan" for s, e, _ in spans)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Indonesia bans exports", True),
        ("Indonesia bans crude palm oil exports", True),  # a gap of three words
        ("Indonesia bans all crude palm oil exports", False),  # four is too many
        ("Indonesia bans imports; exports rise", False),  # no gap across punctuation
    ],
)
def test_gapped_phrases_allow_three_words_without_punctuation(
    analyse, text: str, found: bool
) -> None:  # type: ignore[no-untyped-def]
    triggers, _ = analyse(text)
    assert any(t.match.key == "ban ~ export" for t in triggers) is found
