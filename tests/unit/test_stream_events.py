"""The chat stream's event shapes, from the graph's questions and actions."""

from __future__ import annotations

from graph.plans import no, yes
from graph.stream_events import action_event, question_event, stage_of


def test_a_confirmation_offers_yes_and_no_that_the_graph_reads_as_such() -> None:
    plan = {"op": "delete_many", "task_ids": ["a", "b"]}
    for language, labels in {
        "en": ["Yes", "No"], "ur": ["ہاں", "نہیں"], "ur-Latn": ["Haan", "Nahin"],
    }.items():  # fmt: skip
        q = question_event({"kind": "confirm", "text": "?", "plan": plan}, language, "UTC")
        assert [o["label"] for o in q["options"]] == labels
        assert yes(q["options"][0]["value"])
        assert no(q["options"][1]["value"])
        assert q["confirm"] is True
        assert q["bulk"] is True


def test_which_one_offers_each_candidate_with_its_due_time_in_the_users_zone() -> None:
    candidates = [
        {"id": "1", "title": "pay water bill", "due": "2026-12-04T12:00:00+00:00"},
        {"id": "2", "title": "pay electricity bill", "due": None},
    ]
    q = question_event({"kind": "which", "text": "?", "candidates": candidates}, "en",
                       "Asia/Karachi")  # fmt: skip
    assert q["options"] == [
        {"label": "pay water bill — Fri 4 Dec, 5:00 PM", "value": "1"},
        {"label": "pay electricity bill", "value": "2"},
    ]
    assert q["confirm"] is False
    assert q["bulk"] is False
    # Nothing of the graph's own (candidate ids, plans) is passed on.
    assert "candidates" not in q
    assert "plan" not in q


def test_a_question_for_a_free_answer_has_no_buttons_and_named_options_are_kept() -> None:
    assert question_event({"kind": "title", "text": "Name?"}, "en", "UTC")["options"] == []
    named = {
        "kind": "when",
        "text": "When?",
        "options": [{"label": "Tomorrow 9am", "value": "tomorrow at 9am"}],
    }
    assert question_event(named, "en", "UTC")["options"] == [
        {"label": "Tomorrow 9am", "value": "tomorrow at 9am"}
    ]


def test_stages_name_the_work_not_the_nodes() -> None:
    assert stage_of("task_skill") == "planning"
    assert stage_of("execute") == "acting"
    assert stage_of("respond") == "replying"
    assert stage_of("audit") == "replying"  # the orchestrator's last step settles the reply
    assert stage_of("clarify") is None
    assert stage_of("a_node_added_later") is None


def test_an_action_carries_the_task_it_touched() -> None:
    task = {"id": "7", "title": "x", "status": "open", "due": None, "all_day": False, "notes": "n"}
    event = action_event({"action": "created", "task_id": "7"}, [task])
    assert event["task"] == {"id": "7", "title": "x", "status": "open", "due": None,
                             "all_day": False}  # fmt: skip
    assert "task" not in action_event({"action": "deleted", "task_id": "8"}, [])
