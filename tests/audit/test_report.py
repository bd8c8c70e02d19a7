"""The accountability report: every number a manager reads is counted from the audit trail, and links
to the records it came from, in one HTML file that needs nothing but a browser."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.audit.chain import append_record
from bot.audit.records import is_worth_recording, turn_body
from bot import settings
from bot.audit.report_counts import gather
from bot.audit.report_data import Period, ReportData, percentile
from bot.audit.report_fairness import FairnessSection
from bot.audit.report_html import render_html
from bot.cli import main
from bot.conversation.turns import turns_of
from bot.store.audit import AuditRecord
from bot.store.database import create_schema, make_engine, open_session

POLICY_VERSION = 2
NOTICE_VERSION = "2026-11-27"
RECORDED_SLOTS = ("history_consent", "handoff_status", "ai_notice_version", "requested_slot")
PERIOD = Period(date(2026, 11, 10), date(2026, 11, 12))
GENERATED_AT = datetime(2026, 11, 13, 9, 0, tzinfo=timezone.utc)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=timezone.utc)


# --- Conversations as Rasa records them, turned into audit records the way the broker does ---------


@dataclass
class Conversation:
    """A scripted conversation: serialised Rasa events on a clock, one turn at a time."""

    conversation_id: str
    clock: datetime
    events: List[Dict[str, Any]] = field(default_factory=list)

    def _event(self, event: Dict[str, Any], after: float = 1.0) -> None:
        self.clock += timedelta(seconds=after)
        self.events.append({**event, "timestamp": self.clock.timestamp()})

    def opens(self) -> "Conversation":
        """A new session: the AI disclosure notice, at its version."""
        self._event({"event": "action", "name": "action_session_start", "policy": None, "confidence": 1.0}, after=0)
        self._event({"event": "session_started"})
        self._event({"event": "slot", "name": "ai_notice_version", "value": NOTICE_VERSION})
        self._event({"event": "bot", "text": "(notice)", "metadata": {"notice": "ai_disclosure", "notice_version": NOTICE_VERSION}})
        return self._listens()

    def says(
        self,
        intent: str,
        confidence: float = 0.93,
        *,
        after: float = 20.0,
        distress: Optional[Dict[str, Any]] = None,
        classifier_guess: Tuple[str, float] = ("track_order", 0.41),
        then: Tuple[Dict[str, Any], ...] = (),
    ) -> "Conversation":
        """One customer turn: the message as understood, what the assistant did, and listening again."""
        ranking = [{"name": intent, "confidence": confidence}, {"name": classifier_guess[0], "confidence": classifier_guess[1]}]
        parse = {
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": ranking,
            "entities": [],
            "distress": distress or {"category": None, "score": 0.01},
        }
        self._event(
            {"event": "user", "text": "(what the customer wrote)", "parse_data": parse, "input_channel": "rest",
             "message_id": f"{self.conversation_id}-{len(self.events)}"},
            after=after,
        )
        for event in then:
            self._event(event)
        return self._listens()

    def _listens(self) -> "Conversation":
        self._event({"event": "action", "name": "action_listen", "policy": "policy_2_RulePolicy", "confidence": 1.0})
        return self


def runs(name: str) -> Dict[str, Any]:
    return {"event": "action", "name": name, "policy": "policy_2_RulePolicy", "confidence": 1.0}


def utters(response: str, **metadata: Any) -> Dict[str, Any]:
    return {"event": "bot", "text": "(what the assistant said)", "metadata": {"utter_action": response, **metadata}}


def sets(slot: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "name": slot, "value": value}


def handed_over(reason: str, priority: int) -> Tuple[Dict[str, Any], ...]:
    return (
        runs("action_request_human"),
        utters("utter_handoff_requested", handoff={"reason": reason, "priority": priority}),
        sets("handoff_status", "waiting"),
    )


def record(session: Session, conversation: Conversation) -> None:
    """Append the conversation's turns to the chain, as `AuditEventBroker` does when each turn ends."""
    for turn in turns_of(conversation.events):
        if is_worth_recording(turn):
            ended = datetime.fromtimestamp(turn.events[-1]["timestamp"], tz=timezone.utc)
            append_record(
                session, "turn", turn_body(turn, RECORDED_SLOTS), POLICY_VERSION,
                conversation.conversation_id, recorded_at=ended,
            )


