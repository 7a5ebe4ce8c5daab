"""Configuration: packaged defaults overlaid by a (possibly partial) user `config.toml`.

Loaded once into frozen objects and passed explicitly; nothing here is global. The user file is
found from `--config`, else `$TWINWATCH_CONFIG`, else `./config.toml` when it exists.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from twinwatch.errors import ConfigError

ENV_VAR = "TWINWATCH_CONFIG"


@dataclass(frozen=True, slots=True)
class StoreConfig:
    path: str = "twinwatch.db"
    keep_raw: bool = False


@dataclass(frozen=True, slots=True)
class CrawlerConfig:
    user_agent: str = "twinwatch/0.1 (+https://github.com/twinwatch/twinwatch)"
    delay_seconds: float = 2.0
    timeout_seconds: float = 20.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    retries: int = 3
    backoff_seconds: float = 2.0
    max_retry_after_seconds: float = 120.0
    max_seconds_per_url: float = 60.0  # retries, their waits and redirects included
    obey_robots: bool = True


@dataclass(frozen=True, slots=True)
class SourceConfig:
    name: str
    kind: str  # rss | html_list | sitemap | naver_news | files
    url: str = ""
    interval_minutes: int = 60
    enabled: bool = True
    quiet_days: int = 14
    options: Mapping[str, Any] = field(default_factory=dict)  # kind-specific keys


@dataclass(frozen=True, slots=True)
class Config:
    store: StoreConfig = field(default_factory=StoreConfig)
    crawler: CrawlerConfig = field(default_factory=CrawlerConfig)
    sources: tuple[SourceConfig, ...] = ()
    sections: Mapping[str, Any] = field(default_factory=dict)  # other tables, read by their owners
    path: str | None = None  # the user file that was overlaid, if any


def default_config_text() -> str:
    return resources.files("twinwatch").joinpath("defaults.toml").read_text(encoding="utf-8")


def deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (arrays included) replaces the default."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


# The tables a config file may hold; anything else is a misspelling ([reveiw] would silently
# leave the review page open to everyone).
KNOWN_TABLES = ("store", "crawler", "sources", "prefilter", "scheduler", "review", "alerts")

# Smallest allowed value of numeric keys (any table): (limit, whether the limit itself is allowed).
MINIMUMS: dict[str, tuple[float, bool]] = {
    "timeout_seconds": (0, False), "max_bytes": (1, True), "delay_seconds": (0, True),
    "retries": (0, True), "backoff_seconds": (0, True), "max_redirects": (0, True),
    "max_retry_after_seconds": (0, True), "max_seconds_per_url": (0, False),
    "interval_minutes": (1, True), "quiet_days": (1, True),
    "misfire_grace_seconds": (1, True),
}


def _parse(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # message carries "(at line N, column M)"
        raise ConfigError(f"{origin}: {exc}") from exc
    except RecursionError:
        raise ConfigError(f"{origin}: tables or arrays nested too deeply") from None


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a UTF-8 text file (is it the right file?)") from None


def check_value(where: str, key: str, value: Any, default: Any) -> None:
    """`value` has the type of `default` (an int where an int is expected, any number where a
    float is) and is in MINIMUMS' range; else ConfigError naming table and key."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"[{where}] {key} must be true or false, not {value!r}")
        return
    if isinstance(default, (int, float)):
        whole = isinstance(default, int)
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
            noun = "a whole number" if whole else "a number"
            raise ConfigError(f"[{where}] {key} must be {noun}, not {value!r}")
        limit, inclusive = MINIMUMS.get(key, (float("-inf"), True))
        if value < limit or (value == limit and not inclusive):
            bound = f"at least {limit}" if inclusive else f"more than {limit}"
            raise ConfigError(f"[{where}] {key} must be {bound}, not {value!r}")
    elif isinstance(default, str) and not isinstance(value, str):
        raise ConfigError(f"[{where}] {key} must be a string, not {value!r}")


