"""The `[alerts]` tables of config.toml, read once into frozen objects.

    [alerts]                      send_empty, lookback_days, max_events, failure_threshold, subject
    [alerts.email]                host, port, starttls, ssl, sender, username_env, password_env,
                                  timeout_seconds, ca_file, recipients = ["a@b", {address = …, <filters>}]
    [alerts.webhook]              url, url_env, format (slack|json), timeout_seconds,
                                  recipients = [{name = …, url/url_env/format, <filters>}]
    [alerts.file]                 folder, recipients = [{name = …, <filters>}]

Filters on a recipient: `parties`, `provinces`, `countries`, `types`. A channel is used when it
has recipients; webhook and file take one recipient named "default" when they are given a
`url`/`url_env`/`folder` but no `recipients`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Mapping

from twinwatch import validation
from twinwatch.config import Config
from twinwatch.errors import ConfigError
from twinwatch.labels import labels, province_key

CHANNELS = ("email", "webhook", "file")
WEBHOOK_FORMATS = ("slack", "json")
FILTER_KEYS = ("parties", "provinces", "countries", "types")
SCHEDULE_KEYS = ("frequency", "weekday")
FREQUENCIES = ("daily", "weekly")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS_KO = ("월", "화", "수", "목", "금", "토", "일")


@dataclass(frozen=True, slots=True)
class RecipientFilter:
    """What one recipient wants: any listed party or province, and any listed country, and any
    listed type; an empty list does not narrow. Provinces match an event whose party is in that
    province or is the province itself."""

    parties: frozenset[str] = frozenset()
    provinces: frozenset[str] = frozenset()  # short keys ('경남')
    countries: frozenset[str] = frozenset()  # ISO alpha-2
    types: frozenset[str] = frozenset()  # agreement_type codes

    def matches(self, event: Mapping[str, Any]) -> bool:
        if self.parties or self.provinces:
            in_province = {province_key(event.get("korean_province")),
                           province_key(event.get("korean_party"))} & self.provinces
            if event.get("korean_party") not in self.parties and not in_province:
                return False
        if self.countries and (event.get("partner_country") or "").upper() not in self.countries:
            return False
        return not self.types or event.get("agreement_type") in self.types

    @property
    def is_empty(self) -> bool:
        return not (self.parties or self.provinces or self.countries or self.types)


@dataclass(frozen=True, slots=True)
class Recipient:
    """`key` names the recipient in the delivery state: the address (email) or the name."""

    key: str
    filters: RecipientFilter = field(default_factory=RecipientFilter)
    url: str = ""  # webhook only: its own URL, else the channel's
    url_env: str = ""
    format: str = ""
    frequency: str = "daily"  # daily | weekly (then only on `weekday` when `twinwatch run` sends)
    weekday: int = 0  # Monday = 0 … Sunday = 6, in Seoul

    def due(self, seoul_weekday: int) -> bool:
        """Whether the scheduled digest goes to this recipient on that day of the week."""
        return self.frequency == "daily" or seoul_weekday == self.weekday


@dataclass(frozen=True, slots=True)
class EmailSettings:
    host: str = "localhost"
    port: int = 25
    starttls: bool = False
    ssl: bool = False
    sender: str = ""
    username_env: str = ""  # names of environment variables, never the secrets themselves
    password_env: str = ""
    timeout_seconds: float = 30.0
    ca_file: str = ""  # PEM CA certificates to trust instead of the system's (an internal CA)
    recipients: tuple[Recipient, ...] = ()


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    url: str = ""
    url_env: str = ""
    format: str = "slack"
    timeout_seconds: float = 20.0
    recipients: tuple[Recipient, ...] = ()


@dataclass(frozen=True, slots=True)
class FileSettings:
    folder: str = ""
    recipients: tuple[Recipient, ...] = ()


@dataclass(frozen=True, slots=True)
class AlertsConfig:
    send_empty: bool = False
    lookback_days: int = 7  # a recipient's first digest covers events first seen this recently
    max_events: int = 50  # more stay pending for the next digest
    failure_threshold: int = 2  # consecutive failed runs before a source is reported
    subject: str = "[twinwatch] 국제교류 협약 소식"
    email: EmailSettings = field(default_factory=EmailSettings)
    webhook: WebhookSettings = field(default_factory=WebhookSettings)
    file: FileSettings = field(default_factory=FileSettings)
    review_base_url: str = ""  # from [review] base_url: each event links to its review page

    def recipients(self, channel: str) -> tuple[Recipient, ...]:
        return self.channel_settings(channel).recipients

    def channel_settings(self, channel: str) -> EmailSettings | WebhookSettings | FileSettings:
        if channel not in CHANNELS:
            raise ConfigError(f"unknown alert channel {channel!r} (one of {', '.join(CHANNELS)})")
        settings: EmailSettings | WebhookSettings | FileSettings = getattr(self, channel)
        return settings

    def active_channels(self) -> tuple[str, ...]:
        return tuple(name for name in CHANNELS if self.recipients(name))


_POSITIVE = ("timeout_seconds", "port")


def _country_code(name: str) -> str | None:
    """An ISO code or an English or Korean country name as its code ('XX' is none)."""
    try:
        return validation.country_code(name)
    except validation.InvalidValue:
        return None


def _check_scalars(where: str, data: Mapping[str, Any], defaults: Mapping[str, Any]) -> None:
    unknown = sorted(set(data) - set(defaults))
    if unknown:
        raise ConfigError(f"[{where}] unknown key {unknown[0]!r} (known: {', '.join(sorted(defaults))})")
    for key, value in data.items():
        default = defaults[key]
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"[{where}] {key} must be true or false, not {value!r}")
        elif isinstance(default, (int, float)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"[{where}] {key} must be a number, not {value!r}")
            if value < 0:
                raise ConfigError(f"[{where}] {key} must not be negative, not {value!r}")
            if value == 0 and key in _POSITIVE:  # a zero timeout fails every delivery
                raise ConfigError(f"[{where}] {key} must be more than 0, not {value!r}")
            if isinstance(default, int) and not isinstance(value, int):
                raise ConfigError(f"[{where}] {key} must be a whole number, not {value!r}")
        elif isinstance(default, str) and not isinstance(value, str):
            raise ConfigError(f"[{where}] {key} must be a string, not {value!r}")


def _string_list(where: str, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"[{where}] {key} must be a list of names, not {value!r}")
    return value


def _filters(where: str, data: Mapping[str, Any]) -> RecipientFilter:
    table = labels()
    type_codes = {**{code: code for code in table["types"]},
                  **{label: code for code, label in table["types"].items()}}
    country_codes = {name: code for code, name in table["countries"].items()}
    types, provinces, countries = set(), set(), set()
    for name in _string_list(where, "types", data.get("types", [])):
        if name not in type_codes and name.lower() not in type_codes:
            raise ConfigError(f"[{where}] types: unknown type {name!r} "
                              f"(one of {', '.join(type_codes)})")
        types.add(type_codes.get(name) or type_codes[name.lower()])
    for name in _string_list(where, "provinces", data.get("provinces", [])):
        key = province_key(name)
        if key is None:
            raise ConfigError(f"[{where}] provinces: {name!r} is not a 광역 government "
                              f"(e.g. 경상남도 or 경남)")
        provinces.add(key)
    for name in _string_list(where, "countries", data.get("countries", [])):
        code = country_codes.get(name) or _country_code(name)
        if code is None:
            raise ConfigError(f"[{where}] countries: unknown country {name!r} "
                              f"(give an ISO code such as CN, or a name such as 중국)")
        countries.add(code)
    parties = frozenset(_string_list(where, "parties", data.get("parties", [])))
    return RecipientFilter(parties, frozenset(provinces), frozenset(countries), frozenset(types))


def _recipient(channel: str, index: int, data: Any) -> Recipient:
    where = f"alerts.{channel}.recipients[{index}]"
    if isinstance(data, str):
        data = {"address": data} if channel == "email" else {"name": data}
    if not isinstance(data, Mapping):
        raise ConfigError(f"[{where}] must be a string or a table")
    key_name = "address" if channel == "email" else "name"
    own = {"webhook": ("name", "url", "url_env", "format")}.get(channel, (key_name,)) + SCHEDULE_KEYS
    unknown = sorted(set(data) - set(own) - set(FILTER_KEYS))
    if unknown:
        raise ConfigError(f"[{where}] unknown key {unknown[0]!r} "
                          f"(known: {', '.join((*own, *FILTER_KEYS))})")
    key = data.get(key_name)
    if not isinstance(key, str) or not key.strip():
        raise ConfigError(f"[{where}] missing key {key_name!r}")
    if channel == "email" and "@" not in key:
        raise ConfigError(f"[{where}] address {key!r} is not an e-mail address")
    if data.get("format") and data["format"] not in WEBHOOK_FORMATS:
        raise ConfigError(f"[{where}] format must be one of {', '.join(WEBHOOK_FORMATS)}")
    frequency, weekday = _schedule(where, data)
    return Recipient(key=key.strip(), filters=_filters(where, data), url=data.get("url", ""),
                     url_env=data.get("url_env", ""), format=data.get("format", ""),
                     frequency=frequency, weekday=weekday)


def _schedule(where: str, data: Mapping[str, Any]) -> tuple[str, int]:
    frequency = data.get("frequency", "daily")
    if frequency not in FREQUENCIES:
        raise ConfigError(f"[{where}] frequency must be one of {', '.join(FREQUENCIES)}, not {frequency!r}")
    day = str(data.get("weekday", WEEKDAYS[0]))
    if day not in WEEKDAYS and day not in WEEKDAYS_KO:
        raise ConfigError(f"[{where}] weekday must be one of {', '.join(WEEKDAYS)} "
                          f"or {', '.join(WEEKDAYS_KO)}, not {day!r}")
    return frequency, (WEEKDAYS.index(day) if day in WEEKDAYS else WEEKDAYS_KO.index(day))


def _recipients(channel: str, data: Mapping[str, Any], implicit: bool) -> tuple[Recipient, ...]:
    listed = data.get("recipients", [])
    if not isinstance(listed, list):
        raise ConfigError(f"[alerts.{channel}] recipients must be an array")
    recipients = tuple(_recipient(channel, i, item) for i, item in enumerate(listed))
    keys = [r.key for r in recipients]
    duplicate = next((k for k in keys if keys.count(k) > 1), None)
    if duplicate:
        raise ConfigError(f"[alerts.{channel}] recipient {duplicate!r} is listed twice")
    if not recipients and implicit:
        return (Recipient(key="default"),)
    return recipients


def _channel(cls: type, channel: str, data: Any) -> Any:
    if not isinstance(data, Mapping):
        raise ConfigError(f"[alerts.{channel}] must be a table")
    scalars = {k: v for k, v in data.items() if k != "recipients"}
    defaults = {f.name: getattr(cls(), f.name) for f in fields(cls) if f.name != "recipients"}
    _check_scalars(f"alerts.{channel}", scalars, defaults)
    implicit = bool(scalars.get("url") or scalars.get("url_env") or scalars.get("folder"))
    return cls(**scalars, recipients=_recipients(channel, data, implicit))


def alerts_config(config: Config) -> AlertsConfig:
    """The run's `[alerts]` settings (packaged defaults overlaid by the user's file)."""
    section = config.sections.get("alerts", {})
    if not isinstance(section, Mapping):
        raise ConfigError("[alerts] must be a table")
    scalars = {k: v for k, v in section.items() if k not in CHANNELS}
    defaults = {name: getattr(AlertsConfig(), name) for name in AlertsConfig.__dataclass_fields__
                if name not in (*CHANNELS, "review_base_url")}
    _check_scalars("alerts", scalars, defaults)
    if scalars.get("max_events") == 0:
        raise ConfigError("[alerts] max_events must be at least 1")
    email = _channel(EmailSettings, "email", section.get("email", {}))
    if email.recipients and not email.sender:
        raise ConfigError("[alerts.email] sender is required when e-mail recipients are set")
    if email.ssl and email.starttls:
        raise ConfigError("[alerts.email] set ssl (implicit TLS, port 465) or starttls (port 587), not both")
    webhook = _channel(WebhookSettings, "webhook", section.get("webhook", {}))
    if webhook.format not in WEBHOOK_FORMATS:
        raise ConfigError(f"[alerts.webhook] format must be one of {', '.join(WEBHOOK_FORMATS)}")
    review = config.sections.get("review", {})
    base_url = review.get("base_url", "") if isinstance(review, Mapping) else ""
    return AlertsConfig(**scalars, email=email, webhook=webhook,
                        file=_channel(FileSettings, "file", section.get("file", {})),
                        review_base_url=str(base_url or ""))
