"""Export and import of the whole list through the API: a JSON export imports into another
account as the same tasks (RRULEs, reminders, done ones too), importing it again changes nothing,
a dry run writes nothing, a Todoist CSV's words become dates and rules, and a file with a bad
row is refused whole with each bad row's line, with no task and no event written."""

from __future__ import annotations

import asyncpg
import httpx

from tests.conftest import User, register

CSV = "text/csv"


async def _titles(user: User) -> dict[str, dict]:
    items = (await user.request("GET", "/v1/tasks", params={"limit": 200})).json()["items"]
    return {t["title"]: t for t in items}


async def _outbox_count(pool: asyncpg.Pool, user: User) -> int:
    return await pool.fetchval("SELECT count(*) FROM app.outbox WHERE key = $1", user.id)


async def test_json_export_imports_into_another_account_once(
    http: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    src = await register(http, timezone="Asia/Karachi")
    for body in (
        {"title": "call mom", "due": "2026-12-06T19:00:00", "tags": ["family"],
         "recurrence": {"rrule": "FREQ=WEEKLY;BYDAY=SU"}, "reminders": [{"offset_minutes": 10}]},
        {"title": "pay rent", "due_date": "2027-01-01", "priority": 1, "notes": "بجلی کا بل بھی"},
        {"title": "دودھ خریدنا"},
    ):  # fmt: skip
        assert (await src.request("POST", "/v1/tasks", json=body)).status_code == 201
    done = (await _titles(src))["دودھ خریدنا"]
    await src.request("POST", f"/v1/tasks/{done['id']}/complete")

    exported = await src.request("GET", "/v1/data/export")
    assert exported.status_code == 200
    assert exported.json()["format"] == "todo-agent"
    file = exported.content

    dst = await register(http, timezone="Asia/Karachi")
    events_before = await _outbox_count(pool, dst)
    dry = await dst.request("POST", "/v1/data/import", params={"dry_run": "true"}, content=file)
    assert dry.status_code == 200, dry.text
    assert (dry.json()["dry_run"], dry.json()["created"], dry.json()["unchanged"]) == (True, 3, 0)
    assert await _titles(dst) == {}  # a dry run writes nothing
    assert await _outbox_count(pool, dst) == events_before

    real = await dst.request("POST", "/v1/data/import", content=file)
    assert real.status_code == 200, real.text
    assert real.json()["created"] == 3
    mine, theirs = await _titles(dst), await _titles(src)
    for title in theirs:
        for key in ("due", "all_day", "tags", "priority", "notes", "status", "reminders"):
            assert mine[title][key] == theirs[title][key], (title, key)
    assert mine["call mom"]["recurrence"]["rrule"] == "FREQ=WEEKLY;BYDAY=SU"
    assert mine["call mom"]["id"] != theirs["call mom"]["id"]
    # Every created task announced itself, through the outbox like any change.
    created = await pool.fetchval(
        "SELECT count(*) FROM app.outbox WHERE key = $1 AND topic = 'task-events'"
        " AND event->>'type' = 'task.created'",
        dst.id,
    )
    assert created == 3

    again = await dst.request("POST", "/v1/data/import", content=file)
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 3)
    assert len(await _titles(dst)) == 3

    # An edited export of one's own list updates the task its id names.
    own = (await dst.request("GET", "/v1/data/export")).json()
    rent = next(t for t in own["tasks"] if t["title"] == "pay rent")
    rent["priority"] = 2
    updated = await dst.request("POST", "/v1/data/import", json=own)
    assert updated.json()["updated"] == 1
    change = next(c for c in updated.json()["changes"] if c["action"] == "update")
    assert (change["task_id"], change["changed"]) == (rent["id"], ["priority"])
    assert (await _titles(dst))["pay rent"]["priority"] == 2