def check_table(cls: type, data: Any, where: str) -> dict[str, Any]:
    """A table's keys checked against the dataclass `cls`: known, typed as their defaults."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"[{where}] must be a table")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ConfigError(f"[{where}] unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
    for key, value in data.items():
        check_value(where, key, value, known[key].default)
    return dict(data)


def _section(cls: type, data: Any, where: str) -> Any:
    return cls(**check_table(cls, data, where))


_SOURCE_KEYS = {f.name for f in fields(SourceConfig)} - {"options"}
_SOURCE_DEFAULTS = {f.name: f.default for f in fields(SourceConfig) if isinstance(f.default, (str, int))}
SOURCE_KINDS = ("rss", "html_list", "sitemap", "naver_news", "files")


def _source(data: Any, index: int) -> SourceConfig:
    where = f"sources[{index}]"
    if not isinstance(data, Mapping):
        raise ConfigError(f"[[sources]] entry {index} must be a table")
    for key in ("name", "kind"):
        if not data.get(key):
            raise ConfigError(f"[{where}] missing key {key!r}")
        if not isinstance(data[key], str):
            raise ConfigError(f"[{where}] {key} must be a string, not {data[key]!r}")
    for key in sorted(_SOURCE_KEYS & set(data)):
        check_value(where, key, data[key], _SOURCE_DEFAULTS.get(key, ""))
    if data["kind"] not in SOURCE_KINDS:
        raise ConfigError(f"[{where}] ({data['name']}) kind must be one of {', '.join(SOURCE_KINDS)}, not {data['kind']!r}")
    plain = {k: v for k, v in data.items() if k in _SOURCE_KEYS}
    options = {k: v for k, v in data.items() if k not in _SOURCE_KEYS}
    return SourceConfig(**plain, options=options)


def find_user_config(explicit: str | None = None) -> Path | None:
    if explicit:
        path = Path(explicit)
        if not path.exists():
            raise ConfigError(f"config file not found: {path}")
        return path
    if os.environ.get(ENV_VAR):
        return find_user_config(os.environ[ENV_VAR])
    local = Path("config.toml")
    return local if local.exists() else None


def load_config(path: str | Path | None = None, *, overrides: Mapping[str, Any] | None = None) -> Config:
    """Packaged defaults, overlaid by the user file (see `find_user_config`), then `overrides`."""
    data = _parse(default_config_text(), "packaged defaults")
    user_path = find_user_config(str(path) if path else None)
    if user_path is not None:
        user = _parse(_read_text(user_path), str(user_path))
        data = deep_merge(data, user)
    if overrides:
        data = deep_merge(data, overrides)
    config = config_from_dict(data, str(user_path) if user_path else None)
    return replace(config, store=replace(config.store, path=store_path(config.store.path, user_path)))


def store_path(configured: str, config_file: Path | None) -> str:
    """`[store] path` as written, read relative to the config file's folder (so cron, running
    `--config /etc/twinwatch/config.toml` from anywhere, finds the same database); with no
    config file, relative to the current folder."""
    path = Path(configured).expanduser()
    if config_file is None or path.is_absolute():
        return str(path)
    return str(config_file.resolve().parent / path)


def config_from_dict(data: Mapping[str, Any], path: str | None = None) -> Config:
    sources = data.get("sources", [])
    if not isinstance(sources, list):
        raise ConfigError("sources must be an array of tables ([[sources]])")
    names = [s.get("name") for s in sources if isinstance(s, Mapping)]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise ConfigError(f"[[sources]] name {duplicate!r} is used twice")
    unknown = sorted(set(data) - set(KNOWN_TABLES))
    if unknown:
        raise ConfigError(f"[{unknown[0]}] unknown table (known: {', '.join(KNOWN_TABLES)})")
    others = {k: v for k, v in data.items() if k not in ("store", "crawler", "sources")}
    store = _section(StoreConfig, data.get("store", {}), "store")
    if not store.path.strip():
        raise ConfigError("[store] path must not be empty")
    return Config(
        store=store,
        crawler=_section(CrawlerConfig, data.get("crawler", {}), "crawler"),
        sources=tuple(_source(s, i) for i, s in enumerate(sources)),
        sections=others,
        path=path,
    )
