"""The web app in a real browser: sign up, chat, the list beside it, live updates, questions
answered by quick replies, Urdu right to left, a phone-sized screen, offline API docs."""

from __future__ import annotations

import asyncio
import re
import uuid
from urllib.parse import urlsplit

import asyncpg
import httpx
from playwright.async_api import FloatRect, Locator, expect

from domain.events import EventType, Topic
from domain.store import Outbox
from tests.browser.conftest import PASSWORD, TabFactory


async def box_of(locator: Locator) -> FloatRect:
    """Where an element is on the page, once it is shown (the list re-renders on live updates,
    so a node can be replaced between finding it and measuring it)."""
    for _ in range(50):
        await expect(locator).to_be_visible()
        if (box := await locator.bounding_box()) is not None:
            return box
        await asyncio.sleep(0.1)
    raise AssertionError(f"{locator} is never laid out")


def new_email() -> str:
    return f"w{uuid.uuid4().hex[:12]}@example.com"


async def token_of(api_url: str, email: str) -> str:
    async with httpx.AsyncClient(base_url=api_url) as client:
        r = await client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
        return r.json()["access_token"]


# WCAG 2 contrast of every visible piece of text against the first opaque background behind it.
LOW_CONTRAST = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!text || !el.getClientRects().length || el.closest('.sr-only, [hidden]')) continue;
    const style = getComputedStyle(el);
    const [a, b] = [lum(rgb(style.color).slice(0, 3)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const large = parseFloat(style.fontSize) >= 24
      || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) bad.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)}`);
  }
  return bad;
}"""


async def test_sign_up_chat_and_see_the_task_in_the_list(tabs: TabFactory) -> None:
    tab = await tabs()
    await tab.sign_up(new_email())
    await tab.say("buy milk tomorrow at 5pm")
    reply = tab.page.locator("#messages .msg.assistant").last
    await expect(reply).to_contain_text("buy milk")
    task = tab.task("buy milk", "upcoming")
    await expect(task).to_be_visible()
    # The browser says Asia/Karachi at sign-up: 5 PM there, shown in that zone.
    await expect(task.locator(".due")).to_contain_text("17:00")
    assert await tab.page.evaluate(LOW_CONTRAST) == []
    # The conversation goes on: "it" is the task just made.
    await tab.say("mark it as done")
    await expect(tab.task("buy milk", "done")).to_be_visible()


async def test_a_change_in_another_tab_shows_up_live(tabs: TabFactory, api_url: str) -> None:
    email = new_email()
    first = await tabs()
    await first.sign_up(email)
    await first.say("call the plumber today at 11pm")
    await expect(first.task("call the plumber")).to_be_visible()

    second = await tabs()
    await second.sign_in(email)
    await second.task("call the plumber").locator("input.done").check()
    await expect(second.task("call the plumber", "done")).to_be_visible()
    # No reload: the first tab hears it over the WebSocket.
    await expect(first.task("call the plumber", "done")).to_be_visible()

    # A change made elsewhere (here the REST API) appears too.
    token = await token_of(api_url, email)
    async with httpx.AsyncClient(base_url=api_url) as client:
        r = await client.post(
            "/v1/tasks",
            json={"title": "water the plants", "tags": ["home"], "priority": 2},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 201
    await expect(first.task("water the plants")).to_contain_text("#home")


async def test_a_reminder_fired_shows_as_an_in_app_notice(
    tabs: TabFactory, api_url: str, pool: asyncpg.Pool
) -> None:
    email = new_email()
    tab = await tabs()
    await tab.sign_up(email)
    me = await tab.page.evaluate(
        "fetch('/v1/auth/me', {headers: {Authorization: 'Bearer ' + "
        "sessionStorage.getItem('todo.token')}}).then(r => r.json())"
    )
    # What the notification consumer writes for the in-app channel, through the same outbox.
    await Outbox(pool).emit(
        uuid.UUID(me["id"]), Topic.TASK_UPDATES, EventType.REMINDER_FIRED,
        f"task/{uuid.uuid4()}", {"title": "pay rent", "due": "2026-12-05T04:00:00+00:00"},
    )  # fmt: skip
    notice = tab.page.locator("#notices .notice.reminder")
    await expect(notice).to_contain_text("pay rent")
    await expect(notice).to_contain_text(re.compile(r"\b9:00"))  # 04:00 UTC in Karachi


async def test_a_clarifying_question_is_answered_with_a_quick_reply(tabs: TabFactory) -> None:
    tab = await tabs()
    await tab.sign_up(new_email())
    for title in ("pay electricity bill", "pay water bill"):
        await tab.page.locator("#new-title").fill(title)
        await tab.page.locator("#new-title").press("Enter")
        await expect(tab.task(title)).to_be_visible()
    await tab.say("delete pay bill")
    quick = tab.page.locator("#quick-replies")
    await expect(quick.get_by_role("button")).to_have_count(2)
    # After the question, focus is on the first answer: the keyboard can answer at once.
    await expect(quick.get_by_role("button").first).to_be_focused()
    await quick.get_by_role("button", name="pay water bill").click()
    await expect(tab.task("pay water bill")).to_have_count(0)
    await expect(tab.task("pay electricity bill")).to_be_visible()
    await expect(quick).to_be_hidden()

    # A bulk change asks to confirm; cancel keeps everything.
    await tab.say("delete all my tasks")
    await expect(quick.get_by_role("button", name="Yes")).to_be_visible()
    await quick.get_by_role("button", name="No").click()
    await expect(tab.page.locator("#messages .msg.assistant").last).to_contain_text("won't")
    await expect(tab.task("pay electricity bill")).to_be_visible()


async def test_the_urdu_page_is_right_to_left_and_fits_a_phone(tabs: TabFactory) -> None:
    tab = await tabs(viewport={"width": 390, "height": 844}, locale="ur-PK")
    await tab.sign_up(new_email(), language="ur")
    page = tab.page
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.locator("html")).to_have_attribute("lang", "ur")
    await expect(page.locator("#tasks-title")).to_have_text("کام")
    await expect(page.locator("button[type=submit]", has_text="بھیجیں")).to_be_visible()
    await tab.say("کل شام 5 بجے دودھ خریدنا")
    await expect(page.locator("#messages .msg.assistant").last).to_contain_text("دودھ")
    await expect(tab.task("دودھ", "upcoming")).to_be_visible()
    # Right to left: the user's own message sits at the left edge, the list's checkbox on the
    # right of its title.
    box = await box_of(tab.task("دودھ").locator("input.done"))
    title = await box_of(tab.task("دودھ").locator(".title"))
    assert box["x"] > title["x"]
    # One column at phone width: the task list is under the chat, nothing scrolls sideways.
    chat = await box_of(page.locator("section.chat"))
    tasks = await box_of(page.locator("section.tasks"))
    assert tasks["y"] >= chat["y"] + chat["height"]
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    assert await page.evaluate(LOW_CONTRAST) == []


async def test_the_keyboard_reaches_everything_with_a_visible_focus(tabs: TabFactory) -> None:
    tab = await tabs()
    await tab.page.goto(tab.base_url + "/")
    page = tab.page
    # Signed out, the page starts in the email field; Tab goes on in reading order.
    await expect(page.locator("#email")).to_be_focused()
    where = "(e => e.id || e.value || e.className)(document.activeElement)"
    forward = []
    for _ in range(3):
        await page.keyboard.press("Tab")
        forward.append(await page.evaluate(where))
    assert forward == ["password", "login", "register"]
    await page.locator("#email").focus()
    backward = []
    for _ in range(2):
        await page.keyboard.press("Shift+Tab")
        backward.append(await page.evaluate(where))
    assert backward == ["language", "skip"]
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    # Every form control has a name a screen reader can say.
    unnamed = await page.evaluate(
        """[...document.querySelectorAll('input, select, textarea, button')]
             .filter(el => !el.closest('[hidden]') && !el.labels?.length
                     && !el.getAttribute('aria-label') && !el.textContent.trim())
             .map(el => el.outerHTML)"""
    )
    assert unnamed == []


async def test_api_docs_load_their_files_from_the_app(tabs: TabFactory, api_url: str) -> None:
    tab = await tabs()
    requested: list[str] = []
    tab.page.on("request", lambda r: requested.append(r.url))
    await tab.page.goto(api_url + "/docs")
    await expect(tab.page.locator(".swagger-ui .info .title")).to_contain_text("todo-agent")
    await expect(tab.page.locator(".opblock").first).to_be_visible()
    origin = urlsplit(api_url).netloc
    fetched = {urlsplit(u).netloc for u in requested if urlsplit(u).scheme in ("http", "https")}
    assert fetched == {origin}
    async with httpx.AsyncClient(base_url=api_url) as client:
        for path in ("/docs", "/"):
            html = (await client.get(path)).text
            assert not re.search(r"https?://", html.replace(api_url, "")), path
        page = await client.get("/")
        assert "default-src 'self'" in page.headers["content-security-policy"]
        font = await client.get("/web/fonts/urdu.ttf")  # the Urdu face, from a Python package
        assert font.status_code == 200
        assert font.headers["content-type"] == "font/ttf"
        assert font.content[:4] == b"\x00\x01\x00\x00"  # a TrueType file


async def test_tasks_are_edited_and_deleted_inline_and_rules_read_as_words(
    tabs: TabFactory, api_url: str
) -> None:
    email = new_email()
    tab = await tabs()
    await tab.sign_up(email)
    page = tab.page
    token = await token_of(api_url, email)
    async with httpx.AsyncClient(base_url=api_url) as client:
        r = await client.post(
            "/v1/tasks",
            json={"title": "call mom", "due": "2030-01-06T19:00:00",
                  "recurrence": {"rrule": "FREQ=WEEKLY;BYDAY=SU"}},
            headers={"Authorization": f"Bearer {token}"},
        )  # fmt: skip
        assert r.status_code == 201
    task = tab.task("call mom", "upcoming")
    await expect(task).to_contain_text("Repeats every week, on Sunday")
    await expect(task).to_contain_text("next Sun 6 Jan, 19:00")

    await task.get_by_role("button", name="Edit: call mom").click()
    form = page.locator("form.edit-form")
    await expect(form.get_by_label("Title")).to_be_focused()
    await form.get_by_label("Title").fill("call mom and dad")
    await form.get_by_label("Priority").select_option("1")
    await form.get_by_label("Tags").fill("family")
    await form.get_by_label("Title").press("Enter")
    edited = tab.task("call mom and dad", "upcoming")
    await expect(edited).to_contain_text("P1")
    await expect(edited).to_contain_text("#family")
    await expect(edited).to_contain_text("every week")  # the rule is kept

    await page.locator("#filter-priority").select_option("2")
    await expect(edited).to_have_count(0)
    await page.locator("#filter-priority").select_option("")
    await page.locator("#filter-tag").select_option("family")
    await expect(edited).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    await edited.get_by_role("button", name="Delete: call mom and dad").click()
    await expect(tab.task("call mom and dad")).to_have_count(0)


async def test_rules_in_words_and_labels_in_urdu_and_roman_urdu(tabs: TabFactory) -> None:
    tab = await tabs()
    await tab.page.goto(tab.base_url + "/")
    said = await tab.page.evaluate(
        """async () => {
             const { setLocale, t } = await import('/web/i18n.js');
             const { ruleInWords } = await import('/web/format.js');
             const out = {};
             for (const code of ['en', 'ur', 'ur-Latn']) {
               const info = setLocale(code);
               out[code] = {
                 dir: document.documentElement.dir,
                 lang: document.documentElement.lang,
                 send: t('send'),
                 rules: ['FREQ=DAILY', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR',
                         'FREQ=MONTHLY;BYDAY=2MO', 'FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3',
                         'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'].map(ruleInWords),
               };
             }
             return out;
           }"""
    )
    assert said["en"]["dir"] == "ltr"
    assert said["en"]["rules"] == [
        "every day",
        "every 2 weeks, on Monday, Friday",
        "every month, on 2nd Monday",
        "every month, on the last day, 3 times",
        "every week, on weekday",
    ]
    assert said["ur"]["dir"] == "rtl"
    assert said["ur"]["send"] == "بھیجیں"
    assert said["ur"]["rules"][0] == "ہر روز"
    assert said["ur"]["rules"][2] == "ہر مہینے، دوسرے پیر کو"
    # Roman Urdu keeps the Latin, left-to-right layout with its own words.
    assert said["ur-Latn"]["dir"] == "ltr"
    assert said["ur-Latn"]["lang"] == "ur-Latn"
    assert said["ur-Latn"]["send"] == "Bhejein"
    assert said["ur-Latn"]["rules"][0] == "har roz"


async def test_a_reconnect_resumes_after_the_last_event_seen(
    tabs: TabFactory, api_url: str
) -> None:
    email = new_email()
    tab = await tabs()
    await tab.sign_up(email)
    token = await token_of(api_url, email)
    headers = {"Authorization": f"Bearer {token}"}
    # A feed of its own in the page, so the test can drop it and bring it back.
    await tab.page.evaluate(
        """async () => {
             const { LiveFeed } = await import('/web/live.js');
             window.seen = []; window.states = [];
             window.feed = new LiveFeed(() => sessionStorage.getItem('todo.token'), {
               event: (e) => window.seen.push(e.type + ' ' + (e.data?.task?.title ?? '')),
               resync: () => window.seen.push('resync'),
               state: (s) => window.states.push(s),
             });
             window.feed.start();
           }"""
    )
    await tab.page.wait_for_function("() => window.states.includes('live')")
    async with httpx.AsyncClient(base_url=api_url, headers=headers) as client:
        await client.post("/v1/tasks", json={"title": "seen live"})
        await tab.page.wait_for_function("() => window.seen.length >= 1")
        await tab.page.evaluate("window.feed.stop()")
        await client.post("/v1/tasks", json={"title": "missed while away"})
        last = await tab.page.evaluate("sessionStorage.getItem('todo.lastEventId')")
        assert last
        await tab.page.evaluate("window.feed.start()")
        await tab.page.wait_for_function("() => window.seen.length >= 2")
    seen = await tab.page.evaluate("window.seen")
    assert seen == ["task.created seen live", "task.created missed while away"]


async def test_a_roman_urdu_account_gets_the_latin_layout_and_roman_urdu(tabs: TabFactory) -> None:
    tab = await tabs()
    await tab.sign_up(new_email(), language="ur-Latn")
    page = tab.page
    await expect(page.locator("html")).to_have_attribute("dir", "ltr")
    await expect(page.locator("html")).to_have_attribute("lang", "ur-Latn")
    await expect(page.locator("#tasks-title")).to_have_text("Kaam")
    await tab.say("kal shaam 5 baje doodh lena")
    await expect(tab.task("doodh", "upcoming")).to_be_visible()
    # The reply is in Roman Urdu too (Latin letters, not English).
    reply = await page.locator("#messages .msg.assistant").last.inner_text()
    assert "doodh" in reply
    assert not re.search(r"[\u0600-\u06ff]", reply)
    assert await page.evaluate(LOW_CONTRAST) == []
