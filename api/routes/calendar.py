"""Your due tasks as a calendar: a secret `.ics` URL to subscribe to from any calendar app.

The URL is the credential (calendar apps send no headers), so it is shown once, stored only as a
hash, and replaced by a new one on request: the old URL stops working at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel

from api.deps import CurrentUser, ServicesDep
from api.openapi import LENIENT_QUERY, StrictQueryRoute
from api.problems import Problem
from domain import ical
from domain.store import calendar_feeds

router = APIRouter(prefix="/v1/calendar", tags=["calendar"], route_class=StrictQueryRoute)

ICS = "text/calendar; charset=utf-8"


class FeedOut(BaseModel):
    url: str
    webcal_url: str
    created_at: datetime


class FeedStatusOut(BaseModel):
    active: bool
    created_at: datetime | None = None


def _no_feed() -> Problem:
    return Problem(
        404,
        "no-calendar-feed",
        "No such calendar feed",
        "This calendar feed does not exist or was replaced; ask for a new URL at"
        " POST /v1/calendar/feed.",
    )


@router.post("/feed", status_code=status.HTTP_201_CREATED, response_model=FeedOut)
async def new_feed(user: CurrentUser, services: ServicesDep) -> FeedOut:
    """A new secret feed URL (shown only now); any earlier URL of yours stops working."""
    secret, feed = await calendar_feeds.rotate(services.pool, user.id)
    url = f"{services.settings.public_url.rstrip('/')}/v1/calendar/feeds/{secret}.ics"
    return FeedOut(
        url=url, webcal_url="webcal://" + url.split("://", 1)[1], created_at=feed.created_at
    )


@router.get("/feed", response_model=FeedStatusOut)
async def feed_status(user: CurrentUser, services: ServicesDep) -> FeedStatusOut:
    """Whether you have a feed URL (the URL itself is shown only when it is made)."""
    feed = await calendar_feeds.current(services.pool, user.id)
    return FeedStatusOut(active=feed is not None, created_at=feed.created_at if feed else None)


@router.delete("/feed", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_feed(user: CurrentUser, services: ServicesDep) -> Response:
    if not await calendar_feeds.revoke(services.pool, user.id):
        raise _no_feed()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/feeds/{secret}.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "RFC 5545 calendar"}},
    openapi_extra=LENIENT_QUERY,  # calendar apps may add parameters of their own
)
async def feed(
    secret: Annotated[str, Path(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")],
    services: ServicesDep,
) -> Response:
    """The calendar itself, for calendar apps: no Authorization header, the URL is the key."""
    user_id = await calendar_feeds.owner(services.pool, secret)
    if user_id is None:
        raise _no_feed()
    user = await services.users.get(user_id)
    tasks = await calendar_feeds.due_tasks(services.pool, user_id)
    return Response(
        ical.feed(tasks, timezone=user.timezone),
        media_type=ICS,
        headers={"Cache-Control": "private, max-age=300"},
    )
