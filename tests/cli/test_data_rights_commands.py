"""`candor data …` and `candor purge`: data-rights requests that arrive outside the chat."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from bot.cli import main
from bot.privacy.consent import ConsentState, Where, consent_state, record_decision
from bot.privacy.history import ORDER_HISTORY
from bot.store.database import open_session
from bot.store.shop_records import Customer


def test_show_summarises_what_is_held(shop_database, capsys):
    assert main(["data", "show", "C10001"]) == 0
    assert "customer C10001" in capsys.readouterr().out


def test_export_prints_json_found_by_email_too(shop_database, capsys):
    assert main(["data", "export", "Ada.Thornbury@example.com"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"]["customer_number"] == "C10001"
    assert data["orders"]


def test_withdraw_ends_consent_in_force(shop_database, capsys):
    now = datetime.now(timezone.utc)
    with open_session() as session:
        record_decision(session, 1, ORDER_HISTORY, True, now, Where("rest", "c"))
    assert main(["data", "withdraw", "C10001"]) == 0
    assert "Withdrew consent for: order_history" in capsys.readouterr().out
    with open_session() as session:
        assert consent_state(session, 1, ORDER_HISTORY, datetime.now(timezone.utc)) is ConsentState.WITHDRAWN


def test_erase_asks_first_and_does_nothing_without_a_clear_yes(shop_database, monkeypatch, capsys):
    monkeypatch.setattr("builtins.input", lambda _question: "yes")  # only the word "erase" confirms
    assert main(["data", "erase", "C10001"]) == 1
    assert "Nothing was erased" in capsys.readouterr().out
    with open_session() as session:
        assert session.get(Customer, 1).email == "ada.thornbury@example.com"


def test_erase_with_yes_erases_and_prints_the_receipt(shop_database, capsys):
    assert main(["data", "erase", "C10001", "--yes"]) == 0
    assert "Erased. Receipt ER-" in capsys.readouterr().out
    assert main(["data", "show", "C10001"]) == 2  # nobody by that number any more


@pytest.mark.parametrize("who", ["C99999", "nobody@example.com", "not a customer"])
def test_an_unknown_customer_is_a_one_line_error(shop_database, capsys, who):
    assert main(["data", "show", who]) == 2
    error = capsys.readouterr().err
    assert error.startswith("candor data: no customer") and error.count("\n") == 1


def test_purge_reports_what_it_deleted(shop_database, capsys):
    assert main(["purge"]) == 0
    assert capsys.readouterr().out.startswith("Retention purge: deleted 0 conversation(s)")
