"""A real browser against the session's API: Playwright for Python driving the system's Chromium
(Debian's `chromium` package; no browser download). Each page records its console errors and
uncaught exceptions, which fail the test, and leaves a screenshot in `.artifacts/browser/`.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    async_playwright,
    expect,
)

from transport.relay import OutboxRelay

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / ".artifacts" / "browser"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not HAVE_CHROMIUM:
        pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (.ci/run does as root)")
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        await b.close()


class Tab:
    """One page and what went wrong on it."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    async def sign_up(self, email: str, *, language: str | None = None) -> None:
        page = self.page
        await page.goto(self.base_url + "/")
        if language:
            await page.get_by_label(re.compile("Language|زبان")).select_option(language)
        await page.locator("#email").fill(email)
        await page.locator("#password").fill(PASSWORD)
        await page.locator("button[value=register]").click()
        await page.locator("#app").wait_for(state="visible")
        await self.wait_live()

    async def sign_in(self, email: str) -> None:
        page = self.page
        await page.goto(self.base_url + "/")
        await page.locator("#email").fill(email)
        await page.locator("#password").fill(PASSWORD)
        await page.locator("button[value=login]").click()
        await page.locator("#app").wait_for(state="visible")
        await self.wait_live()

    async def wait_live(self) -> None:
        await self.page.locator('#live-state[data-state="live"]').wait_for()

    async def say(self, message: str) -> None:
        """Send a chat message once the last turn is over, and wait for this one to end."""
        page = self.page
        await expect(page.locator("#chat-form button[type=submit]")).to_be_enabled()
        before = await page.locator("#messages > li").count()
        await page.locator("#chat-input").fill(message)
        await page.locator("#chat-input").press("Enter")
        # Its two bubbles (the message, the reply), the reply no longer busy.
        reply = page.locator(f"#messages > li:nth-child({before + 2})")
        await expect(reply).to_have_class(re.compile(r"\bassistant\b"))
        await expect(reply).not_to_have_attribute("aria-busy", "true")

    def task(self, title: str, group: str | None = None) -> Locator:
        scope = f'[data-group="{group}"] ' if group else ""
        return self.page.locator(f"{scope}li.task", has_text=title)


TabFactory = Callable[..., Awaitable[Tab]]


@pytest.fixture
async def tabs(
    browser: Browser, api_url: str, relay: OutboxRelay, request: pytest.FixtureRequest
) -> AsyncIterator[TabFactory]:
    """Open tabs, each in its own browser context (its own sessionStorage, like another
    device); on teardown a screenshot of each, then no console errors on any of them."""
    opened: list[tuple[BrowserContext, Tab]] = []

    async def open_tab(**context_options: Any) -> Tab:
        options = {"timezone_id": "Asia/Karachi", "locale": "en-GB", **context_options}
        context = await browser.new_context(**options)
        context.set_default_timeout(10_000)
        tab = Tab(await context.new_page(), api_url)
        opened.append((context, tab))
        return tab

    yield open_tab

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    for i, (context, tab) in enumerate(opened):
        name = re.sub(r"\W+", "-", request.node.name).strip("-")
        await tab.page.screenshot(path=str(ARTIFACTS / f"{name}-{i}.png"), full_page=True)
        errors += tab.errors
        await context.close()
    assert errors == [], errors
