"""Settings read from the environment or a `.env` file, validated with clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
SUPPORTED_LOCALES = ("vi", "en")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = DEFAULT_BASE_URL
    telegram_base_file_url: str | None = None
    database_url: str = "sqlite:///chibot.db"
    bot_timezone: str = "Asia/Ho_Chi_Minh"
    default_locale: str = "vi"
    # Telegram user ids, and Zalo user ids written as zalo:<id>.
    bootstrap_admin_ids: Annotated[list[int | str], NoDecode] = Field(default_factory=list)
    root_unit_name: str = "Đảng ủy"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    invite_ttl_days: int = Field(default=7, ge=1, le=365)
    rate_limit: bool = True
    max_concurrent_updates: int = Field(default=32, ge=1, le=512)
    # Outbox requests in flight at once (16 keep 30 msg/s up to ~500 ms a round trip); a crash
    # leaves at most this many notifications `uncertain`.
    outbox_in_flight: int = Field(default=16, ge=1, le=128)
    # Minutes before a session when invitees are reminded (default: 1 day and 2 hours).
    reminder_offsets_minutes: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [1440, 120]
    )
    log_level: str = "INFO"
    # Draw every screen as plain text with numbered choices (as on Zalo), to preview and test
    # the flows a channel without buttons gets.
    render_plain: bool = False
    # Zalo Bot Platform (Zalo Bot Manager → Tạo bot): served when the token is set, beside
    # Telegram or alone. Without ZALO_WEBHOOK_URL updates are fetched by long polling.
    zalo_bot_token: SecretStr | None = None
    zalo_base_url: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_url: str | None = None
    zalo_webhook_secret: SecretStr | None = None
    zalo_webhook_listen: str = "0.0.0.0"
    zalo_webhook_port: int = 8444
    zalo_media_dir: str = "zalo-media"  # pictures people send, fetched at once (URLs expire)
    # The bot's own web server (channels/web): files for Zalo (charts, QR codes, exports) by
    # signed links that expire. PUBLIC_BASE_URL is how Zalo's servers reach WEB_LISTEN:WEB_PORT.
    public_base_url: str | None = None
    web_listen: str = "127.0.0.1"
    web_port: int = 8090
    link_signing_key: SecretStr | None = None  # without it: a random key per process
    link_lifetime_hours: int = Field(default=24, ge=1, le=24 * 14)
    file_store_dir: str = "files"
    # Zalo sends from the outbox: messages/s overall (one per second in one chat).
    zalo_rate_limit: float = Field(default=10.0, gt=0, le=100)

    @field_validator("bootstrap_admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, int):
            return [value]
        parts = (
            [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            if isinstance(value, str)
            else list(value)  # type: ignore[call-overload]
        )
        out: list[int | str] = []
        for part in parts:
            text = str(part).strip()
            if text.isdigit():
                out.append(int(text))
            elif text.lower().startswith("zalo:") and 1 <= len(text) - 5 <= 64:
                out.append("zalo:" + text[5:])
            else:
                raise ValueError(
                    "BOOTSTRAP_ADMIN_IDS must be Telegram user ids or zalo:<Zalo user id>, "
                    "separated by commas, e.g. 123456789,zalo:6ede9afa66b88fe6d6a9"
                )
        return out

    @field_validator("reminder_offsets_minutes", mode="before")
    @classmethod
    def _split_offsets(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            if not all(p.isdigit() for p in parts):
                raise ValueError(
                    "REMINDER_OFFSETS_MINUTES must be minutes separated by commas, e.g. 1440,120"
                )
            value = [int(p) for p in parts]
        if isinstance(value, list) and not all(
            isinstance(v, int) and 1 <= v <= 60 * 24 * 30 for v in value
        ):
            raise ValueError("REMINDER_OFFSETS_MINUTES must be between 1 and 43200 minutes each")
        return value

    @field_validator("bot_timezone")
    @classmethod
    def _check_tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"BOT_TIMEZONE '{value}' is not a known time zone") from exc
        return value

    @field_validator("default_locale")
    @classmethod
    def _check_locale(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"DEFAULT_LOCALE must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("telegram_base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("TELEGRAM_BASE_URL must start with http:// or https://")
        return value

    @field_validator("zalo_webhook_secret")
    @classmethod
    def _check_zalo_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not 8 <= len(value.get_secret_value()) <= 256:
            raise ValueError("ZALO_WEBHOOK_SECRET must be 8 to 256 characters")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.bot_timezone)

    @property
    def file_base_url(self) -> str:
        if self.telegram_base_file_url:
            return self.telegram_base_file_url
        # https://api.telegram.org/bot -> https://api.telegram.org/file/bot
        base = self.telegram_base_url
        if base.endswith("/bot"):
            return base[: -len("bot")] + "file/bot"
        return base.rstrip("/") + "/file/bot"

    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    def zalo_token(self) -> str | None:
        return self.zalo_bot_token.get_secret_value() if self.zalo_bot_token else None

    def zalo_secret(self) -> str | None:
        return self.zalo_webhook_secret.get_secret_value() if self.zalo_webhook_secret else None

    def signing_key(self) -> bytes | None:
        return self.link_signing_key.get_secret_value().encode() if self.link_signing_key else None


class ConfigError(Exception):
    """Settings could not be validated; the message is meant for the person running the bot."""


def load_settings(env_file: Path | str | None = ".env", **overrides: object) -> Settings:
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]).upper() or "settings"
            msg = str(err["msg"]).removeprefix("Value error, ")
            lines.append(f"  {field}: {msg}")
        raise ConfigError("Invalid configuration:\n" + "\n".join(lines)) from None
