"""Consumer-only knobs, read from `CONSUMER_*` environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsumerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONSUMER_", env_file=".env", extra="ignore")

    group_prefix: str = Field(
        default="todo-agent-", description="consumer group = prefix + consumer name"
    )
    # Kafka's defaults; tests shorten them because a restarted member waits for the dead one's
    # session to lapse before the group rebalances.
    session_timeout_ms: int = 10_000
    heartbeat_interval_ms: int = 3_000
    # An idle fetch returns after this long even when records arrive meanwhile (seen on Tansu):
    # it bounds how late a consumer sees an event.
    fetch_max_wait_ms: int = 50

    audit_batch: int = Field(default=500, ge=1, description="events per audit transaction")

    attempts: int = Field(default=3, ge=1, description="handler attempts before the DLQ")
    backoff_s: float = Field(default=0.5, gt=0, description="first retry delay; doubles")

    delivery_retries: int = Field(default=3, ge=0, description="per channel, after the first try")
    delivery_backoff_s: float = Field(default=1.0, gt=0)
    delivery_concurrency: int = Field(default=64, ge=1)
    claim_batch: int = Field(default=200, ge=1)
    claim_lease_s: float = Field(default=120.0, gt=0, description="a lapsed claim is retried")
    webhook_timeout_s: float = 5.0
    # Webhooks to loopback or private addresses are refused (SSRF); allow them only where every
    # user is trusted (local development, tests).
    webhook_allow_private_networks: bool = False
    smtp_timeout_s: float = 10.0

    def group_id(self, name: str) -> str:
        return f"{self.group_prefix}{name}"
