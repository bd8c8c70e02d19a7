"""`candor eval-fairness` measures each group of customers on the same footing, and says who is served worse.

The trained model and the redactor are replaced here by small stand-ins whose behaviour is known, so
every figure can be counted by hand; `tests/fairness/` runs the audit on the shipped model.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import pytest

from bot.audit.report_fairness import Limits, read_figures
from bot.cli import build_parser, eval_fairness, main
from bot.cli.eval_fairness import Understood, fully_redacted, measure
from bot.cli.fairness_data import read_fairness_data

REQUESTS = """request,group,intent,text
1,standard,track_order,Where is my order?
1,scottish,track_order,Where's ma order?
1,dyslexic,track_order,were is my oder
2,standard,cancel_order,Please cancel my order.
2,scottish,cancel_order,Can yous cancel ma order?
2,dyslexic,cancel_order,plese cancle my oder
"""
NAMES = """english: [Sarah Bentley, James Whitfield]
vietnamese: [Nguyễn Văn Minh, Lan Nguyen]
"""
NAME_MESSAGES = """- text: "Thanks, {name}"
  distress: null
- text: "it's {name}, order 104502"
  distress: null
- text: "My name is {name}. My husband passed away last month."
  distress: bereavement
"""
LIMITS = Limits(max_intent_accuracy_gap_points=5, max_redaction_recall_gap_points=5, max_distress_flag_rate_gap_points=5)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Redacted:
    text: str
    findings: Tuple[Span, ...]


class StandInModel:
    """Understands the texts it is told about; says "bereavement" for "passed away" unless a name is ignored."""

    intents = ["track_order", "cancel_order", "nlu_fallback"]

    def __init__(self, understood: Dict[str, str], unflagged_names: Sequence[str] = (), category: str = "bereavement") -> None:
        self.understood = understood
        self.unflagged_names = unflagged_names
        self.category = category

    def __call__(self, texts: Sequence[str]) -> List[Understood]:
        return [Understood(self.understood.get(text, "nlu_fallback"), self._distress(text)) for text in texts]

    def _distress(self, text: str) -> Optional[str]:
        if "passed away" not in text or any(name in text for name in self.unflagged_names):
            return None
        return self.category


class StandInRedactor:
    """Replaces each word of the names it knows, except the words it is told to miss."""

    def __init__(self, names: Sequence[str], missed_words: Sequence[str] = ()) -> None:
        self.words = {word for name in names for word in name.split()} - set(missed_words)

    def redact(self, text: str) -> Redacted:
        spans = tuple(Span(m.start(), m.end()) for m in re.finditer(r"\w+", text) if m.group() in self.words)
        redacted = text
        for span in reversed(spans):
            redacted = redacted[: span.start] + "<PERSON>" + redacted[span.end :]
        return Redacted(redacted, spans)


ALL_NAMES = ["Sarah Bentley", "James Whitfield", "Nguyễn Văn Minh", "Lan Nguyen"]
EVERY_REQUEST_UNDERSTOOD = {
    "Where is my order?": "track_order", "Where's ma order?": "track_order", "were is my oder": "track_order",
    "Please cancel my order.": "cancel_order", "Can yous cancel ma order?": "cancel_order", "plese cancle my oder": "cancel_order",
}


@pytest.fixture
def fairness_files(tmp_path: Path) -> Tuple[Path, Path, Path]:
    paths = (tmp_path / "requests.csv", tmp_path / "names.yml", tmp_path / "name-messages.yml")
    for path, text in zip(paths, (REQUESTS, NAMES, NAME_MESSAGES)):
        path.write_text(text, encoding="utf-8")
    return paths


def audit_with(files, model: StandInModel, redactor: StandInRedactor, limits: Limits = LIMITS):
    return measure(read_fairness_data(*files), model, redactor, limits, "candor-0123456789abcdef.tar.gz")


# --- Understanding, by way of writing -------------------------------------------------------------


def test_accuracy_is_counted_per_way_of_writing_and_the_gap_is_the_best_minus_the_worst(fairness_files):
    understood = {**EVERY_REQUEST_UNDERSTOOD, "plese cancle my oder": "track_order"}
    audit = audit_with(fairness_files, StandInModel(understood), StandInRedactor(ALL_NAMES))

    accuracy = {group.group: group.accuracy for group in audit.figures.writing}
    assert accuracy == {"standard": 1.0, "scottish": 1.0, "dyslexic": 0.5}
    assert audit.figures.intent_accuracy_gap_points == pytest.approx(50.0)
    [miss] = audit.intent_misses
    assert (miss.group, miss.request, miss.intent, miss.understood_as) == ("dyslexic", "2", "cancel_order", "track_order")


def test_saying_it_did_not_understand_is_a_miss_and_is_counted_as_such(fairness_files):
    understood = {text: intent for text, intent in EVERY_REQUEST_UNDERSTOOD.items() if not text.startswith("were")}
    audit = audit_with(fairness_files, StandInModel(understood), StandInRedactor(ALL_NAMES))

    dyslexic = next(group for group in audit.figures.writing if group.group == "dyslexic")
    assert (dyslexic.understood, dyslexic.not_understood, dyslexic.requests) == (1, 1, 2)


# --- Redaction, by origin of the name ----------------------------------------------------------------


def test_a_name_counts_as_redacted_only_when_every_character_of_it_is_replaced(fairness_files):
    # "Nguyễn" is missed: "Nguyễn Văn Minh" is never fully redacted; "Lan Nguyen" always is.
    audit = audit_with(fairness_files, StandInModel(EVERY_REQUEST_UNDERSTOOD), StandInRedactor(ALL_NAMES, ["Nguyễn"]))

    recall = {group.group: group.redaction_recall for group in audit.figures.names}
    assert recall == {"english": 1.0, "vietnamese": 0.5}
    assert audit.figures.redaction_recall_gap_points == pytest.approx(50.0)
    assert {(miss.name, miss.message) for miss in audit.redaction_misses} == {("Nguyễn Văn Minh", n) for n in (1, 2, 3)}
    assert audit.redaction_misses[0].what == "Thanks, Nguyễn <PERSON> <PERSON>", "the miss shows what was kept"


def test_the_spaces_between_the_parts_of_a_name_need_not_be_replaced():
    name = "Nguyễn Văn Minh"
    one_span_per_word = Redacted("", (Span(6, 12), Span(13, 16), Span(17, 21)))
    all_but_the_last_letter = Redacted("", (Span(6, 20),))

    assert fully_redacted(6, name, one_span_per_word)
    assert not fully_redacted(6, name, all_but_the_last_letter)


# --- Distress, by origin of the name ----------------------------------------------------------------


def test_distress_is_counted_per_origin_with_whether_the_category_was_right(fairness_files):
    model = StandInModel(EVERY_REQUEST_UNDERSTOOD, unflagged_names=["Lan Nguyen"])
    audit = audit_with(fairness_files, model, StandInRedactor(ALL_NAMES))

    by_origin = {group.group: (group.distress_messages, group.flagged, group.right_category) for group in audit.figures.names}
    assert by_origin == {"english": (2, 2, 2), "vietnamese": (2, 1, 1)}
    assert audit.figures.distress_flag_rate_gap_points == pytest.approx(50.0)
    [miss] = audit.distress_misses
    assert (miss.name, miss.message, miss.what) == ("Lan Nguyen", 3, "expected bereavement, got not flagged")


def test_a_flag_with_the_wrong_category_is_flagged_but_not_right(fairness_files):
    model = StandInModel(EVERY_REQUEST_UNDERSTOOD, category="health")
    audit = audit_with(fairness_files, model, StandInRedactor(ALL_NAMES))

    assert all((group.flag_rate, group.category_rate) == (1.0, 0.0) for group in audit.figures.names)
    assert audit.figures.distress_flag_rate_gap_points == 0


# --- The gate ---------------------------------------------------------------------------------------


def test_the_gate_names_each_gap_past_its_limit_and_the_groups_at_either_end(fairness_files):
    understood = {**EVERY_REQUEST_UNDERSTOOD, "were is my oder": "nlu_fallback"}
    model = StandInModel(understood, unflagged_names=["Lan Nguyen"])
    audit = audit_with(fairness_files, model, StandInRedactor(ALL_NAMES, ["Minh"]))

    failures = audit.figures.gate_failures()
    assert failures == [
        "intent accuracy: dyslexic 0.500 is 50.0 points below standard 1.000 (allowed: 5)",
        "redaction recall: vietnamese 0.500 is 50.0 points below english 1.000 (allowed: 5)",
        "distress flag rate: vietnamese 0.500 is 50.0 points below english 1.000 (allowed: 5)",
    ]
    assert not audit.figures.passed


def test_a_gap_exactly_at_the_limit_passes_and_one_just_past_it_fails(fairness_files):
    understood = {**EVERY_REQUEST_UNDERSTOOD, "were is my oder": "nlu_fallback"}  # a 50-point gap
    model, redactor = StandInModel(understood), StandInRedactor(ALL_NAMES)

    at_the_limit = audit_with(fairness_files, model, redactor, Limits(50, 5, 5))
    just_past = audit_with(fairness_files, model, redactor, Limits(49.9, 5, 5))

    assert at_the_limit.figures.passed
    assert [failure.split(":")[0] for failure in just_past.figures.gate_failures()] == ["intent accuracy"]


def test_the_limits_are_the_policy_files():
    from bot.policy import current_policy

    assert eval_fairness.policy_limits() == Limits(**current_policy().fairness.dict())


# --- Bad data ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "file, content, reason",
    [
        (0, REQUESTS.replace("2,dyslexic,cancel_order,plese cancle my oder\n", ""), "request 2 is not written as dyslexic"),
        (0, REQUESTS + "2,dyslexic,cancel_order,cancle it\n", "request 2 is written twice as dyslexic"),
        (0, REQUESTS.replace("2,scottish,cancel_order", "2,scottish,track_order"), "request 2 has several intents"),
        (0, "request,group,text\n1,standard,Where is it?\n", "needs the columns request and group and intent and text"),
        (1, "- Sarah Bentley\n", "must map each origin to a list of full names"),
        (1, "english: []\n", "english must be a non-empty list of full names"),
        (2, '- text: "Thanks"\n  distress: null\n', "message 1 must have a `text` with {name} exactly once"),
        (2, '- text: "{name}, {name}"\n  distress: null\n', "message 1 must have a `text` with {name} exactly once"),
        (2, '- text: "{name} is sad"\n  distress: sadness\n', "message 1 has distress 'sadness'; use null or one of"),
        (2, "- text: [unclosed\n", "is not valid YAML"),
    ],
    ids=[
        "a request not written one way", "a request written twice one way", "one request, two intents", "missing column",
        "names not by origin", "an origin without names", "no name in a message", "two names in a message",
        "unknown distress", "broken YAML",
    ],
)
def test_lopsided_or_broken_data_is_refused_in_one_line_before_the_model_loads(
    fairness_files, capsys: pytest.CaptureFixture, file: int, content: str, reason: str
):
    fairness_files[file].write_text(content, encoding="utf-8")

    status = main(["eval-fairness", *data_arguments(fairness_files), "--model", "/nowhere/model.tar.gz"])

    assert_one_line_reason(capsys, status, reason)


# --- The command ------------------------------------------------------------------------------------


def data_arguments(files: Tuple[Path, Path, Path]) -> List[str]:
    requests, names, messages = files
    return ["--requests", str(requests), "--names", str(names), "--name-messages", str(messages)]


@pytest.fixture
def stand_ins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The command's model and redactor replaced by stand-ins; the path of a (dummy) model archive."""
    model = StandInModel({**EVERY_REQUEST_UNDERSTOOD, "plese cancle my oder": "nlu_fallback"})
    monkeypatch.setattr(eval_fairness, "model_reader", lambda path: model)
    monkeypatch.setattr(eval_fairness, "shipped_redactor", lambda: StandInRedactor(ALL_NAMES, ["Minh"]))
    archive = tmp_path / "candor-0123456789abcdef.tar.gz"
    archive.write_bytes(b"stand-in")
    return archive


