"""Settings: defaults, environment overrides (grouped and old flat names), validation."""

from __future__ import annotations

import enum
import re
from operator import attrgetter
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr, ValidationError
from pydantic.fields import FieldInfo

from monitor.old_setting_names import OLD_NAMES
from monitor.settings import PROJECT_ROOT, ProcessingGuarantee, Settings


def test_defaults_point_at_the_local_stack(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path, kafka_port=9999)
    assert s.kafka.servers == "127.0.0.1:9999"
    assert s.db_url == f"sqlite:///{tmp_path / 'monitor.db'}"
    assert s.topics.names == ["items", "disruptions", "incidents", "alerts", "dead-letters"]


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
    monkeypatch.setenv("MONITOR_DATABASE_URL", "postgresql+psycopg://u:p@db/x")
    monkeypatch.setenv("MONITOR_TOPIC_PARTITIONS", "12")
    s = Settings()
    assert s.kafka.servers == "kafka:9092"
    assert s.db_url == "postgresql+psycopg://u:p@db/x"
    assert s.topics.partitions == 12


@pytest.mark.parametrize("value", ["prod", "Production ", "staging"])
def test_a_misspelt_environment_fails_at_start_up(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("MONITOR_ENVIRONMENT", value)
    with pytest.raises(ValidationError, match="environment"):
        Settings()


def test_cors_is_closed_unless_origins_are_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().api.cors_origins == []
    monkeypatch.setenv("MONITOR_CORS_ORIGINS", '["https://buyer.example"]')
    assert Settings().api.cors_origins == ["https://buyer.example"]


def test_grouped_names_are_read_and_win_over_the_old_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_POLLING_CONCURRENCY", "7")
    monkeypatch.setenv("MONITOR_KAFKA_CONTROLLER_PORT", "19999")
    monkeypatch.setenv("MONITOR_API_CORS_ORIGINS", '["https://a.example"]')
    monkeypatch.setenv("MONITOR_TOPICS_PARTITIONS", "13")
    monkeypatch.setenv("MONITOR_TOPIC_PARTITIONS", "12")
    s = Settings()
    assert (s.polling.concurrency, s.kafka.controller_port) == (7, 19999)
    assert (s.api.cors_origins, s.topics.partitions) == (["https://a.example"], 13)


def _other_value(field: FieldInfo) -> tuple[str, Any]:
    """Return an environment value unlike the field's default, and what it reads as."""
    default, kind = field.get_default(call_default_factory=True), field.annotation
    if isinstance(default, enum.Enum):
        other = next(m for m in type(default) if m is not default)
        return other.value, other
    if isinstance(default, bool):
        return str(not default).lower(), not default
    if isinstance(default, int):
        return str(default + 1), default + 1
    if isinstance(default, float):
        return str(default + 1.5), default + 1.5
    if isinstance(default, list):
        return '["10.0.0.1"]', ["10.0.0.1"]
    if kind == (SecretStr | None):
        return "hunter2", SecretStr("hunter2")
    if kind == (Path | None):
        return "/srv/jars", Path("/srv/jars")
    return "changed.example", "changed.example"


@pytest.mark.parametrize(
    "old", sorted(n for n in OLD_NAMES if not n.startswith("suggest_weight_"))
)  # the weights must sum to 1: tested together below
def test_every_old_flat_name_still_sets_its_grouped_field(
    monkeypatch: pytest.MonkeyPatch, old: str
) -> None:
    group, name = OLD_NAMES[old]
    field = type(getattr(Settings(), group)).model_fields[name]
    raw, want = _other_value(field)
    monkeypatch.setenv(f"MONITOR_{old.upper()}", raw)
    got = getattr(getattr(Settings(), group), name)
    assert got == want if not isinstance(want, SecretStr) else got.get_secret_value() == raw
    assert getattr(getattr(Settings(**{old: want}), group), name) == want


@pytest.mark.parametrize(
    ("old", "value", "path", "want"),
    [
        ("MONITOR_KAFKA_START_TIMEOUT", "300", "kafka.start_timeout_s", 300.0),
        ("MONITOR_FETCH_CONNECT_TIMEOUT", "2.5", "fetch.connect_timeout_s", 2.5),
        ("MONITOR_STREAM_BATCH", "16", "streams.batch_size", 16),
        ("MONITOR_POLL_BATCH", "50", "polling.batch_size", 50),
        ("MONITOR_ALLOW_PRIVATE_HOSTS", '["10.0.0.1"]', "fetch.allow_private_hosts", ["10.0.0.1"]),
        ("MONITOR_FAUST_PROCESSING_GUARANTEE", "exactly_once", "streams.processing_guarantee",
         ProcessingGuarantee.exactly_once),
        ("MONITOR_SMTP_FROM", "alerts@b.example", "smtp.from_address", "alerts@b.example"),
    ],
)  # fmt: skip
def test_old_names_with_a_unit_or_a_new_place_map_onto_the_new_field(
    monkeypatch: pytest.MonkeyPatch, old: str, value: str, path: str, want: Any
) -> None:
    monkeypatch.setenv(old, value)
    assert attrgetter(path)(Settings()) == want


def test_every_monitor_variable_the_project_names_is_a_setting() -> None:
    # Names in README, docs, Makefile, compose, deploy, bench, CI and tests keep working.
    others = re.compile(r"MONITOR_(BENCH|TEST|FUZZ|CHROMIUM)_?\w*")
    groups = {n: type(v) for n, v in Settings() if isinstance(v, BaseModel)}
    top = set(Settings.model_fields) - set(groups)
    known = top | set(OLD_NAMES) | {f"{g}_{f}" for g, m in groups.items() for f in m.model_fields}
    used: set[str] = set()
    for place in ("README.md", "docs", "Makefile", "docker-compose.yml", "deploy", "bench",
                  ".ci", "tests", "monitor"):  # fmt: skip
        root = PROJECT_ROOT / place
        for path in [root] if root.is_file() else root.rglob("*"):
            if path.is_file() and path.suffix in {"", ".md", ".py", ".yml", ".yaml", ".sh"}:
                text = path.read_text(encoding="utf-8", errors="replace")
                used |= {m for m in re.findall(r"MONITOR_[A-Z0-9_]*[A-Z0-9]", text)}
    unknown = {
        name
        for name in used
        if not others.fullmatch(name) and name.removeprefix("MONITOR_").lower() not in known
    }
    # Families named with a wildcard in prose (MONITOR_SUGGEST_WEIGHT_*, MONITOR_FETCH_*_TIMEOUT).
    unknown -= {"MONITOR_SUGGEST_WEIGHT", "MONITOR_FETCH", "MONITOR_SUGGESTIONS_WEIGHT"}
    assert unknown == set()
    assert len(used) > 40


def test_suggestion_weights_must_sum_to_one(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match=r"sum to 1\.1"):
        Settings(suggest_weight_material=0.4)
    with pytest.raises(ValidationError, match=r"sum to 0\.9"):
        Settings().updated(suggestions={"weight_size": 0.05})
    for part, weight in [("material", 0.5), ("capacity", 0.1), ("lead_time", 0.1), ("size", 0.1),
                         ("certifications", 0.1), ("diversification", 0.1)]:  # fmt: skip
        monkeypatch.setenv(f"MONITOR_SUGGEST_WEIGHT_{part.upper()}", str(weight))
    assert Settings().suggestions.weights["material"] == 0.5


def test_a_processing_guarantee_outside_the_set_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_STREAMS_PROCESSING_GUARANTEE", "at_most_once")
    with pytest.raises(ValidationError, match="processing_guarantee"):
        Settings()


def test_updated_copies_and_validates(tmp_path: Path) -> None:
    base = Settings(data_dir=tmp_path)
    changed = base.updated(poll_per_host=2, kafka={"port": 1234})
    assert (changed.polling.per_host, changed.kafka.port, changed.data_dir) == (2, 1234, tmp_path)
    assert base.polling.per_host == 4
    with pytest.raises(ValidationError):
        base.updated(streams={"tag_processes": -1})


def test_docs_list_every_setting() -> None:
    text = (PROJECT_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    names = [n for n, v in Settings() if not isinstance(v, BaseModel)]
    names += [
        f"{g}_{f}" for g, v in Settings() if isinstance(v, BaseModel) for f in type(v).model_fields
    ]
    assert [n for n in names if f"`MONITOR_{n.upper()}`" not in text] == []


def test_old_names_in_dotenv_are_read_below_the_grouped_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("MONITOR_FAUST_APP_ID=old-in-dotenv\nMONITOR_POLL_BATCH=9\n")
    monkeypatch.chdir(tmp_path)
    assert (Settings().streams.app_id, Settings().polling.batch_size) == ("old-in-dotenv", 9)
    monkeypatch.setenv("MONITOR_STREAMS_APP_ID", "new-in-env")
    assert Settings().streams.app_id == "new-in-env"
    assert Settings(faust_app_id="keyword").streams.app_id == "keyword"