def record_policy(session: Session, when: datetime, version: int = POLICY_VERSION) -> None:
    content = {"version": version, "audit": {"recorded_slot_values": list(RECORDED_SLOTS)}}
    sha256 = hashlib.sha256(repr(sorted(content.items())).encode()).hexdigest()
    append_record(session, "policy", {"version": version, "sha256": sha256, "policy": content}, version, None, recorded_at=when)


def a_week_of_conversations() -> List[Conversation]:
    """Six conversations in the period, one the day before and one the day after."""
    return [
        Conversation("before-the-period", at(9, 23, 50)).opens().says("contact_human_agent", then=handed_over("customer_request", 3)),
        Conversation("asks-for-a-person", at(10, 9)).opens()
        .says("greet", after=30)
        .says("contact_human_agent", after=60, then=handed_over("customer_request", 3)),
        Conversation("not-understood", at(10, 14)).opens()
        .says("nlu_fallback", 0.3, after=100, then=(runs("action_handle_fallback"),))
        .says("nlu_fallback", 0.25, after=100, then=(runs("action_handle_fallback"), utters("utter_offer_human")))
        .says("affirm", after=100, then=handed_over("repeated_misunderstanding", 3)),
        Conversation("at-risk", at(11, 8)).opens()
        .says("distress", 0.88, after=10, distress={"category": "self_harm", "score": 0.88},
              then=(runs("action_respond_to_distress"), *handed_over("distress_self_harm", 1))),
        Conversation("consents-and-asks-why", at(11, 16)).opens()
        .says("track_order", then=(runs("track_order_form"), sets("requested_slot", "history_consent")))
        .says("affirm", then=(runs("track_order_form"), sets("history_consent", True), utters("utter_consent_granted")))
        .says("ask_why", 0.97, then=(runs("action_explain_decision"),)),
        Conversation("refuses-and-flags", at(12, 10)).opens()
        .says("track_order", then=(runs("track_order_form"), sets("requested_slot", "history_consent")))
        .says("deny", then=(runs("track_order_form"), sets("history_consent", False), utters("utter_consent_refused")))
        .says("report_wrong_answer", then=(runs("action_take_feedback"),))
        .says("withdraw_consent", then=(runs("data_request_form"),)),
        Conversation("bereaved-late-at-night", at(12, 23, 58)).opens()
        .says("distress", 0.7, after=10, distress={"category": "bereavement", "score": 0.7},
              then=(runs("action_respond_to_distress"),))
        .says("thank_you", after=10, distress={"category": "bereavement", "score": 0.2}),
        Conversation("after-the-period", at(13, 0, 5)).opens().says("nlu_fallback", 0.2),
    ]


# Counted by hand from the conversations above, for the period 10 to 12 November.
IN_PERIOD = ["asks-for-a-person", "not-understood", "at-risk", "consents-and-asks-why", "refuses-and-flags", "bereaved-late-at-night"]
CUSTOMER_TURNS = 2 + 3 + 1 + 3 + 4 + 2


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'candor.db'}")
    create_schema(engine)
    return engine


@pytest.fixture
def trail(engine: Engine) -> Engine:
    with open_session(engine) as session:
        record_policy(session, at(1, 12))
        for conversation in a_week_of_conversations():
            record(session, conversation)
    return engine


def report_of(engine: Engine, period: Period = PERIOD) -> ReportData:
    with open_session(engine) as session:
        return gather(session, period, GENERATED_AT)


def seqs_of(engine: Engine, conversation_id: str) -> Set[int]:
    with open_session(engine) as session:
        return set(session.execute(select(AuditRecord.seq).where(AuditRecord.conversation_id == conversation_id)).scalars())


# --- What the numbers say ---------------------------------------------------------------------------


