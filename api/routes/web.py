"""The web app: one page at `/`, its scripts and styles under `/web/`, all from this package.

Nothing is fetched from elsewhere at run time (deployments may be offline); the page's
Content-Security-Policy says so to the browser as well.
"""

from __future__ import annotations

from pathlib import Path

import fontpkg
from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
# Noto Sans Arabic draws every Urdu letter (ہ, ے, ڑ, …): the page's last resort before a system
# font that may lack them. The CSS asks for it only for Arabic-script text (unicode-range).
URDU_FONT = fontpkg.path("Noto Sans Arabic")  # installed by fontpkg-noto-sans-arabic

# Same origin only: scripts, styles, fonts, and the API (fetch and the live WebSocket).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

router = APIRouter(include_in_schema=False)


@router.get("/")
async def index() -> FileResponse:
    # no-cache: a new deployment's page is picked up at once (it revalidates by ETag).
    return FileResponse(
        WEB_DIR / "index.html",
        headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"},
    )


@router.get("/web/fonts/urdu.ttf")
async def urdu_font() -> FileResponse:
    return FileResponse(
        URDU_FONT, media_type="font/ttf", headers={"Cache-Control": "public, max-age=604800"}
    )


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/web", StaticFiles(directory=WEB_DIR), name="web")
