"""Settings: the names are a contract, defaults work, errors are clear, secrets stay hidden."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app.config import ALL_ROLES, Settings, SettingsError, env_name, load_settings

KEY = "k" * 40


@pytest.fixture(autouse=True)
def in_empty_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """./data and ./.env resolve inside tmp_path."""
    monkeypatch.chdir(tmp_path)


def test_defaults_run_on_sqlite_under_data_on_localhost(tmp_path: Path) -> None:
    settings = load_settings()

    assert settings.data_dir == tmp_path / "data"
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path}/data/reception.db"
    assert settings.profile == "typical-2023"
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)
    assert settings.log_level == "INFO"
    assert settings.session_idle_minutes == 30
    assert settings.public_url is None
    assert settings.roles == ALL_ROLES
    assert settings.telegram_mode == "polling"
    assert settings.telegram_api_base == "https://api.telegram.org"
    assert settings.whatsapp_api_base == "https://graph.facebook.com/v21.0"
    assert settings.whatsapp_rate_per_second == 80
    assert not settings.telegram_enabled
    assert not settings.whatsapp_enabled


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = load_settings()
    second = load_settings()

    key_file = tmp_path / "data" / "secret_key"
    assert first.secret_key.get_secret_value() == second.secret_key.get_secret_value()
    assert len(first.secret_key.get_secret_value()) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert list((tmp_path / "data").iterdir()) == [key_file]


def test_an_invalid_configuration_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_MODE", "fax")

    with pytest.raises(SettingsError):
        load_settings()

    assert not (tmp_path / "data").exists()


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RECEPTION_DATA_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("RECEPTION_PORT", "9000")
    monkeypatch.setenv("RECEPTION_PROFILE", "almaty-2025")
    monkeypatch.setenv("RECEPTION_LOG_LEVEL", "debug")
    monkeypatch.setenv("RECEPTION_ROLES", "bot, worker")
    monkeypatch.setenv("RECEPTION_SECRET_KEY", KEY)
    monkeypatch.setenv("TELEGRAM_MODE", "webhook")
    monkeypatch.setenv("TELEGRAM_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "hook-secret")
    monkeypatch.setenv("RECEPTION_PUBLIC_URL", "https://priem.example.kz/")

    settings = load_settings()

    assert settings.data_dir == tmp_path / "elsewhere"
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path}/elsewhere/reception.db"
    assert settings.port == 9000
    assert settings.profile == "almaty-2025"
    assert settings.log_level == "DEBUG"
    assert settings.roles == {"bot", "worker"}
    assert settings.telegram_mode == "webhook"
    assert settings.public_url == "https://priem.example.kz"
    assert settings.base_url == "https://priem.example.kz"
    # A key from the environment is used as is; no file is written.
    assert settings.secret_key.get_secret_value() == KEY
    assert not (tmp_path / "elsewhere").exists()


def test_stray_host_and_port_variables_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "1")

    settings = load_settings()

    assert (settings.host, settings.port) == ("127.0.0.1", 8080)


def test_dotenv_file_is_read_and_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text(
        "RECEPTION_PORT=8181\nRECEPTION_PROFILE=zhetisu-2023\nTELEGRAM_TOKEN=\n"
        "TEST_DATABASE_URL=postgresql+asyncpg://someone@db/test\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("RECEPTION_PROFILE", "turkestan-2020")

    settings = load_settings()

    assert settings.port == 8181
    assert settings.profile == "turkestan-2020"
    assert settings.telegram_token is None  # an empty value means unset


def test_keyword_overrides_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECEPTION_PORT", "9000")

    settings = load_settings(port=9100, host="0.0.0.0", roles=frozenset({"web"}))

    assert settings.port == 9100
    assert settings.base_url == "http://localhost:9100"
    assert settings.roles == {"web"}


def test_unknown_keyword_override_is_refused() -> None:
    with pytest.raises(TypeError, match="colour"):
        load_settings(colour="blue")


def test_invalid_telegram_mode_is_rejected_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_MODE", "carrier-pigeon")

    with pytest.raises(SettingsError, match="TELEGRAM_MODE") as caught:
        load_settings()

    assert "polling" in str(caught.value)
    assert "carrier-pigeon" not in str(caught.value)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RECEPTION_PORT", "eighty"),
        ("RECEPTION_PORT", "70000"),
        ("RECEPTION_LOG_LEVEL", "LOUD"),
        ("RECEPTION_ROLES", "web,chef"),
        ("RECEPTION_SESSION_IDLE_MINUTES", "0"),
        ("RECEPTION_PUBLIC_URL", "priem.example.kz"),
        ("RECEPTION_DATABASE_URL", "postgresql://db/reception"),
        ("WHATSAPP_RATE_PER_SECOND", "0"),
    ],
)
def test_invalid_values_are_rejected_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(SettingsError, match=variable):
        load_settings()


def test_short_secret_key_is_rejected_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECEPTION_SECRET_KEY", "hunter2")

    with pytest.raises(SettingsError, match="RECEPTION_SECRET_KEY") as caught:
        load_settings()

    assert "hunter2" not in str(caught.value)


def test_webhook_mode_needs_its_secret_and_a_public_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_MODE", "webhook")

    with pytest.raises(SettingsError) as caught:
        load_settings()

    assert "TELEGRAM_WEBHOOK_SECRET" in str(caught.value)
    assert "RECEPTION_PUBLIC_URL" in str(caught.value)
    assert "123:abc" not in str(caught.value)


def test_whatsapp_token_needs_the_rest_of_whatsapp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATSAPP_TOKEN", "EAAG-token")

    with pytest.raises(SettingsError, match="WHATSAPP_APP_SECRET"):
        load_settings()


def test_secrets_are_absent_from_repr_and_str(monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = {
        "RECEPTION_SECRET_KEY": KEY,
        "TELEGRAM_TOKEN": "123456:telegram-token-value",
        "TELEGRAM_WEBHOOK_SECRET": "telegram-hook-secret",
        "WHATSAPP_TOKEN": "whatsapp-token-value",
        "WHATSAPP_APP_SECRET": "whatsapp-app-secret",
        "WHATSAPP_VERIFY_TOKEN": "whatsapp-verify-token",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("WHATSAPP_PHONE_NUMBER_ID", "1234567890")
    monkeypatch.setenv("RECEPTION_DATABASE_URL", "postgresql+asyncpg://app:db-password@db/rec")

    settings = load_settings()
    shown = repr(settings) + str(settings)

    for value in [*secrets.values(), "db-password"]:
        assert value not in shown
    assert "db-password" not in settings.safe_database_url
    assert settings.telegram_token is not None
    assert settings.telegram_token.get_secret_value() == secrets["TELEGRAM_TOKEN"]


@pytest.mark.parametrize("document", ["README.md", ".env.example", "docker-compose.yml"])
def test_every_variable_is_documented(document: str) -> None:
    text = (Path(__file__).parents[2] / document).read_text(encoding="utf-8")

    missing = [env_name(field) for field in Settings.model_fields if env_name(field) not in text]

    assert missing == []
