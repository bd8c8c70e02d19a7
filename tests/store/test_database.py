"""The shop database: safe to share between the Rasa and action servers, with UTC times."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, StatementError

from bot.store import (
    Customer,
    Handoff,
    OrderLine,
    cached_engine,
    create_schema,
    init_database,
    make_engine,
    open_session,
    request_handoff,
    waiting_handoff,
)


def handoff_count_in(session) -> int:
    return session.execute(select(func.count()).select_from(Handoff)).scalar_one()


def handoff_count(engine) -> int:
    with open_session(engine) as session:
        return handoff_count_in(session)


def test_a_missing_folder_for_the_sqlite_file_is_created(tmp_path):
    database = tmp_path / "not" / "yet" / "there" / "candor.db"

    engine = make_engine(f"sqlite:///{database}")
    create_schema(engine)
    engine.dispose()

    assert database.is_file()


def test_sqlite_is_opened_for_two_processes_writing_the_same_file(engine):
    with engine.connect() as connection:

        def pragma(name: str) -> object:
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") >= 1000
        assert pragma("foreign_keys") == 1


def test_two_writers_on_one_sqlite_file_both_succeed(tmp_path, now):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    rasa_server, action_server = make_engine(url), make_engine(url)
    create_schema(rasa_server)

    def ask_for_people(engine, prefix: str) -> None:
        for number in range(25):
            with open_session(engine) as session:
                # Read, then write, as actions do; neither side may see 'database is locked'.
                conversation = f"{prefix}-{number}"
                assert waiting_handoff(session, conversation) is None
                request_handoff(session, conversation, "Wants a person", now)

    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [
            pool.submit(ask_for_people, rasa_server, "rasa"),
            pool.submit(ask_for_people, action_server, "actions"),
        ]
        for job in jobs:
            job.result()

    assert handoff_count(rasa_server) == 50


def test_a_unit_of_work_is_not_interleaved_with_the_other_process(tmp_path, now):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    rasa_server, action_server = make_engine(url), make_engine(url)
    create_schema(rasa_server)

    def other_process_asks_for_a_person() -> None:
        with open_session(action_server) as session:
            request_handoff(session, "conv-b", "Wants a person", now)

    with ThreadPoolExecutor(max_workers=1) as pool:
        with open_session(rasa_server) as session:
            before = handoff_count_in(session)
            writer = pool.submit(other_process_asks_for_a_person)
            time.sleep(0.3)
            # The other process waits for this unit of work instead of writing in the middle of it.
            assert handoff_count_in(session) == before == 0
            assert not writer.done()
        writer.result()

    assert handoff_count(rasa_server) == 1


def test_a_unit_of_work_is_committed_when_it_succeeds(engine, now):
    with open_session(engine) as session:
        request_handoff(session, "conv-a", "Wants a person", now)

    assert handoff_count(engine) == 1


def test_a_unit_of_work_is_rolled_back_when_it_fails(engine, now):
    with pytest.raises(RuntimeError), open_session(engine) as session:
        request_handoff(session, "conv-a", "Wants a person", now)
        raise RuntimeError("the action crashed")

    assert handoff_count(engine) == 0


def test_results_stay_readable_after_the_unit_of_work(engine, now):
    with open_session(engine) as session:
        handoff = request_handoff(session, "conv-a", "Wants a person", now)

    assert handoff.reason == "Wants a person" and handoff.requested_at == now


def test_actions_reuse_one_engine_per_database_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'cached.db'}"

    with open_session(url) as first, open_session(url) as second:
        assert first.get_bind() is second.get_bind() is cached_engine(url)


def test_the_configured_database_is_used_by_default(tmp_path, monkeypatch, now):
    database = tmp_path / "configured" / "shop.db"
    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{database}")

    counts = init_database(now=now)
    with open_session() as session:
        customers = session.execute(select(func.count()).select_from(Customer)).scalar_one()

    assert database.is_file() and customers == counts["customers"] > 0


def test_times_come_back_timezone_aware_in_utc(engine):
    in_paris = datetime(2026, 3, 11, 11, 0, tzinfo=timezone(timedelta(hours=1)))
    with open_session(engine) as session:
        request_handoff(session, "conv-a", "Wants a person", in_paris)

    with open_session(engine) as session:
        stored = waiting_handoff(session, "conv-a").requested_at

    assert stored.tzinfo == timezone.utc
    assert stored == datetime(2026, 3, 11, 10, 0, tzinfo=timezone.utc)


def test_a_time_without_a_timezone_is_refused(engine):
    with pytest.raises(StatementError, match="timezone-aware"), open_session(engine) as session:
        request_handoff(session, "conv-a", "Wants a person", datetime(2026, 3, 11, 10, 0))


def test_sqlite_enforces_foreign_keys(engine):
    with pytest.raises(IntegrityError), open_session(engine) as session:
        session.add(OrderLine(order_id=999999, sku="NOT-A-SKU", quantity=1, unit_price_pence=100))
