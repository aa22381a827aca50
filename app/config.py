"""Typed settings from environment variables and a `.env` file, validated at start-up.

The variable names are a contract shared with the docs, the other processes and the
administrators; each field declares its name as `validation_alias`. Only that name is read
from the environment, so a stray `HOST` or `PORT` in the shell never leaks in.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Role = Literal["web", "bot", "worker"]
ALL_ROLES: frozenset[Role] = frozenset({"web", "bot", "worker"})
SECRET_KEY_FILE = "secret_key"
MIN_SECRET_KEY_LENGTH = 32
ASYNC_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")


class SettingsError(ValueError):
    """The configuration is invalid; the message names each variable and never its value."""


def _default_database_url(data: dict[str, Any]) -> str:
    data_dir = data.get("data_dir", Path("data"))
    return f"sqlite+aiosqlite:///{data_dir}/reception.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",  # a .env may hold variables for other tools, e.g. TEST_DATABASE_URL
        env_ignore_empty=True,  # `TELEGRAM_TOKEN=` copied from .env.example means unset
        hide_input_in_errors=True,  # an invalid value may be a secret
        frozen=True,
    )

    # Order matters: the default of database_url is built from data_dir.
    data_dir: Path = Field(Path("data"), validation_alias="RECEPTION_DATA_DIR")
    database_url: str = Field(
        default_factory=_default_database_url,
        validation_alias="RECEPTION_DATABASE_URL",
        repr=False,  # may carry a password; see safe_database_url
    )
    profile: str = Field("typical-2023", min_length=1, validation_alias="RECEPTION_PROFILE")
    host: str = Field("127.0.0.1", min_length=1, validation_alias="RECEPTION_HOST")
    port: int = Field(8080, ge=1, le=65535, validation_alias="RECEPTION_PORT")
    # Empty only until validation ends: then the stored key fills it (_keep_secret_key).
    secret_key: SecretStr = Field(SecretStr(""), validation_alias="RECEPTION_SECRET_KEY")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        "INFO", validation_alias="RECEPTION_LOG_LEVEL"
    )
    session_idle_minutes: int = Field(
        30, ge=1, le=24 * 60, validation_alias="RECEPTION_SESSION_IDLE_MINUTES"
    )
    public_url: str | None = Field(None, validation_alias="RECEPTION_PUBLIC_URL")
    roles: Annotated[frozenset[Role], NoDecode] = Field(
        ALL_ROLES, validation_alias="RECEPTION_ROLES"
    )
    demo: bool = Field(False, validation_alias="RECEPTION_DEMO")
    # CSP frame-ancestors of the web chat page: the sites that may embed it, e.g.
    # "'self' https://www.gov.kz" (bot/webchat checks the value).
    webchat_frame_ancestors: str = Field(
        "'self'", validation_alias="RECEPTION_WEBCHAT_FRAME_ANCESTORS"
    )

    telegram_token: SecretStr | None = Field(None, validation_alias="TELEGRAM_TOKEN")
    telegram_mode: Literal["polling", "webhook"] = Field(
        "polling", validation_alias="TELEGRAM_MODE"
    )
    telegram_webhook_secret: SecretStr | None = Field(
        None, validation_alias="TELEGRAM_WEBHOOK_SECRET"
    )
    telegram_api_base: str = Field("https://api.telegram.org", validation_alias="TELEGRAM_API_BASE")

    whatsapp_token: SecretStr | None = Field(None, validation_alias="WHATSAPP_TOKEN")
    whatsapp_phone_number_id: str | None = Field(None, validation_alias="WHATSAPP_PHONE_NUMBER_ID")
    whatsapp_app_secret: SecretStr | None = Field(None, validation_alias="WHATSAPP_APP_SECRET")
    whatsapp_verify_token: SecretStr | None = Field(None, validation_alias="WHATSAPP_VERIFY_TOKEN")
    whatsapp_api_base: str = Field(
        "https://graph.facebook.com/v21.0", validation_alias="WHATSAPP_API_BASE"
    )
    # Cloud API default throughput per number; inbound and outbound both count.
    whatsapp_rate_per_second: int = Field(
        80, ge=1, le=1000, validation_alias="WHATSAPP_RATE_PER_SECOND"
    )
    # R38: approved templates per notice group, as JSON (format: bot/whatsapp/templates.py).
    whatsapp_templates: dict[str, Any] = Field(
        default_factory=dict, validation_alias="WHATSAPP_TEMPLATES"
    )

    @field_validator("data_dir")
    @classmethod
    def _absolute_data_dir(cls, value: Path) -> Path:
        # Resolved once, so the SQLite file and uploads stay put if the process changes dir.
        return value.expanduser().resolve()

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("telegram_mode", mode="before")
    @classmethod
    def _lower_mode(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("roles", mode="before")
    @classmethod
    def _parse_roles(cls, value: Any) -> Any:
        if isinstance(value, str):
            names = {part.strip().lower() for part in value.split(",") if part.strip()}
            return ALL_ROLES if names == {"all"} else names
        return value

    @field_validator("roles")
    @classmethod
    def _some_role(cls, value: frozenset[Role]) -> frozenset[Role]:
        if not value:
            raise ValueError("name at least one of web, bot, worker (or all)")
        return value

    @field_validator("public_url", "telegram_api_base", "whatsapp_api_base")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("whatsapp_templates")
    @classmethod
    def _known_templates(cls, value: dict[str, Any]) -> dict[str, Any]:
        if value:
            from bot.whatsapp.templates import parse_templates  # the format's one description

            parse_templates(value)  # raises a ValueError naming what is wrong
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            driver = make_url(value).drivername
        except ArgumentError:
            raise ValueError("not a database URL") from None
        if driver not in ASYNC_DRIVERS:
            raise ValueError(
                f"driver {driver!r} is not supported; use one of {', '.join(ASYNC_DRIVERS)}"
            )
        return value

    @field_validator("secret_key")
    @classmethod
    def _long_secret_key(cls, value: SecretStr) -> SecretStr:
        # Empty is the default (pydantic-settings validates defaults): a key is generated.
        if value.get_secret_value() and len(value.get_secret_value()) < MIN_SECRET_KEY_LENGTH:
            raise ValueError(f"must be at least {MIN_SECRET_KEY_LENGTH} characters")
        return value

    @model_validator(mode="after")
    def _complete_channels(self) -> Settings:
        if self.telegram_token is not None and self.telegram_mode == "webhook":
            missing = [
                name
                for name, value in (
                    ("TELEGRAM_WEBHOOK_SECRET", self.telegram_webhook_secret),
                    ("RECEPTION_PUBLIC_URL", self.public_url),
                )
                if value is None
            ]
            if missing:
                raise ValueError(f"TELEGRAM_MODE=webhook needs {' and '.join(missing)}")
        if self.whatsapp_token is not None:
            missing = [
                name
                for name, value in (
                    ("WHATSAPP_PHONE_NUMBER_ID", self.whatsapp_phone_number_id),
                    ("WHATSAPP_APP_SECRET", self.whatsapp_app_secret),
                    ("WHATSAPP_VERIFY_TOKEN", self.whatsapp_verify_token),
                )
                if value is None
            ]
            if missing:
                raise ValueError(f"WHATSAPP_TOKEN is set, so {', '.join(missing)} must be too")
        return self

    @model_validator(mode="after")
    def _keep_secret_key(self) -> Settings:
        # Last, so an invalid configuration writes nothing to disk.
        if not self.secret_key.get_secret_value():
            key = SecretStr(stored_secret_key(self.data_dir))
            object.__setattr__(self, "secret_key", key)  # the model is frozen
        return self

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_token is not None

    @property
    def whatsapp_enabled(self) -> bool:
        return self.whatsapp_token is not None

    @property
    def safe_database_url(self) -> str:
        """The database URL with any password masked, for logs and the start-up line."""
        from sqlalchemy.engine import make_url

        return make_url(self.database_url).render_as_string(hide_password=True)

    @property
    def base_url(self) -> str:
        """Where links point: RECEPTION_PUBLIC_URL, else the address this process binds."""
        if self.public_url:
            return self.public_url
        host = "localhost" if self.host in ("0.0.0.0", "::", "") else self.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def runs(self, role: Role) -> bool:
        return role in self.roles


def stored_secret_key(data_dir: Path) -> str:
    """The key kept in <data dir>/secret_key, generated on first use (mode 0600).

    Keeping it makes signed cookies survive restarts when RECEPTION_SECRET_KEY is unset.
    The file is published with a hard link, so two processes starting together agree on one key.
    """
    path = data_dir / SECRET_KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        draft = data_dir / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process published its key first; use that one
        finally:
            draft.unlink()
    return path.read_text(encoding="ascii").strip()


def env_name(field: str) -> str:
    """The environment variable behind a settings field, e.g. port -> RECEPTION_PORT."""
    alias = Settings.model_fields[field].validation_alias
    assert isinstance(alias, str)
    return alias


def load_settings(**overrides: Any) -> Settings:
    """Settings from overrides (by field name), then the environment, then `.env`, then defaults.

    `_env_file=None` (or a path) is passed through to pydantic-settings.
    Raises SettingsError naming every invalid variable, without its value.
    """
    arguments: dict[str, Any] = {}
    for name, value in overrides.items():
        if name.startswith("_"):
            arguments[name] = value
        elif name in Settings.model_fields:
            arguments[env_name(name)] = value
        else:
            raise TypeError(f"load_settings() got an unknown setting {name!r}")
    try:
        return Settings(**arguments)
    except ValidationError as error:
        raise SettingsError(describe(error)) from None


def describe(error: ValidationError) -> str:
    lines = ["invalid configuration:"]
    for item in error.errors(include_input=False, include_url=False):
        where = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"  {where}: {message}" if where else f"  {message}")
    return "\n".join(lines)