def test_conversations_are_counted_once_each_within_the_period(trail: Engine):
    data = report_of(trail)
    assert data.conversations.count == len(IN_PERIOD)
    assert data.customer_turns.count == CUSTOMER_TURNS
    assert data.turns.count == CUSTOMER_TURNS + len(IN_PERIOD)  # each also opened with the AI notice


def test_handoffs_are_counted_per_conversation_with_their_reasons(trail: Engine):
    data = report_of(trail)
    assert data.handoff_conversations.count == 3
    assert data.handoff_rate == pytest.approx(3 / 6)
    assert {evidence.group: evidence.count for evidence in data.handoff_reasons} == {
        "customer_request": 1, "repeated_misunderstanding": 1, "distress_self_harm": 1,
    }


def test_time_to_handoff_runs_from_the_first_turn_to_the_turn_that_asked_for_a_person(trail: Engine):
    data = report_of(trail)
    # Each event takes the script a second; the opening notice takes 4 s before the customer's first message.
    seconds = {timing.conversation_id: timing.seconds for timing in data.handoff_timings}
    assert seconds == {
        "asks-for-a-person": 4 + 30 + 1 + 60,
        "not-understood": 4 + 100 + 2 + 100 + 3 + 100,
        "at-risk": 4 + 10,
    }
    assert data.median_seconds_to_handoff == 95
    assert data.p90_seconds_to_handoff == pytest.approx(95 + 0.8 * (309 - 95))


def test_fallback_rate_is_the_share_of_customer_turns_not_understood(trail: Engine):
    data = report_of(trail)
    assert data.fallbacks.count == 2
    assert data.fallback_rate == pytest.approx(2 / CUSTOMER_TURNS)


def test_distress_is_counted_only_where_the_detector_changed_what_the_assistant_did(trail: Engine):
    data = report_of(trail)
    assert {evidence.group: evidence.count for evidence in data.distress} == {"self_harm": 1, "bereavement": 1}
    assert data.distress_total.count == 2  # the later low score for bereavement changed nothing


def test_consent_granted_refused_and_withdrawn_are_counted(trail: Engine):
    data = report_of(trail)
    assert (data.consent_granted.count, data.consent_refused.count, data.consent_withdrawn.count) == (1, 1, 1)


def test_explanations_asked_and_answers_flagged_as_wrong_are_counted(trail: Engine):
    data = report_of(trail)
    assert data.explanations.count == 1
    assert data.feedback.count == 1


def test_notice_and_policy_versions_in_force_are_named(trail: Engine):
    data = report_of(trail)
    assert [(evidence.group, evidence.count) for evidence in data.notices] == [(f"ai_disclosure {NOTICE_VERSION}", 6)]
    assert [(policy.version, policy.before_period) for policy in data.policies] == [(POLICY_VERSION, True)]
    html = render_html(data)
    assert re.search(r"Version 2, in force when the period began \(<a href=\"#audit-1\">record 1</a>", html)


def test_records_outside_the_period_are_left_out(trail: Engine):
    data = report_of(trail)
    counted = {seq for evidence in data.all_evidence for seq in evidence.seqs}
    outside = seqs_of(trail, "before-the-period") | seqs_of(trail, "after-the-period")
    assert outside and not counted & outside
    html = render_html(data)
    assert "before-the-period" not in html and "after-the-period" not in html


def test_the_last_day_of_the_period_is_included_whole(trail: Engine):
    one_day = report_of(trail, Period(date(2026, 11, 12), date(2026, 11, 12)))
    assert set(one_day.conversations.seqs) & seqs_of(trail, "bereaved-late-at-night")
    assert one_day.distress_total.count == 1, "its 23:58 detection is counted, on the 12th"


def test_percentiles_interpolate_between_neighbours():
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([10.0, 20.0], 0.9) == pytest.approx(19.0)


# --- The HTML: traceable, self-contained, accessible ------------------------------------------------


