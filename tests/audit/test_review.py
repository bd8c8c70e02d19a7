"""People teach the assistant: the turns it may have got wrong, labels of what customers meant, NLU data.

Each test stores conversations twice, as Candor does: the redacted events in Rasa's tracker store,
and one audit record per turn (decisions only, no words) made from the same events.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import List, Sequence, Tuple

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.loading import load_data

from bot.audit.chain import append_record
from bot.audit.pseudonyms import conversation_pseudonym
from bot.audit.records import turn_body
from bot.audit.review import ReviewItem, review_candidates, review_item
from bot.audit.review_labels import ReviewError, label_turn, labellable_intents, labels_since, training_examples
from bot.cli import main
from bot.conversation.turns import Guess, turns_of
from bot.privacy.conversations import delete_conversations, tracker_engine
from bot.settings import PROJECT_ROOT
from bot.store.database import cached_engine, create_schema, open_session
from bot.store.review import ReviewLabel

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
INTENTS = ["cancel_order", "check_refund_policy", "get_refund", "out_of_scope", "track_order"]


@dataclass(frozen=True)
class Said:
    """A customer message as the tracker store keeps it (redacted) and how it was understood."""

    text: str
    intent: str
    confidence: float
    ranking: Sequence[Tuple[str, float]] = ()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """One SQLite file for the Candor store and the tracker store, as in the default setup."""
    url = f"sqlite:///{tmp_path / 'candor.db'}"
    monkeypatch.setenv("CANDOR_DATABASE_URL", url)
    monkeypatch.delenv("CANDOR_TRACKER_STORE_URL", raising=False)
    create_schema(cached_engine(url))
    return url


def chat(
    url: str, conversation_id: str, *messages: Said, start: datetime = NOW, every: timedelta = timedelta(minutes=1)
) -> List[int]:
    """Store a conversation and its turns' audit records, `every` apart; the records' ids."""
    events: List[Event] = [ActionExecuted("action_listen")]
    for said in messages:
        ranking = said.ranking or [(said.intent, said.confidence)]
        intent = {"name": said.intent, "confidence": said.confidence}
        parse_data = {"intent": intent, "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking]}
        events += [
            UserUttered(said.text, intent, parse_data=parse_data, message_id=uuid.uuid4().hex),
            ActionExecuted("utter_answer", policy="policy_2_RulePolicy", confidence=1.0),
            BotUttered("an answer", metadata={"utter_action": "utter_answer"}),
            ActionExecuted("action_listen"),
        ]
    tracker_store = SQLTrackerStore(domain=Domain.empty(), host=url)
    asyncio.run(tracker_store.save(DialogueStateTracker.from_events(conversation_id, events)))
    tracker_store.engine.dispose()
    turns = [turn for turn in turns_of(event.as_dict() for event in events) if turn.user]
    with open_session(url) as session:
        return [
            append_record(session, "turn", turn_body(turn, []), 2, conversation_pseudonym(conversation_id), start + n * every).seq
            for n, turn in enumerate(turns)
        ]


def listed(url: str, **window) -> List[ReviewItem]:
    return review_candidates(url, tracker_engine(url), **window)


def label(url: str, item: ReviewItem, intent: str, by: str = "sam", replace: bool = False) -> None:
    with open_session(url) as session:
        label_turn(session, item, intent, by, NOW, intents=INTENTS, replace=replace)


def test_a_customer_saying_that_was_wrong_lists_their_message_before_it(store):
    asked, _, _ = chat(
        store, "chat-1",
        Said("where has my lamp got to", "track_order", 0.93),
        Said("why?", "ask_why", 0.97),
        Said("that's wrong", "report_wrong_answer", 0.95),
    )

    [item] = listed(store)

    assert (item.id, item.reasons, item.conversation_id) == (asked, ("customer_flag",), conversation_pseudonym("chat-1"))
    assert (item.predicted_intent, item.confidence, item.text) == ("track_order", 0.93, "where has my lamp got to")


def test_messages_not_understood_or_understood_with_low_confidence_are_listed_and_confident_ones_are_not(store):
    fallback, unsure, _, _ = chat(
        store, "chat-1",
        Said("my <PERSON> never came", "nlu_fallback", 0.3, [("nlu_fallback", 0.3), ("track_order", 0.41), ("get_refund", 0.2)]),
        Said("can i send back a rug", "check_refund_policy", 0.55, [("check_refund_policy", 0.55), ("get_refund", 0.4)]),
        Said("cancel order 104510", "cancel_order", 0.97, [("cancel_order", 0.97), ("change_order", 0.02)]),
        Said("/affirm", "affirm", 1.0),  # a button press is chosen, never guessed
    )

    not_understood, low_confidence = listed(store)

    assert (not_understood.id, not_understood.reasons) == (fallback, ("not_understood",))
    assert not_understood.classifier_guess == Guess("track_order", 0.41)
    assert not_understood.text == "my <PERSON> never came"  # redacted, as stored
    assert (low_confidence.id, low_confidence.reasons, low_confidence.confidence) == (unsure, ("low_confidence",), 0.55)


def test_the_confidence_threshold_comes_from_the_policy_unless_given(store):
    chat(store, "chat-1", Said("can i send back a rug", "check_refund_policy", 0.55))

    assert [item.reasons for item in listed(store)] == [("low_confidence",)]  # policy.yml: 0.6
    assert listed(store, threshold=0.5) == []


def test_a_distress_turn_is_not_listed_for_the_detectors_score(store):
    chat(store, "chat-1", Said("i lost my job and cannot pay", "distress", 0.45, [("distress", 0.45), ("payment_issue", 0.3)]))

    assert listed(store) == []


@pytest.mark.parametrize("detector_intent", ["distress", "self_harm_check"])
def test_a_flagged_distress_turn_is_not_kept_for_training(store, detector_intent):
    chat(
        store, "chat-1",
        Said("my dad died and the parcel was for him", detector_intent, 0.8, [(detector_intent, 0.8), ("track_order", 0.7)]),
        Said("that's wrong", "report_wrong_answer", 0.95),
    )

    assert listed(store) == []


def test_a_turn_is_listed_once_with_all_its_reasons(store):
    garbled, _ = chat(
        store, "chat-1",
        Said("lamp lamp where", "nlu_fallback", 0.3, [("nlu_fallback", 0.3), ("track_order", 0.35)]),
        Said("no that's wrong", "report_wrong_answer", 0.9),
    )

    [item] = listed(store)

    assert (item.id, item.reasons) == (garbled, ("customer_flag", "not_understood"))


def test_since_keeps_recent_turns_and_an_old_turn_a_recent_flag_points_at(store):
    chat(store, "chat-old", Said("refund?", "get_refund", 0.4), start=NOW - timedelta(days=10))
    flagged, _ = chat(
        store, "chat-flagged",
        Said("track it", "track_order", 0.9),
        Said("that was wrong", "report_wrong_answer", 0.9),
        start=NOW - timedelta(days=3), every=timedelta(days=3),
    )
    recent, = chat(store, "chat-new", Said("rug refund?", "get_refund", 0.5), start=NOW)

    items = listed(store, since=NOW - timedelta(days=1))

    assert [(item.id, item.reasons) for item in items] == [(flagged, ("customer_flag",)), (recent, ("low_confidence",))]


def test_a_label_keeps_the_redacted_text_and_shows_in_the_list(store):
    seq, = chat(store, "chat-1", Said("where is my <EMAIL_ADDRESS> order", "get_refund", 0.4))
    [item] = listed(store)

    label(store, item, "track_order")

    [again] = listed(store)
    assert (again.label.intent, again.label.labelled_by) == ("track_order", "sam")
    with open_session(store) as session:
        [saved] = labels_since(session)
    assert (saved.audit_seq, saved.predicted_intent, saved.intent) == (seq, "get_refund", "track_order")
    assert saved.text == "where is my <EMAIL_ADDRESS> order" and saved.message_id == item.message_id


def test_a_different_label_replaces_an_existing_one_only_when_asked(store):
    chat(store, "chat-1", Said("where is my order", "get_refund", 0.4))
    [item] = listed(store)
    label(store, item, "track_order", by="sam")

    with pytest.raises(ReviewError, match="already labelled 'track_order' by sam.*--replace"):
        label(store, item, "cancel_order", by="kim")
    label(store, item, "track_order", by="kim")  # the same answer again is no conflict
    label(store, item, "cancel_order", by="kim", replace=True)

    with open_session(store) as session:
        assert [(saved.intent, saved.labelled_by) for saved in labels_since(session)] == [("cancel_order", "kim")]


def test_an_unknown_intent_is_refused_with_the_closest_matches(store):
    chat(store, "chat-1", Said("where is my order", "get_refund", 0.4))
    [item] = listed(store)

    with pytest.raises(ReviewError, match="unknown intent 'trak_order': did you mean track_order"):
        label(store, item, "trak_order")


def test_only_intents_a_customer_can_mean_are_labels():
    intents = labellable_intents()

    assert {"track_order", "report_wrong_answer", "out_of_scope"} <= set(intents)
    assert not {"nlu_fallback", "distress", "self_harm_check", "session_start", "restart", "back"} & set(intents)


def test_a_deleted_conversation_shows_no_text_and_cannot_be_labelled(store):
    chat(store, "chat-1", Said("where is my order", "get_refund", 0.4))
    delete_conversations(tracker_engine(store), ["chat-1"])  # retention or erasure

    [item] = listed(store)

    assert item.text is None and item.shown_text == "(conversation deleted)"
    with pytest.raises(ReviewError, match="turn .* cannot be labelled: conversation deleted"):
        label(store, item, "track_order")


def test_labels_export_as_rasa_nlu_training_data(store, tmp_path):
    chat(
        store, "chat-1",
        Said("where is my order", "get_refund", 0.4),
        Said("my parcel from <PERSON> is late", "nlu_fallback", 0.3),
        Said("can i return a rug", "get_refund", 0.5),
    )
    for item, intent in zip(listed(store), ["track_order", "track_order", "check_refund_policy"]):
        label(store, item, intent)
    with open_session(store) as session:
        exported = training_examples(labels_since(session), INTENTS)
    path = tmp_path / "reviewed.yml"
    path.write_text(exported.as_nlu_yaml(), encoding="utf-8")

    data = load_data(str(path))

    assert data.intents == {"track_order", "check_refund_policy"}
    assert sorted((example.get("intent"), example.get("text")) for example in data.intent_examples) == [
        ("check_refund_policy", "can i return a rug"),
        ("track_order", "my parcel from <PERSON> is late"),
        ("track_order", "where is my order"),
    ]
    assert (exported.examples, exported.skipped) == (3, {})


def texts(*labelled: Tuple[str, str]) -> List[ReviewLabel]:
    return [
        ReviewLabel(conversation_id="c", message_id=str(n), intent=intent, text=text, labelled_by="sam", labelled_at=NOW)
        for n, (text, intent) in enumerate(labelled)
    ]


def test_the_export_leaves_out_what_rasa_would_misread_or_a_model_cannot_learn_from(tmp_path):
    exported = training_examples(texts(
        ("<EMAIL_ADDRESS>", "track_order"),
        ("<PERSON>, <PHONE_NUMBER>.", "track_order"),
        ("/affirm", "track_order"),
        ("the [blue](colour) rug", "get_refund"),
        ("cancel it", "cancel_order"),
        ("cancel it", "get_refund"),
        ("where   is\nmy\torder", "track_order"),
        ("where is my order", "track_order"),
        ("what's the weather [today]", "out_of_scope"),
        ("talk to me", "ask_the_manager"),
    ), INTENTS)
    path = tmp_path / "reviewed.yml"
    path.write_text(exported.as_nlu_yaml(), encoding="utf-8")

    data = load_data(str(path))

    assert sorted((e.get("intent"), e.get("text")) for e in data.intent_examples) == [
        ("out_of_scope", "what's the weather [today]"),  # brackets alone are no annotation
        ("track_order", "where is my order"),  # the same words once
    ]
    assert data.entity_examples == []
    assert exported.skipped == {
        "only personal data (redacted)": 2,
        "a button press, not typed words": 1,
        "looks like an entity annotation": 1,
        "labelled with different intents": 1,
        "intent no longer in the domain": 1,
    }


# The command.


def run(capsys: pytest.CaptureFixture, *arguments: str) -> Tuple[int, str, str]:
    code = main(["review", *arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_review_list_shows_the_turns_with_reasons_prediction_and_text(store, capsys):
    fallback, _ = chat(
        store, "chat-1",
        Said("my <PERSON> never came", "nlu_fallback", 0.3, [("nlu_fallback", 0.3), ("track_order", 0.41)]),
        Said("can i send back a rug", "check_refund_policy", 0.55),
    )

    code, out, _ = run(capsys, "list")

    header, first, second = out.splitlines()
    assert code == 0 and header.split()[:3] == ["id", "time", "(UTC)"]
    assert first.split()[0] == str(fallback) and "not_understood" in first
    assert "nlu_fallback, guess track_order (0.41)" in first and first.endswith("my <PERSON> never came")
    assert "low_confidence" in second and "check_refund_policy (0.55)" in second


def test_review_list_filters_by_reason_and_label_and_prints_json(store, capsys):
    chat(
        store, "chat-1",
        Said("lamp?", "nlu_fallback", 0.3),
        Said("can i send back a rug", "check_refund_policy", 0.55),
    )
    assert run(capsys, "label", str(listed(store)[0].id), "track_order", "--by", "sam")[0] == 0

    _, by_reason, _ = run(capsys, "list", "--reason", "low_confidence", "--json")
    _, unlabelled, _ = run(capsys, "list", "--unlabelled", "--json")

    assert [item["text"] for item in json.loads(by_reason)] == ["can i send back a rug"]
    assert [item["text"] for item in json.loads(unlabelled)] == ["can i send back a rug"]
    assert json.loads(run(capsys, "list", "--json")[1])[0]["label"]["intent"] == "track_order"


def test_review_label_and_export_write_training_data_and_say_how_much(store, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("USER", "kim")
    chat(store, "chat-1", Said("where is my order", "get_refund", 0.4), Said("<EMAIL_ADDRESS>", "identify", 0.5))
    first, second = listed(store)

    code, out, _ = run(capsys, "label", str(first.id), "track_order")
    assert code == 0 and f"Turn {first.id} labelled track_order" in out and "by kim" in out
    assert run(capsys, "label", str(second.id), "identify")[0] == 0
    out_file = tmp_path / "reviewed.yml"
    code, out, _ = run(capsys, "export", "--out", str(out_file))

    assert code == 0
    assert "Wrote 1 example(s) for 1 intent(s)" in out and "Left out 1 label(s): 1 only personal data (redacted)" in out
    assert [e.get("text") for e in load_data(str(out_file)).intent_examples] == ["where is my order"]


@pytest.mark.parametrize(
    "arguments, reason",
    [
        (["label", "abc", "track_order"], "ID 'abc' is not a turn id"),
        (["label", "999", "track_order"], "turn 999 is not in the review list"),
        (["label", "{seq}", "trak_order"], "did you mean track_order"),
        (["label", "{seq}", "nlu_fallback"], "not something a customer means"),
        (["list", "--since", "last tuesday"], "--since 'last tuesday' is not a date"),
        (["export", "--out", str(PROJECT_ROOT / "data" / "nlu" / "reviewed.yml")], "write it elsewhere"),
        (["export", "--out", "{tmp}/no/such/dir/reviewed.yml"], "does not exist"),
        (["export", "--out", "{tmp}/reviewed.yml"], "no labels to export"),
    ],
    ids=["id not a number", "id not listed", "misspelt intent", "internal intent", "bad date", "into data/nlu",
         "missing directory", "nothing labelled"],
)
def test_bad_input_ends_with_one_line_that_says_what_to_do(store, capsys, tmp_path, arguments, reason):
    seq, = chat(store, "chat-1", Said("where is my order", "get_refund", 0.4))

    code, _, err = run(capsys, *[a.format(seq=seq, tmp=tmp_path) for a in arguments])

    assert code == 2 and reason in err and len(err.strip().splitlines()) == 1
    assert not (PROJECT_ROOT / "data" / "nlu" / "reviewed.yml").exists()


def test_a_turn_of_a_deleted_conversation_is_listed_but_cannot_be_labelled(store, capsys):
    seq, = chat(store, "chat-1", Said("where is my order", "get_refund", 0.4))
    delete_conversations(tracker_engine(store), ["chat-1"])

    _, out, _ = run(capsys, "list")
    code, _, err = run(capsys, "label", str(seq), "track_order")

    assert out.splitlines()[1].endswith("(conversation deleted)")
    assert code == 2 and "conversation deleted" in err
    assert review_item(seq, store, tracker_engine(store)).label is None


def test_an_export_with_nothing_to_learn_from_writes_nothing(store, capsys, tmp_path):
    seq, = chat(store, "chat-1", Said("<EMAIL_ADDRESS>", "identify", 0.45))
    assert run(capsys, "label", str(seq), "identify")[0] == 0
    out_file = tmp_path / "reviewed.yml"

    code, _, err = run(capsys, "export", "--out", str(out_file))

    assert code == 2 and "none of the 1 label(s) makes a training example (1 only personal data" in err
    assert not out_file.exists()