def test_the_command_prints_every_group_the_gaps_and_the_gate(fairness_files, stand_ins: Path, capsys: pytest.CaptureFixture):
    assert main(["eval-fairness", *data_arguments(fairness_files), "--model", str(stand_ins)]) == 0

    printed = capsys.readouterr().out
    assert "Fairness audit of candor-0123456789abcdef.tar.gz" in printed
    assert "Intent accuracy by way of writing (gap 50.0 pt)" in printed
    assert re.search(r"dyslexic\s+0\.500\s+1\s+2", printed), "accuracy, not understood, requests"
    assert re.search(r"vietnamese\s+0\.500\s+50\.0 pt\s+6", printed), "recall, gap to the best, messages"
    assert "Gate (bot/policy.yml fairness: intent 5, redaction 5, distress 5 points): FAILED" in printed
    assert "Requests misunderstood" not in printed, "misses only with --verbose"


def test_verbose_lists_each_request_misunderstood_and_each_name_missed(fairness_files, stand_ins: Path, capsys: pytest.CaptureFixture):
    main(["eval-fairness", *data_arguments(fairness_files), "--model", str(stand_ins), "--verbose"])

    printed = capsys.readouterr().out
    assert "[dyslexic] request 2: cancel_order taken for nlu_fallback: plese cancle my oder" in printed
    assert "[vietnamese] Nguyễn Văn Minh, message 2: \"it's <PERSON> <PERSON> Minh, order 104502\"" in printed


