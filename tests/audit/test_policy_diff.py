"""Every change to the policy is accounted for: shown, explained by the changelog, or called out."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, Callable, Dict

import pytest
import yaml
from sqlalchemy.engine import Engine

from bot import settings
from bot.audit.chain import append
from bot.audit.policy_diff import ADDED, CHANGED, REMOVED, Change, changelog_between, compare, diff_documents
from bot.audit.policy_records import policy_body, record_policy_if_new
from bot.audit.policy_versions import VersionSpecError, default_old, recorded_policies, resolve, snapshot_of_file
from bot.cli import main
from bot.policy import load_policy
from bot.policy_sections import PolicyError
from bot.store.database import create_schema, make_engine, open_session

Edit = Callable[[Dict[str, Any]], None]


def _shipped_as_version_2() -> Path:
    """The shipped policy file, numbered 2 with its changelog up to 2, so these tests outlive new versions."""
    data = yaml.safe_load((settings.PROJECT_ROOT / "bot" / "policy.yml").read_text(encoding="utf-8"))
    data["version"] = 2
    data["changelog"] = [entry for entry in data["changelog"] if entry["version"] <= 2]
    path = Path(tempfile.mkdtemp(prefix="candor-policy-")) / "policy.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


SHIPPED_POLICY = _shipped_as_version_2()


def shipped() -> Dict[str, Any]:
    return yaml.safe_load(SHIPPED_POLICY.read_text(encoding="utf-8"))


# The self-harm threshold as shipped; the tests change it to 0.35, whatever it is today.
SHIPPED_SELF_HARM = shipped()["distress"]["thresholds"]["self_harm"]
assert SHIPPED_SELF_HARM != 0.35


def as_version_1(data: Dict[str, Any]) -> None:
    """The shipped policy as it might have been before version 2: 60-day retention, no 999 line."""
    data["version"] = 1
    data["changelog"] = [{"version": 1, "date": "2026-11-01", "changes": ["First policy."]}]
    data["privacy"]["retention"]["conversations_days"] = 60
    data["distress"]["crisis_resources"].pop()


def as_version_3(data: Dict[str, Any]) -> None:
    """A realistic next version: a lower self-harm threshold, one more helpline, closed on Saturdays."""
    data["version"] = 3
    data["changelog"].insert(0, {
        "version": 3,
        "date": "2026-12-04",
        "changes": ["Lowered the self-harm threshold: reviews found missed messages.", "Added Mind's infoline.", "Closed on Saturdays."],
    })
    data["distress"]["thresholds"]["self_harm"] = 0.35
    data["distress"]["crisis_resources"].append({"name": "Mind", "how": "call 0300 123 3393"})
    del data["handoff"]["hours"]["weekly"]["saturday"]


def unchanged(data: Dict[str, Any]) -> None:
    pass


def without_a_bump(data: Dict[str, Any]) -> None:
    data["privacy"]["retention"]["conversations_days"] = 45


@pytest.fixture
def write_policy(tmp_path: Path) -> Callable[[str, Edit], Path]:
    """Write a copy of the shipped policy, edited, as tmp_path/<name>.yml."""

    def write(name: str, edit: Edit) -> Path:
        data = shipped()
        edit(data)
        path = tmp_path / f"{name}.yml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def trail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """An empty audit trail of this test's own, used by every `candor` command."""
    url = f"sqlite:///{tmp_path / 'candor.db'}"
    monkeypatch.setenv("CANDOR_DATABASE_URL", url)
    engine = make_engine(url)
    create_schema(engine)
    return engine


def run_with(engine: Engine, path: Path) -> None:
    """What the Rasa server does when it starts with the policy at `path`."""
    record_policy_if_new(engine, load_policy(path))


