from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from monitor.tagger import roles, training
from monitor.tagger.datafiles import DATA, DataFileError
from monitor.tagger.places import find_places
from monitor.tagger.tag import tag_items


def test_the_weights_file_names_every_feature_once() -> None:
    weights = roles.country_weights()
    assert weights is not None and len(weights) == len(roles.FEATURES)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("bias;heavy", "weight 'heavy' is not a number"),
        ("colour;1.0", "'colour' is unknown"),
        ("actor;1.0", "'actor' is unknown or repeated"),
    ],
)
def test_a_bad_weights_row_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    text = (DATA / roles.WEIGHTS_FILE).read_text(encoding="utf-8")
    kept = [row for row in text.splitlines() if not row.startswith("bias;")]
    rows = [*kept, *(["bias;1.0"] if not line.startswith("bias;") else []), line]
    (tmp_path / roles.WEIGHTS_FILE).write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=rf"^country_roles\.csv:\d+: .*{message}"):
        roles.country_weights.__wrapped__(tmp_path)


def test_a_missing_feature_is_named(tmp_path: Path) -> None:
    text = (DATA / roles.WEIGHTS_FILE).read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.startswith("actor;")]
    (tmp_path / roles.WEIGHTS_FILE).write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="no weight for actor"):
        roles.country_weights.__wrapped__(tmp_path)


def test_features_say_how_a_country_is_named() -> None:
    title = "Strike halts ports in Chile"
    text = f"{title}\nThe walkout at San Antonio and Valparaiso hit copper exports; US buyers wait."
    start = text.index("Strike")
    found = roles.candidates(find_places(text), text, len(title), [(start, start + 6)])
    by_country = {c.country: dict(zip(roles.FEATURES, c.features, strict=True)) for c in found}
    chile, us = by_country["CL"], by_country["US"]
    assert chile["title"] == chile["attached"] == chile["attached_trigger"] == 1.0
    assert chile["first"] == 1.0 and us["first"] == 0.0
    assert us["actor"] == 1.0 and chile["actor"] == 0.0


@pytest.mark.parametrize(
    ("body", "only_there"),
    [
        ("LONDON, March 9 (Reuters) - Pirates boarded a tanker off Nigeria.", True),
        ("LONDON (Reuters) - Floods shut rail lines across London on Monday.", False),
        ("Pirates boarded a tanker off Nigeria, London brokers said.", False),
    ],
)
def test_a_country_named_only_in_the_dateline_is_marked(body: str, only_there: bool) -> None:
    title = "Tanker attacked"
    text = f"{title}\n{body}"
    found = {c.country: c for c in roles.candidates(find_places(text), text, len(title), [])}
    assert found["GB"].features[roles.FEATURES.index("dateline_only")] == float(only_there)


def test_a_home_country_a_few_words_before_the_company_is_an_actor() -> None:
    title = "Warehouse fire destroys stock"
    text = f"{title}\nBritish online fashion retailer Asos said a fire hit its depot in Germany."
    found = {c.country: c for c in roles.candidates(find_places(text), text, len(title), [])}
    actor = roles.FEATURES.index("actor")
    assert found["GB"].features[actor] == 1.0 and found["DE"].features[actor] == 0.0


def test_a_list_after_in_is_attached_to_the_event() -> None:
    text = "Ships wait\nVessels lie idle off ports in Egypt, Italy and Singapore."
    found = roles.candidates(find_places(text), text, 10, [])
    attached = {c.country: c.features[roles.FEATURES.index("attached")] for c in found}
    assert attached == {"EG": 1.0, "IT": 1.0, "SG": 1.0}


def test_the_model_keeps_the_site_and_drops_the_actor(nlp) -> None:  # type: ignore[no-untyped-def]
    item = {
        "id": "red-sea",
        "title": "Houthi missile hits tanker off Yemen",
        "body": "The US Navy said a destroyer shot down a second missile. Oil prices rose in "
        "London and New York.",
    }
    out = next(tag_items([item]))
    assert out["countries"] == ["YE"]
    assert {p["name"] for p in out["places"]} == {"Yemen"}  # no London, New York or US


def test_a_strait_held_by_two_states_names_both(nlp) -> None:  # type: ignore[no-untyped-def]
    item = {"id": "hormuz", "title": "Iran seizes a British tanker in the Strait of Hormuz",
            "body": "Revolutionary Guards boarded the tanker on Friday."}  # fmt: skip
    assert next(tag_items([item]))["countries"] == ["IR", "OM"]
    rhine = {"id": "rhine", "title": "Low water halts barges on the Rhine in Germany", "body": ""}
    assert "NL" not in next(tag_items([rhine]))["countries"]  # a river is no strait


def test_a_brand_named_after_a_town_is_no_place(nlp) -> None:  # type: ignore[no-untyped-def]
    item = {"id": "aisin", "title": "Fire at Toyota supplier halts output",
            "body": "The Aisin plant in Kariya, Japan, was hit."}  # fmt: skip
    out = next(tag_items([item]))
    assert "Toyota" not in {p["name"] for p in out["places"]}
    assert "Kariya" in {p["name"] for p in out["places"]}


def test_fit_learns_a_separable_rule() -> None:
    rng = np.random.default_rng(0)
    x = np.column_stack([np.ones(200), rng.normal(size=(200, len(roles.FEATURES) - 1))])
    y = (x[:, 1] > 0).astype(float)
    w = training.fit(x, y)
    assert ((x @ w > 0) == (y == 1)).mean() > 0.95


def test_training_refuses_a_test_split() -> None:
    with pytest.raises(SystemExit):
        training.main(["tests/data/prose/test.jsonl"])


def test_training_reports_rules_and_model_under_grouped_cv(
    nlp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    dev = Path(__file__).resolve().parents[2] / "data" / "prose" / "dev.jsonl"
    rows = dev.read_text(encoding="utf-8").splitlines()[:40]
    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(rows) + "\n", encoding="utf-8")
    training.main([str(sample)])
    out = capsys.readouterr().out
    assert "folds grouped by publisher" in out
    thresholds = {0.3, 0.5, roles.THRESHOLD}
    assert out.count(" F1 ") == 1 + len(thresholds)  # the rules, and the model at each


def test_cv_scores_a_kept_shore_with_the_other_as_judge_does() -> None:
    hormuz = training.Example(
        item="x", group="p", x=np.zeros((2, len(roles.FEATURES))), y=np.array([1.0, 0.0]),
        rules=np.array([1.0, 0.0]), buyers=0, countries=("IR", "US"),
        gold=frozenset({"IR", "OM"}), straits=(("IR", "OM"),),
    )  # fmt: skip
    keep_iran = [np.array([1.0, 0.0])]
    assert training.f1(keep_iran, [hormuz])[1:] == (1, 0, 1)
    assert training.f1(keep_iran, [hormuz], shores=True)[1:] == (2, 0, 0)
    assert training.f1([np.array([0.0, 1.0])], [hormuz], shores=True)[1:] == (0, 1, 2)


def test_folds_keep_a_publisher_together() -> None:
    assert training.fold_of("reuters.com") == training.fold_of("reuters.com")
    assert len({training.fold_of(f"p{i}.com") for i in range(50)}) == training.FOLDS


def test_a_sea_names_its_countries_in_the_gazetteer_order() -> None:
    """Set order (which changes with the hash seed) once decided which country came first."""
    hits = find_places("Ships avoid the Red Sea\nCarriers divert vessels.")
    sea = next(h for h in hits if h.place.name == "Red Sea")
    assert len(sea.place.affects) >= 3
    assert list(roles._mentions_by_country([sea])) == list(sea.place.affects)