async def test_todoist_csv_reads_dates_in_words_and_round_trips(http: httpx.AsyncClient) -> None:
    user = await register(http, timezone="Asia/Karachi")
    todoist = (
        "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\n"
        "section,Home,,,,,,,,\n"
        "task,water the plants @home @garden,twice in summer,2,1,,,every sunday at 7pm,en,\n"
        'task,"file taxes, finally",,1,1,,,2027-03-31,en,\n'
        "task,standup,,4,1,,,2026-12-07 09:30,en,Europe/London\n"
        'note,"bring the slides, both decks",,,,,,,,\n'
        "\n"
        "task,read a book,,4,1,,,,,\n"
    )
    made = await user.request(
        "POST", "/v1/data/import", params={"format": "todoist-csv"}, content=todoist,
        headers={"content-type": CSV},
    )  # fmt: skip
    assert made.status_code == 200, made.text
    assert (made.json()["created"], made.json()["skipped"]) == (4, 1)
    tasks = await _titles(user)
    plants = tasks["water the plants"]
    assert plants["tags"] == ["home", "garden"]
    assert plants["priority"] == 2
    assert plants["recurrence"]["rrule"] == "FREQ=WEEKLY;BYDAY=SU"
    assert plants["due_local"].endswith("T19:00:00+05:00")
    assert (tasks["file taxes, finally"]["due_local"], tasks["file taxes, finally"]["all_day"]) == (
        "2027-03-31",
        True,
    )
    assert tasks["standup"]["due"] == "2026-12-07T09:30:00Z"  # read in the row's own zone
    assert tasks["standup"]["notes"] == "bring the slides, both decks"  # its note row
    assert tasks["read a book"]["due"] is None

    exported = await user.request("GET", "/v1/data/export", params={"format": "todoist-csv"})
    assert exported.headers["content-type"].startswith("text/csv")
    text = exported.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("TYPE,CONTENT,DESCRIPTION,PRIORITY")
    assert "water the plants @home @garden" in text
    assert "FREQ=WEEKLY;BYDAY=SU" in text
    other = await register(http, timezone="Asia/Karachi")
    back = await other.request(
        "POST", "/v1/data/import", params={"format": "todoist-csv"}, content=exported.content
    )
    assert back.json()["created"] == 4
    theirs = await _titles(other)
    for title, task in tasks.items():
        for key in ("due", "all_day", "tags", "priority", "recurrence"):
            left = theirs[title][key]
            right = task[key]
            if key == "recurrence" and left:
                left, right = left["rrule"], right["rrule"]
            assert left == right, (title, key)


async def test_a_file_with_bad_rows_is_refused_whole(
    http: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    user = await register(http)
    events_before = await _outbox_count(pool, user)
    bad = (
        "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\n"
        "task,a fine task,,4,1,,,tomorrow,en,\n"
        "task,urgent?,,9,1,,,,,\n"
        "task,,,4,1,,,,,\n"
        "task,meet,,4,1,,,2026-12-07 09:30,en,Mars/Olympus\n"
        "task,someday,,4,1,,,when pigs fly,en,\n"
    )
    refused = await user.request(
        "POST", "/v1/data/import", params={"format": "todoist-csv"}, content=bad
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    lines = {e["line"]: e for e in refused.json()["errors"]}
    assert sorted(lines) == [3, 4, 5, 6]
    assert lines[3]["field"] == "PRIORITY"
    assert lines[4]["field"] == "CONTENT"
    assert lines[5]["field"] == "TIMEZONE"
    assert "when pigs fly" in lines[6]["message"]
    assert await _titles(user) == {}
    assert await _outbox_count(pool, user) == events_before

    broken = await user.request("POST", "/v1/data/import", content=b'{"tasks": [')
    assert broken.status_code == 400
    assert broken.json()["type"].endswith("/unreadable-import")
    items = {"tasks": [{"title": "ok"}, {"title": "x", "due": "not a date"}, {"priority": 2}]}
    refused = await user.request("POST", "/v1/data/import", json=items)
    assert refused.status_code == 422
    assert [e["row"] for e in refused.json()["errors"]] == [2, 3]
    assert await _titles(user) == {}
