"""Material recognition: synonyms, HS headings, and common words that are not materials."""

from __future__ import annotations

import pytest

from monitor.tagger.materials import find_materials
from monitor.vocab import materials


def found(text: str) -> list[tuple[str, str | None]]:
    return [(h.name, h.hs) for h in find_materials(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The chips shortage idled car plants.",
            [("semiconductors", "8542"), ("vehicles", "8703")],
        ),
        ("Rolling power cuts hit Lagos.", [("electricity", "2716")]),
        ("Customs delays at the container terminal.", [("containers", "8609")]),
        ("Microchip supply is tight.", [("semiconductors", "8542")]),
        ("Cacao farmers held back beans.", [("cocoa", "1801")]),
        ("Cocoa beans piled up at the port.", [("cocoa", "1801")]),
        ("Maize and soya exports fell.", [("corn", "1005"), ("soybeans", "1201")]),
        ("Aluminum and bauxite shipments.", [("aluminium", "7601"), ("aluminium", "7601")]),
        ("Rare-earth magnets are scarce.", [("rare earths", "2805")]),
        ("LNG cargoes were diverted.", [("natural gas", "2711")]),
        ("Palm oil exports fell.", [("palm oil", "1511")]),
        ("Iron ore loadings at Port Hedland stopped.", [("iron ore", "2601")]),
        ("Lithium carbonate prices rose.", [("lithium", "2836")]),
    ],
)
def test_synonyms_map_to_canonical_names_and_hs(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lead prices rose on the LME.", "lead"),
        ("A lead smelter shut after the flood.", "lead"),
        ("Copper, lead and zinc output fell.", "lead"),
        ("Tin exports from Indonesia stopped.", "tin"),
        ("Natural gas supplies fell.", "natural gas"),
        ("Gas prices spiked in Europe.", "natural gas"),
        ("The chip shortage deepened.", "semiconductors"),
        ("Oil prices jumped after the attack.", "crude oil"),
        ("Fuel shortages hit Lagos.", "diesel"),
        ("Mining equipment orders fell.", "machinery"),
        ("Empty containers piled up in Asia.", "containers"),
        ("Gold prices hit a record.", "gold"),
        ("Karachi was without power for 12 hours.", "electricity"),
        ("Fire at an API manufacturing unit.", "pharmaceuticals"),
        ("The port handled 2 million TEU last year.", "containers"),
        ("Jebel Ali (AEJEA): Container terminal system outage.", "containers"),
    ],
)
def test_common_words_count_in_material_context(text, expected):
    assert expected in [name for name, _ in found(text)]


@pytest.mark.parametrize(
    "text",
    [
        "They will lead the way.",
        "The lead story was about elections.",
        "A tin roof collapsed.",
        "Queues formed at the gas station.",
        "Police fired tear gas.",
        "Let's all chip in.",
        "Blue chip stocks rose.",
        "He ate potato chips.",
        "Cooking oil is scarce.",
        "This could fuel inflation.",
        "Protective equipment was donated.",
        "She won a gold medal.",
        "Every cloud has a silver lining.",
        "Rice University published a study.",
        "The Iron Dome intercepted rockets.",
        "Tin Can Island port is congested.",
        "Crude remarks were made.",
        "Police fired rubber bullets.",
        "Plastic containers of food were donated.",
        "A media blackout was imposed.",
        "The party came to power in 2019.",
        "The API returned an error.",
        "She packed the boxes.",
        "Take it with a grain of salt.",
        "The Singapore oil spill drill went well.",
        "Peanut butter recall expanded.",
        "Shea butter output halted.",
    ],
)
def test_common_words_alone_are_not_materials(text):
    assert found(text) == []


def test_hits_carry_offsets_in_order():
    text = "Strike halts coffee and cocoa shipments; copper mines idle."
    hits = find_materials(text)
    assert [h.name for h in hits] == ["coffee", "cocoa", "copper"]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text


def test_capitals_in_a_terse_report():
    text = "STRIKE AT SANTOS HALTS SOYBEAN AND SUGAR EXPORTS"
    assert [name for name, _ in found(text)] == ["soybeans", "sugar"]
    assert found("OIL EXPORTS HALTED AT BASRA") == [("crude oil", "2709")]
    assert found("Enter your TIN and the OIL code on the form.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TSMC halts production after the earthquake.", ["semiconductors"]),
        ("Flooded Toyota plant halts operations.", ["vehicles"]),
        ("ArcelorMittal declares force majeure at Duisburg.", ["steel"]),
        ("TOYOTA HALTS PLANTS", ["vehicles"]),
        ("A bushfire hampers Newmont's mining operations.", ["gold"]),
        ("Rain floods the Vale of Glamorgan.", []),  # a place, not the miner
        ("The vale was flooded; toyota is not written so.", []),  # a firm keeps its capital
    ],
)
def test_a_producer_names_what_it_makes(text, expected):
    assert [name for name, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Grain exports halted at Odesa.", ["wheat"]),
        ("Tanzania lifts a ban on grain exports and sells surplus maize.", ["corn"]),
        ("Rice and other grains held at the border.", ["rice"]),
    ],
)
def test_grain_is_wheat_unless_the_grain_is_named(text, expected):
    assert [name for name, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tainted valsartan was recalled.", ["pharmaceuticals"]),
        ("Amoxicillin shortage worsens.", ["pharmaceuticals"]),
        ("Insulin supply cut.", ["pharmaceuticals"]),
        ("Talks in April in Kilimanjaro.", []),  # short or unlike a medicine's name
    ],
)
def test_a_medicine_is_named_by_its_ending(text, expected):
    assert [name for name, _ in found(text)] == expected


def test_vehicles_named_in_passing_need_an_exposure_word():
    text = "Strike at a plant.\nWorkers damaged equipment and vehicles in protest at the site."
    assert found(text) == []
    assert [n for n, _ in found("Strike halts plant.\nVehicles production stopped.")] == [
        "vehicles"
    ]


def test_bad_input_is_refused_clearly():
    with pytest.raises(TypeError, match="needs a str"):
        find_materials(None)  # type: ignore[arg-type]


def test_every_lexicon_name_is_found_in_a_trade_sentence():
    missed = [
        m.name
        for m in materials().values()
        if m.name not in [h.name for h in find_materials(f"Exports of {m.name} prices fell.")]
    ]
    assert missed == []