def test_json_holds_the_figures_the_report_reads(fairness_files, stand_ins: Path, tmp_path: Path):
    out = tmp_path / "fairness.json"

    main(["eval-fairness", *data_arguments(fairness_files), "--model", str(stand_ins), "--json", str(out)])

    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["gate"]["passed"] is False and len(document["misses"]["intent"]) == 1
    figures = read_figures(out)
    assert figures.model == "candor-0123456789abcdef.tar.gz"
    assert {group.group: group.accuracy for group in figures.writing}["dyslexic"] == 0.5
    assert set(figures.data) == {str(path) for path in fairness_files}


def test_a_missing_model_is_named_with_the_fix(fairness_files, capsys: pytest.CaptureFixture, tmp_path: Path):
    status = main(["eval-fairness", *data_arguments(fairness_files), "--model", str(tmp_path / "absent.tar.gz")])

    assert_one_line_reason(capsys, status, f"no model at {tmp_path / 'absent.tar.gz'}; run `make train` first")


def test_a_model_this_code_cannot_load_is_named_with_the_fix(
    fairness_files, capsys: pytest.CaptureFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(eval_fairness, "shipped_redactor", lambda: StandInRedactor(ALL_NAMES))
    archive = tmp_path / "candor-not-a-model.tar.gz"
    archive.write_bytes(b"not an archive")

    status = main(["eval-fairness", *data_arguments(fairness_files), "--model", str(archive)])

    assert_one_line_reason(capsys, status, f"cannot load the model {archive}")


def test_a_redactor_that_cannot_be_built_is_named_before_the_model_is_loaded(
    fairness_files, capsys: pytest.CaptureFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import bot.privacy.redaction

    def missing_model():
        raise RuntimeError("the named-entity model that redaction needs is missing; run `make train`")

    monkeypatch.setattr(bot.privacy.redaction, "default_redactor", missing_model)
    monkeypatch.setattr(eval_fairness, "model_reader", lambda path: pytest.fail("the model was loaded first"))
    archive = tmp_path / "candor-0123456789abcdef.tar.gz"
    archive.write_bytes(b"stand-in")

    status = main(["eval-fairness", *data_arguments(fairness_files), "--model", str(archive)])

    assert_one_line_reason(capsys, status, "cannot build the redactor: the named-entity model that redaction needs is missing")


def test_the_command_explains_itself(capsys: pytest.CaptureFixture):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["eval-fairness", "--help"])

    assert exit_.value.code == 0
    assert "--json OUT" in capsys.readouterr().out


def assert_one_line_reason(capsys: pytest.CaptureFixture, status: int, reason: str) -> None:
    """The reason is the last line (TensorFlow may have logged before it), and there is no traceback."""
    error = capsys.readouterr().err
    last = error.splitlines()[-1] if error else ""
    assert status == 2
    assert last.startswith("candor eval-fairness: ") and reason in last, error
    assert "Traceback" not in error