class Anchors(HTMLParser):
    """Every id, every link and every external reference in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: List[str] = []
        self.links: List[str] = []
        self.external: List[str] = []
        self.tags: Dict[str, List[Dict[str, Optional[str]]]] = {}

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        attributes = dict(attrs)
        self.tags.setdefault(tag, []).append(attributes)
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        for name in ("href", "src", "xlink:href", "data", "srcset", "poster", "action"):
            value = attributes.get(name)
            if value is None:
                continue
            if value.startswith("#"):
                self.links.append(value[1:])
            else:
                self.external.append(f"{tag} {name}={value}")


def parsed(html: str) -> Anchors:
    anchors = Anchors()
    anchors.feed(html)
    return anchors


def test_every_number_links_to_a_section_that_exists(trail: Engine):
    page = parsed(render_html(report_of(trail)))
    assert page.links, "the report links its numbers to their evidence"
    assert set(page.links) <= set(page.ids), f"links to nothing: {sorted(set(page.links) - set(page.ids))}"
    assert len(page.ids) == len(set(page.ids)), "every id is unique on the page"


def test_every_counted_record_is_listed_in_the_appendix(trail: Engine):
    data = report_of(trail)
    page = parsed(render_html(data))
    for evidence in data.all_evidence:
        assert f"evidence-{evidence.anchor}" in page.ids
        assert {f"audit-{seq}" for seq in evidence.seqs} <= set(page.ids), evidence.title
    assert {f"audit-{entry.seq}" for entry in data.entries} <= set(page.ids)


def test_the_summary_numbers_link_to_their_evidence(trail: Engine):
    html = render_html(report_of(trail))
    summary = html[html.index('id="summary"') : html.index('id="activity"')]
    assert '<a href="#evidence-handoff-conversations">3</a> of <a href="#evidence-conversations">6</a>' in summary
    assert '<a href="#evidence-fallbacks">2</a>' in summary
    assert '<a href="#evidence-consent-granted">1</a> granted' in summary


def test_the_report_fetches_nothing_from_anywhere(trail: Engine):
    html = render_html(report_of(trail))
    page = parsed(html)
    assert page.external == []
    assert not re.search(r"https?://", html)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(page.tags)
    assert not re.search(r"url\((?!#)", html) and "@import" not in html


def test_the_report_is_readable_with_a_screen_reader(trail: Engine):
    html = render_html(report_of(trail))
    page = parsed(html)
    assert page.tags["html"][0].get("lang") == "en-GB"
    assert len(page.tags["h1"]) == 1 and len(page.tags["h2"]) >= 8
    assert all(header.get("scope") for header in page.tags["th"])
    charts = page.tags["svg"]
    assert len(charts) == 4, "per day, handoff reasons, distress, consent"
    for chart in charts:
        assert chart.get("role") == "img"
        title_id, description_id = (chart.get("aria-labelledby") or "").split()
        assert {title_id, description_id} <= set(page.ids)
    assert "self_harm: 1 detections" in html, "a chart's description states its numbers"


def test_with_fairness_figures_every_link_still_resolves_and_every_header_has_a_scope(trail: Engine, tmp_path: Path):
    from tests.audit.test_report_fairness import MODEL, figures

    html = render_html(report_of(trail), FairnessSection(tmp_path / "fairness.json", figures(), current_model=MODEL))
    page = parsed(html)
    assert 'href="#fairness"' in html and "fairness" in page.ids
    assert set(page.links) <= set(page.ids) and len(page.ids) == len(set(page.ids))
    assert all(header.get("scope") for header in page.tags["th"])
    assert len(page.tags["svg"]) == 4, "the fairness figures are tables, not charts"


def test_what_customers_wrote_never_reaches_the_report(trail: Engine):
    html = render_html(report_of(trail))
    assert "what the customer wrote" not in html and "what the assistant said" not in html


def test_a_broken_chain_is_reported_at_the_top(trail: Engine):
    with open_session(trail) as session:
        session.execute(update(AuditRecord).where(AuditRecord.seq == 5).values(body="garbled, no longer JSON"))
    html = render_html(report_of(trail))
    header = html[: html.index("</header>")]
    assert "Broken." in header and "Intact." not in header
    assert "record 5 was changed after it was written" in html


def test_an_intact_chain_is_reported_as_verified(trail: Engine):
    header = render_html(report_of(trail)).split("</header>")[0]
    assert "Intact." in header


def test_an_empty_trail_says_there_is_nothing_to_report(engine: Engine):
    data = report_of(engine)
    html = render_html(data)
    assert data.is_empty and data.conversations.count == 0 and data.fallback_rate is None
    assert "The audit trail has no records from" in html
    assert "<svg" not in html
    assert "Fallback rate</th><td>n/a" in html
    page = parsed(html)
    assert set(page.links) <= set(page.ids)


# --- The command ------------------------------------------------------------------------------------


@pytest.fixture
def database_url(trail: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    url = str(trail.url)
    monkeypatch.setenv("CANDOR_DATABASE_URL", url)
    monkeypatch.setattr(settings, "VAR_DIR", tmp_path / "var")  # no fairness figures from the real var/
    yield url


def test_the_command_writes_the_report_and_says_where_how_big_and_how_long(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture
):
    out = tmp_path / "report.html"
    assert main(["report", "--since", "2026-11-10", "--until", "2026-11-12", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.strip()
    assert re.fullmatch(rf"Wrote {re.escape(str(out))} \([\d,.]+ kB\) in [\d.]+ s", printed)
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'href="#evidence-handoff-conversations">3</a>' in html


@pytest.mark.parametrize(
    "arguments, reason",
    [
        (["--since", "10/11/2026"], "--since '10/11/2026' is not a date: write it as YYYY-MM-DD"),
        (["--since", "2026-11-10", "--until", "2026-02-30"], "--until '2026-02-30' is not a date"),
        (["--since", "2026-11-12", "--until", "2026-11-10"], "--until 2026-11-10 is before --since 2026-11-12"),
    ],
    ids=["unreadable start", "impossible end", "end before start"],
)
def test_bad_dates_are_refused_with_a_reason(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture, arguments: List[str], reason: str
):
    assert main(["report", *arguments, "--out", str(tmp_path / "report.html")]) == 2
    assert_one_line_reason(capsys, reason)
    assert not (tmp_path / "report.html").exists()


def test_an_unwritable_output_path_is_refused_before_the_report_is_built(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture
):
    out = tmp_path / "no-such-folder" / "report.html"
    assert main(["report", "--since", "2026-11-10", "--out", str(out)]) == 2
    assert_one_line_reason(capsys, f"cannot write {out}: the folder {out.parent} does not exist")


def test_a_folder_is_not_an_output_file(database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture):
    assert main(["report", "--since", "2026-11-10", "--out", str(tmp_path)]) == 2
    assert_one_line_reason(capsys, f"--out {tmp_path} is a folder: give a file name")


def test_a_missing_database_is_named_and_not_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
):
    missing = tmp_path / "nowhere" / "candor.db"
    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{missing}")
    assert main(["report", "--since", "2026-11-10", "--out", str(tmp_path / "report.html")]) == 2
    assert_one_line_reason(capsys, f"no database at {missing}: set CANDOR_DATABASE_URL")
    assert not missing.exists()


def test_a_database_without_an_audit_trail_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
):
    other = tmp_path / "other.db"
    engine = make_engine(f"sqlite:///{other}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE unrelated (id INTEGER)")
    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{other}")
    assert main(["report", "--since", "2026-11-10", "--out", str(tmp_path / "report.html")]) == 2
    assert_one_line_reason(capsys, "has no audit trail (run `candor db init`")


def assert_one_line_reason(capsys: pytest.CaptureFixture, reason: str) -> None:
    error = capsys.readouterr().err
    assert error.startswith("candor report: ") and reason in error, error
    assert error.count("\n") == 1 and "Traceback" not in error


def test_a_long_period_is_charted_from_the_first_day_with_records_to_the_last(trail: Engine):
    html = render_html(report_of(trail, Period(date(2000, 1, 1), date(2026, 12, 31))))
    assert "8 conversations and" in html and "turns over 5 days" in html, "9 to 13 November"
