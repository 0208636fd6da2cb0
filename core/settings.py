"""All configuration, read from the environment (and an optional `.env`), in one typed place."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # Storage and broker; unset means "start the embedded one" (see runtime/embedded.py).
    database_url: str | None = None
    kafka_bootstrap_servers: str | None = None
    data_dir: Path = Field(default=Path(".data"), description="embedded Postgres data lives here")
    db_pool_min: int = 2
    db_pool_max: int = 20

    # Event transport of the outbox relay.
    event_transport: Literal["kafka", "dapr"] = "kafka"
    dapr_http_endpoint: str = "http://127.0.0.1:3500"
    dapr_pubsub_name: str = "pubsub"
    dapr_api_token: SecretStr | None = None

    # Auth: HS256 with a shared secret, or RS256/ES256 verified against an issuer's JWKS.
    jwt_secret: SecretStr = SecretStr("dev-only-change-me-0123456789abcdef")
    # The secret before a rotation: tokens it signed stay valid until they expire.
    jwt_secret_previous: SecretStr | None = None
    jwt_jwks_url: str | None = None
    jwt_issuer: str = "todo-agent"
    jwt_audience: str = "todo-agent"
    jwt_ttl_seconds: int = 3600

    # HTTP
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    http_port: int = Field(default=8080, description="health/metrics port of relay and consumers")
    public_url: str = Field(
        default="",
        description="where clients reach the API (OAuth and MCP metadata); unset, HOST and PORT",
    )

    # Language understanding
    nlu_backend: Literal["rules", "ollama"] = "rules"
    ollama_base_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "qwen2.5:7b-instruct"
    clarify_threshold: float = 0.6

    # Notification channels
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "todo-agent@localhost"
    smtp_starttls: bool = False

    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _public_url_follows_the_listener(self) -> Settings:
        # OAuth metadata names this URL: a default that ignored PORT would send clients to
        # the wrong port. A wildcard listener is reached on loopback from this machine.
        if not self.public_url:
            host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
            host = f"[{host}]" if ":" in host else host
            self.public_url = f"http://{host}:{self.port}"
        self.public_url = self.public_url.rstrip("/")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
