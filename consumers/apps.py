"""The three consumer apps by name; `todo-agent up` starts each one when this module imports."""

from __future__ import annotations

from collections.abc import Callable

from consumers.audit.app import AuditApp
from consumers.common.runtime import ConsumerApp
from consumers.notification.app import NotificationApp
from consumers.recurring.app import RecurringApp

APPS: dict[str, Callable[[], ConsumerApp]] = {
    "notification": NotificationApp,
    "recurring": RecurringApp,
    "audit": AuditApp,
}