def in_force(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(settings, "POLICY_FILE", path)


def recorded(engine: Engine):
    with open_session(engine) as session:
        return recorded_policies(session)


# The diff itself


def test_a_changed_threshold_is_named_by_its_dotted_path_with_both_values() -> None:
    old, new = shipped(), shipped()
    new["distress"]["thresholds"]["self_harm"] = 0.35

    assert diff_documents(old, new) == [Change("distress.thresholds.self_harm", CHANGED, SHIPPED_SELF_HARM, 0.35)]


def test_an_added_crisis_resource_is_one_addition_even_in_the_middle_of_the_list() -> None:
    old, new = shipped(), shipped()
    mind = {"name": "Mind", "how": "call 0300 123 3393"}
    new["distress"]["crisis_resources"].insert(1, mind)

    assert diff_documents(old, new) == [Change("distress.crisis_resources[1]", ADDED, new=mind)]


def test_an_edited_crisis_resource_shows_the_field_that_changed() -> None:
    old, new = shipped(), shipped()
    new["distress"]["crisis_resources"][1]["how"] = "text SHOUT to 85258"

    assert diff_documents(old, new) == [
        Change("distress.crisis_resources[1].how", CHANGED, "text SHOUT to 85258 (free, any time)", "text SHOUT to 85258")
    ]


def test_a_removed_key_is_reported_with_what_it_was() -> None:
    old, new = shipped(), shipped()
    del new["handoff"]["hours"]["weekly"]["saturday"]

    assert diff_documents(old, new) == [Change("handoff.hours.weekly.saturday", REMOVED, old=["10:00", "16:00"])]


def test_a_list_of_names_reports_what_joined_and_what_left_not_a_shifted_list() -> None:
    old, new = shipped(), shipped()
    entities = new["privacy"]["redaction"]["entities"]
    entities.remove("IP_ADDRESS")
    entities.append("NHS_NUMBER")

    assert diff_documents(old, new) == [
        Change("privacy.redaction.entities[6]", REMOVED, old="IP_ADDRESS"),
        Change(f"privacy.redaction.entities[{len(entities) - 1}]", ADDED, new="NHS_NUMBER"),
    ]


def test_a_number_that_became_text_is_a_change() -> None:
    assert diff_documents({"days": 30}, {"days": "30"}) == [Change("days", CHANGED, 30, "30")]


def test_the_changelog_between_two_versions_is_what_came_after_the_old_one_newest_first() -> None:
    changelog = [{"version": version, "date": "2026-12-01", "changes": [f"v{version}"]} for version in (5, 4, 3, 2, 1)]

    assert [entry["version"] for entry in changelog_between(changelog, 2, 4)] == [4, 3]


# Which policies the version specs name


def test_a_version_number_names_that_version_as_the_audit_trail_recorded_it(trail, write_policy) -> None:
    run_with(trail, write_policy("v1", as_version_1))
    run_with(trail, SHIPPED_POLICY)

    snapshot = resolve("1", recorded(trail))

    assert (snapshot.version, snapshot.seq, snapshot.warnings) == (1, 1, ())
    assert snapshot.document["privacy"]["retention"]["conversations_days"] == 60


def test_a_version_recorded_with_two_contents_means_the_latest_and_warns_naming_the_records(trail, write_policy) -> None:
    run_with(trail, SHIPPED_POLICY)
    run_with(trail, write_policy("edited", without_a_bump))

    snapshot = resolve("2", recorded(trail))

    assert snapshot.seq == 2
    assert snapshot.warnings == (
        "version 2 was changed without a version bump: the audit trail holds 2 different contents for it (records 1, 2); this is record 2",
    )


def test_a_version_the_trail_never_recorded_is_refused_naming_those_it_did(trail) -> None:
    run_with(trail, SHIPPED_POLICY)

    with pytest.raises(VersionSpecError, match=r"version 7 was never recorded .*recorded versions: 2"):
        resolve("7", recorded(trail))


def test_a_policy_file_that_fails_validation_is_refused_with_the_reason(write_policy) -> None:
    path = write_policy("broken", lambda data: data["distress"]["thresholds"].update(self_harm=1.5))

    with pytest.raises(PolicyError, match=r"distress.thresholds: self_harm: threshold 1.5 is not in \(0, 1\]"):
        resolve(str(path), [])


def test_current_means_the_policy_file_the_assistant_loads(monkeypatch, write_policy) -> None:
    in_force(monkeypatch, write_policy("next", as_version_3))

    assert resolve("current", []).version == 3


def test_by_default_the_old_side_is_the_newest_recorded_policy_that_differs(trail, write_policy) -> None:
    run_with(trail, write_policy("v1", as_version_1))
    run_with(trail, SHIPPED_POLICY)
    shipped_again = snapshot_of_file(SHIPPED_POLICY)

    assert default_old(shipped_again, recorded(trail)).version == 1
    assert default_old(snapshot_of_file(write_policy("v3", as_version_3)), recorded(trail)).version == 2


# Accountability


def test_an_edit_without_a_version_bump_is_a_finding(write_policy) -> None:
    comparison = compare(snapshot_of_file(SHIPPED_POLICY), snapshot_of_file(write_policy("edited", without_a_bump)))

    assert comparison.changes == [Change("privacy.retention.conversations_days", CHANGED, 30, 45)]
    assert comparison.findings[0].startswith("the policy was edited without bumping its version: both are version 2")


def test_a_bumped_version_with_a_changelog_entry_is_accounted_for(write_policy) -> None:
    comparison = compare(snapshot_of_file(SHIPPED_POLICY), snapshot_of_file(write_policy("v3", as_version_3)))

    assert comparison.findings == []
    assert [entry["version"] for entry in comparison.changelog] == [3]


def test_new_disclosure_wording_under_the_old_notice_version_is_a_finding(write_policy) -> None:
    def reworded(data: Dict[str, Any]) -> None:
        as_version_3(data)
        data["notices"]["ai_disclosure"]["text"] = "Hello, I'm a computer program, not a person."

    comparison = compare(snapshot_of_file(SHIPPED_POLICY), snapshot_of_file(write_policy("v3", reworded)))

    assert comparison.findings == [
        'notices.ai_disclosure changed (text) but its own version stayed "2026-11-27": '
        "bump notices.ai_disclosure.version too, so conversations record which wording the customer saw"
    ]


def test_new_disclosure_wording_with_a_new_notice_version_is_accounted_for(write_policy) -> None:
    def reworded(data: Dict[str, Any]) -> None:
        as_version_3(data)
        data["notices"]["ai_disclosure"].update(text="Hello, I'm a computer program, not a person.", version="2026-12-04")

    assert compare(snapshot_of_file(SHIPPED_POLICY), snapshot_of_file(write_policy("v3", reworded))).findings == []


def test_the_shipped_changelog_says_what_changed_in_the_current_version() -> None:
    policy = load_policy(SHIPPED_POLICY)

    assert policy.changelog[0].version == policy.version
    assert policy.changelog[0].changes


# The commands


def test_diff_shows_the_changelog_and_every_change_since_the_last_recorded_version(trail, write_policy, monkeypatch, capsys) -> None:
    run_with(trail, SHIPPED_POLICY)
    in_force(monkeypatch, write_policy("v3", as_version_3))

    assert main(["policy", "diff"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Policy version 2 (audit trail record 1, ")
    assert "→ version 3 (current " in out
    assert "Lowered the self-harm threshold: reviews found missed messages." in out
    assert f"changed  distress.thresholds.self_harm: {SHIPPED_SELF_HARM} → 0.35" in out
    assert 'added    distress.crisis_resources[3]: {"how": "call 0300 123 3393", "name": "Mind"}' in out
    assert 'removed  handoff.hours.weekly.saturday (was ["10:00:00", "16:00:00"])' in out


def test_diff_of_an_edit_without_a_version_bump_says_so_and_exits_1(trail, write_policy, monkeypatch, capsys) -> None:
    run_with(trail, SHIPPED_POLICY)
    in_force(monkeypatch, write_policy("edited", without_a_bump))

    assert main(["policy", "diff"]) == 1
    assert "FINDING: the policy was edited without bumping its version" in capsys.readouterr().out


def test_diff_says_when_the_changelog_does_not_mention_the_new_version(trail, write_policy, capsys) -> None:
    run_with(trail, SHIPPED_POLICY)
    # A record from before the changelog was required: version 3 with no entry for itself.
    body = policy_body(load_policy(write_policy("v3", as_version_3)))
    body["policy"]["changelog"].pop(0)
    body["sha256"] = "f" * 64
    append(trail, "policy", body, 3)

    assert main(["policy", "diff", "2", "3"]) == 1
    assert "FINDING: the changelog does not mention version 3" in capsys.readouterr().out


def test_diff_as_json_lists_changes_with_paths_and_values(trail, write_policy, monkeypatch, capsys) -> None:
    run_with(trail, SHIPPED_POLICY)
    in_force(monkeypatch, write_policy("v3", as_version_3))

    assert main(["policy", "diff", "2", "current", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["old"]["record"], data["new"]["version"], data["findings"]) == (1, 3, [])
    assert {"path": "distress.thresholds.self_harm", "kind": "changed", "old": SHIPPED_SELF_HARM, "new": 0.35} in data["changes"]


def test_diff_with_nothing_recorded_says_there_is_nothing_to_compare(trail, capsys) -> None:
    assert main(["policy", "diff"]) == 0
    assert capsys.readouterr().out.startswith("nothing to compare: the audit trail at sqlite:///")


def test_diff_of_two_files_needs_no_database(write_policy, monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{tmp_path / 'absent' / 'candor.db'}")

    assert main(["policy", "diff", str(SHIPPED_POLICY), str(write_policy("v3", as_version_3))]) == 0
    assert not (tmp_path / "absent").exists()


def test_history_lists_each_policy_once_with_its_first_record_and_changelog(trail, write_policy, capsys) -> None:
    run_with(trail, write_policy("v1", as_version_1))
    run_with(trail, SHIPPED_POLICY)
    run_with(trail, write_policy("v1-again", as_version_1))  # rolled back, then forward again

    assert main(["policy", "history"]) == 0
    rows = capsys.readouterr().out.splitlines()[2:]
    assert [row.split()[0] for row in rows] == ["1", "2"]
    assert rows[0].endswith("First policy.")
    assert "Added \"assistant\"" in rows[1] and rows[1].endswith("(+2 more)")


def test_history_warns_about_a_version_that_ran_with_two_contents(trail, write_policy, capsys) -> None:
    run_with(trail, SHIPPED_POLICY)
    run_with(trail, write_policy("edited", without_a_bump))

    assert main(["policy", "history", "--json"]) == 0
    assert [entry["edited_without_bump"] for entry in json.loads(capsys.readouterr().out)] == [True, True]
    assert main(["policy", "history"]) == 0
    assert "WARNING: version 2 was changed without a version bump: it ran with 2 different contents (records 1, 2)." in capsys.readouterr().out


def test_check_passes_a_policy_whose_new_contents_have_a_new_version(trail, write_policy, monkeypatch, capsys) -> None:
    run_with(trail, SHIPPED_POLICY)
    in_force(monkeypatch, write_policy("v3", as_version_3))

    assert main(["policy", "check"]) == 0
    assert "is valid and new: the audit trail recorded version 2 last (record 1)" in capsys.readouterr().out


def test_check_fails_an_edit_without_a_version_bump_in_one_line_saying_what_to_do(trail, write_policy, monkeypatch, capsys) -> None:
    run_with(trail, SHIPPED_POLICY)
    in_force(monkeypatch, write_policy("edited", without_a_bump))

    assert main(["policy", "check"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "was changed without a version bump" in error
    assert "bump `version` to 3 and add a changelog entry" in error


def test_check_passes_the_policy_the_trail_recorded_last(trail, monkeypatch, capsys) -> None:
    run_with(trail, SHIPPED_POLICY)
    in_force(monkeypatch, SHIPPED_POLICY)

    assert main(["policy", "check"]) == 0
    assert "is the policy the audit trail recorded last (record 1)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "spec, reason",
    [
        ("7", "version 7 was never recorded in the audit trail (recorded versions: 2)"),
        ("no-such-policy.yml", "'no-such-policy.yml' is not a version number, `current`, or a policy file that exists"),
    ],
)
def test_a_version_that_names_no_policy_is_a_one_line_error(trail, capsys, spec, reason) -> None:
    run_with(trail, SHIPPED_POLICY)

    assert main(["policy", "diff", spec]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"candor policy: {reason}") and error.count("\n") == 1


def test_an_invalid_policy_file_is_a_one_line_error_naming_the_field(write_policy, capsys) -> None:
    broken = write_policy("broken", lambda data: data["handoff"].pop("contact"))

    assert main(["policy", "diff", str(broken), str(SHIPPED_POLICY)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"candor policy: {broken} is invalid: handoff.contact: field required") and error.count("\n") == 1


@pytest.mark.parametrize("command", ["history", "check"])
def test_a_missing_database_is_a_one_line_error_naming_the_setting(tmp_path, monkeypatch, capsys, command) -> None:
    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{tmp_path / 'absent' / 'candor.db'}")

    assert main(["policy", command]) == 2
    error = capsys.readouterr().err
    assert "there is no database at" in error and "CANDOR_DATABASE_URL" in error and error.count("\n") == 1


def test_check_fails_a_policy_file_the_assistant_would_refuse(trail, write_policy, monkeypatch, capsys) -> None:
    in_force(monkeypatch, write_policy("broken", lambda data: data.update(version=3)))

    assert main(["policy", "check"]) == 1
    error = capsys.readouterr().err
    assert "the newest entry is for version 2, but the policy is version 3: say what changed" in error and error.count("\n") == 1


def test_check_fails_a_version_number_that_went_backwards_to_new_contents(trail, write_policy, monkeypatch, capsys) -> None:
    run_with(trail, SHIPPED_POLICY)
    in_force(monkeypatch, write_policy("v1", as_version_1))

    assert main(["policy", "check"]) == 1
    assert "is numbered below version 2, which the audit trail recorded last (record 1)" in capsys.readouterr().err
