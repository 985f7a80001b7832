"""The flat setting names of before the groups, and where each now lives.

`MONITOR_POLL_CONCURRENCY` and `Settings(poll_concurrency=…)` keep working: both mean
`polling.concurrency`. In the environment and `.env` the grouped name wins when both are set;
a keyword wins over both, as keywords always do.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from pydantic_settings.sources import DotEnvSettingsSource, EnvSettingsSource

PREFIX = "monitor_"

# old flat name: (group, name in the group)
OLD_NAMES: dict[str, tuple[str, str]] = {
    "kafka_host": ("kafka", "host"),
    "kafka_port": ("kafka", "port"),
    "kafka_controller_port": ("kafka", "controller_port"),
    "kafka_bootstrap_servers": ("kafka", "bootstrap_servers"),
    "kafka_heap": ("kafka", "heap"),
    "kafka_lib_dir": ("kafka", "lib_dir"),
    "kafka_start_timeout": ("kafka", "start_timeout_s"),
    "produce_timeout_s": ("kafka", "produce_timeout_s"),
    "topic_items": ("topics", "items"),
    "topic_disruptions": ("topics", "disruptions"),
    "topic_incidents": ("topics", "incidents"),
    "topic_alerts": ("topics", "alerts"),
    "topic_dead_letters": ("topics", "dead_letters"),
    "topic_partitions": ("topics", "partitions"),
    "topic_replication": ("topics", "replication"),
    "faust_app_id": ("streams", "app_id"),
    "faust_web_enabled": ("streams", "web_enabled"),
    "faust_web_port": ("streams", "web_port"),
    "faust_processing_guarantee": ("streams", "processing_guarantee"),
    "faust_session_timeout_s": ("streams", "session_timeout_s"),
    "faust_heartbeat_s": ("streams", "heartbeat_s"),
    "stream_batch": ("streams", "batch_size"),
    "stream_batch_within_s": ("streams", "batch_within_s"),
    "recent_ids_keep_h": ("streams", "recent_ids_keep_h"),
    "tag_processes": ("streams", "tag_processes"),
    "tag_batches_in_flight": ("streams", "tag_batches_in_flight"),
    "incident_distance_km": ("incidents", "distance_km"),
    "incident_window_h": ("incidents", "window_h"),
    "incident_expiry_h": ("incidents", "expiry_h"),
    "incident_keep_closed_h": ("incidents", "keep_closed_h"),
    "incident_expiry_check_s": ("incidents", "expiry_check_s"),
    "watch_refresh_s": ("matching", "watch_refresh_s"),
    "supplier_watch_radius_km": ("matching", "supplier_watch_radius_km"),
    "api_host": ("api", "host"),
    "api_port": ("api", "port"),
    "cors_origins": ("api", "cors_origins"),
    "api_page_max": ("api", "page_max"),
    "api_import_max_bytes": ("api", "import_max_bytes"),
    "api_stream_poll_s": ("api", "stream_poll_s"),
    "api_stream_heartbeat_s": ("api", "stream_heartbeat_s"),
    "suggest_weight_material": ("suggestions", "weight_material"),
    "suggest_weight_capacity": ("suggestions", "weight_capacity"),
    "suggest_weight_lead_time": ("suggestions", "weight_lead_time"),
    "suggest_weight_size": ("suggestions", "weight_size"),
    "suggest_weight_certifications": ("suggestions", "weight_certifications"),
    "suggest_weight_diversification": ("suggestions", "weight_diversification"),
    "suggest_substitute_factor": ("suggestions", "substitute_factor"),
    "suggest_point_radius_km": ("suggestions", "point_radius_km"),
    "suggest_candidate_cap": ("suggestions", "candidate_cap"),
    "allow_private_hosts": ("fetch", "allow_private_hosts"),
    "user_agent": ("fetch", "user_agent"),
    "fetch_connect_timeout": ("fetch", "connect_timeout_s"),
    "fetch_read_timeout": ("fetch", "read_timeout_s"),
    "fetch_total_timeout": ("fetch", "total_timeout_s"),
    "fetch_max_bytes": ("fetch", "max_bytes"),
    "fetch_max_redirects": ("fetch", "max_redirects"),
    "poll_concurrency": ("polling", "concurrency"),
    "poll_per_host": ("polling", "per_host"),
    "poll_pool_size": ("polling", "pool_size"),
    "poll_idle_s": ("polling", "idle_s"),
    "poll_batch": ("polling", "batch_size"),
    "poll_backoff_max_s": ("polling", "backoff_max_s"),
    "poll_max_age_cap_s": ("polling", "max_age_cap_s"),
    "dedup_chunk": ("polling", "dedup_chunk"),
    "smtp_host": ("smtp", "host"),
    "smtp_port": ("smtp", "port"),
    "smtp_from": ("smtp", "from_address"),
    "smtp_starttls": ("smtp", "starttls"),
    "smtp_user": ("smtp", "user"),
    "smtp_password": ("smtp", "password"),
    "delivery_timeout_s": ("delivery", "timeout_s"),
    "delivery_max_attempts": ("delivery", "max_attempts"),
    "delivery_max_age_s": ("delivery", "max_age_s"),
    "delivery_backoff_s": ("delivery", "backoff_s"),
    "delivery_backoff_max_s": ("delivery", "backoff_max_s"),
    "delivery_poll_s": ("delivery", "poll_s"),
    "delivery_batch": ("delivery", "batch_size"),
    "delivery_concurrency": ("delivery", "concurrency"),
}


def nest_old_names(data: dict[str, Any]) -> dict[str, Any]:
    """Return `data` with each old flat key moved into its group (over what the group held)."""
    out = dict(data)
    for old, (group, name) in OLD_NAMES.items():
        if old not in out:
            continue
        value = out.pop(old)
        held = out.get(group)
        if isinstance(held, BaseModel):
            held = held.model_dump(exclude_unset=True)
        out[group] = {**(held if isinstance(held, dict) else {}), name: value}
    return out


def _is_json(settings_cls: type[BaseSettings], group: str, name: str) -> bool:
    """Return whether the field takes a JSON value in the environment (a list, say)."""
    model = settings_cls.model_fields[group].annotation
    assert isinstance(model, type) and issubclass(model, BaseModel)
    origin = typing.get_origin(model.model_fields[name].annotation)
    return origin in (list, dict, set, tuple)


class OldNamesSource(PydanticBaseSettingsSource):
    """Read the old flat `MONITOR_*` names from the environment and `.env`, as groups."""

    def __init__(
        self,
        settings_cls: type[BaseSettings],
        env: EnvSettingsSource,
        dotenv: DotEnvSettingsSource,
    ) -> None:
        super().__init__(settings_cls)
        self.env_vars = {**dotenv.env_vars, **env.env_vars}  # lower-case names

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        """Unused: `__call__` reads every old name at once."""
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        """Return the old names that are set, nested into their groups."""
        groups: dict[str, dict[str, Any]] = {}
        for old, (group, name) in OLD_NAMES.items():
            raw = self.env_vars.get(PREFIX + old)
            if raw is None:
                continue
            value = json.loads(raw) if _is_json(self.settings_cls, group, name) else raw
            groups.setdefault(group, {})[name] = value
        return groups


class WithoutOldNames(PydanticBaseSettingsSource):
    """A source minus the old names it passes on flat (`.env` passes unknown names on)."""

    def __init__(self, settings_cls: type[BaseSettings], source: PydanticBaseSettingsSource):
        super().__init__(settings_cls)
        self.source = source

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        """Unused: `__call__` asks the wrapped source."""
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        """Return what the wrapped source read, without the old flat names."""
        return {k: v for k, v in self.source().items() if k not in OLD_NAMES}
