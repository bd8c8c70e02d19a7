"""`candor bench`: the workload, the figures and the runner, specified without starting a server.

The runner is driven through a fake transport (a function that answers, or fails, like the REST
channel would); the whole command is driven against a small local HTTP server that answers the
REST webhook, standing in for an assistant given with `--url`.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import islice
from pathlib import Path
from typing import Iterator, List

import pytest
import yaml

from bot.cli import main
from bot.cli.bench_figures import ALL, Sample, growth_medians, ratio_table, ratios, summarise
from bot.cli.bench_runner import Budget, Outcome, judged, run_growth, run_load
from bot.cli.bench_servers import GUARD, baseline_configuration, candor_configuration
from bot.launcher import CREDENTIALS, ENDPOINTS
from bot.cli.bench_workload import GROWTH_TURNS, KINDS, SCRIPTS, Turn, growth_turns, scripts_for

# ---- the workload ------------------------------------------------------------------------------


def test_every_kind_of_message_is_in_the_workload_and_every_message_says_something() -> None:
    turns = [turn for script in SCRIPTS for turn in script.turns]

    assert {turn.kind for turn in turns} == set(KINDS)
    assert all(turn.text.strip() for turn in turns + list(GROWTH_TURNS))
    assert {turn.kind for turn in GROWTH_TURNS} <= set(KINDS)


def test_orders_are_tracked_with_six_digit_numbers_from_the_seed_data() -> None:
    seed_orders = Path("data/seed/orders.yml").read_text(encoding="utf-8")
    numbers = [word.strip("?,.") for script in SCRIPTS for turn in script.turns if turn.kind == "order"
               for word in turn.text.split() if word.strip("?,.").isdigit()]

    assert numbers, "some order messages name an order"
    for number in numbers:
        assert len(number) == 6 and f"number: {number}" in seed_orders


def test_a_customers_conversations_depend_only_on_the_seed_and_the_customer() -> None:
    def names(customer: int, seed: int) -> List[str]:
        return [script.name for script in islice(scripts_for(customer, seed), 3 * len(SCRIPTS))]

    assert names(0, seed=7) == names(0, seed=7)
    assert names(0, seed=7) != names(0, seed=8) or names(1, seed=7) != names(1, seed=8)
    assert sorted(names(2, seed=7)[: len(SCRIPTS)]) == sorted(script.name for script in SCRIPTS), "each round has every script once"


def test_the_long_conversation_has_exactly_the_turns_asked_for() -> None:
    assert len(list(growth_turns(1000))) == 1000
    assert list(growth_turns(len(GROWTH_TURNS) + 1))[-1] == GROWTH_TURNS[0]


# ---- the figures -------------------------------------------------------------------------------


def test_percentiles_and_throughput_are_those_of_the_answered_messages() -> None:
    samples = [Sample("order", ms / 1000) for ms in range(1, 101)] + [Sample("why", 0.5)]
    samples.append(Sample("order", 30.0, answered=False, error="HTTP 500"))

    summary = summarise(samples, seconds=10.0)

    order = summary.figures["order"]
    assert (order.count, order.p50, order.p95, order.p99) == (100, 50.0, 95.0, 99.0)
    assert order.per_second == pytest.approx(10.0)
    assert summary.figures[ALL].count == 101 and summary.figures[ALL].per_second == pytest.approx(10.1)
    assert summary.figures[ALL].p99 == 100.0, "the failed request's 30 s is not a latency"
    assert (summary.errors, summary.reasons) == (1, {"HTTP 500": 1})


def test_kinds_are_listed_in_the_same_order_whatever_order_they_came_in() -> None:
    first = summarise([Sample("why", 0.1), Sample("order", 0.1), Sample("mode", 0.1)], seconds=1.0)
    second = summarise([Sample("mode", 0.1), Sample("why", 0.1), Sample("order", 0.1)], seconds=1.0)

    assert list(first.figures) == list(second.figures) == ["mode", "order", "why", ALL]


def test_candor_over_baseline_divides_each_figure_and_leaves_a_missing_baseline_blank() -> None:
    candor = summarise([Sample("order", 0.2), Sample("order", 0.4), Sample("why", 0.3)], seconds=1.0)
    baseline = summarise([Sample("order", 0.1), Sample("order", 0.2), Sample("why", 0.3, answered=False, error="HTTP 500")], seconds=1.0)

    table = ratios(candor, baseline)

    assert table["order"] == {"per_second": 1.0, "p50": 2.0, "p95": 2.0, "p99": 2.0}
    assert table["why"]["p50"] is None, "nothing to divide by: the baseline answered no why"
    assert table[ALL]["per_second"] == pytest.approx(1.5)
    lines = ratio_table(table)
    assert lines[-1].split()[0] == ALL and "2.00x" in next(line for line in lines if line.split()[0] == "order")


def test_growth_reports_the_median_around_each_turn_reached() -> None:
    latencies = [float(turn) for turn in range(1, 121)]  # turn n took n ms

    medians = growth_medians(latencies)

    assert medians == {10: 10.0, 50: 50.0, 100: 100.0}
    assert growth_medians([5.0, 1.0, 9.0], marks=(1, 3)) == {1: 5.0, 3: 5.0}


# ---- the runner --------------------------------------------------------------------------------


def test_customers_chat_at_once_and_each_waits_for_its_answer() -> None:
    in_hand, most, lock = 0, 0, threading.Lock()
    conversations: dict = {}

    def transport(sender: str, turn: Turn) -> Outcome:
        nonlocal in_hand, most
        with lock:
            assert sender not in conversations.get("busy", set()), "one message at a time per conversation"
            conversations.setdefault("busy", set()).add(sender)
            in_hand += 1
            most = max(most, in_hand)
        time.sleep(0.01)
        with lock:
            in_hand -= 1
            conversations["busy"].discard(sender)
            conversations.setdefault(sender, []).append(turn.text)
        return Outcome(True)

    samples, elapsed = run_load(transport, customers=4, budget=Budget(messages=40))

    assert len(samples) == 40 and most == 4
    first_script = {tuple(turn.text for turn in script.turns) for script in SCRIPTS}
    finished = [tuple(texts) for sender, texts in conversations.items() if sender != "busy" and len(texts) >= 5]
    assert finished and all(any(script[: len(texts)] == texts for script in first_script) for texts in finished), \
        "each conversation is one script, in order"


def test_errors_are_counted_with_their_reasons_and_the_run_goes_on() -> None:
    def transport(sender: str, turn: Turn) -> Outcome:
        return Outcome(False, "HTTP 503") if turn.kind == "handoff" else Outcome(True)

    samples, elapsed = run_load(transport, customers=2, budget=Budget(messages=60), seed=3)
    summary = summarise(samples, elapsed)

    handoffs = sum(1 for sample in samples if sample.kind == "handoff")
    assert handoffs > 0 and summary.errors == handoffs and summary.reasons == {"HTTP 503": handoffs}
    assert summary.figures["handoff"].count == 0 and summary.figures[ALL].count == 60 - handoffs


def test_a_run_for_a_time_stops_on_time() -> None:
    samples, elapsed = run_load(lambda sender, turn: (time.sleep(0.005), Outcome(True))[1], 3, Budget(seconds=0.3))

    assert samples and 0.3 <= elapsed < 1.0


def test_the_long_conversation_is_one_conversation_in_order() -> None:
    senders, texts = set(), []

    def transport(sender: str, turn: Turn) -> Outcome:
        senders.add(sender)
        texts.append(turn.text)
        return Outcome(True)

    assert len(run_growth(transport, 13)) == 13
    assert len(senders) == 1 and texts == [turn.text for turn in growth_turns(13)]


@pytest.mark.parametrize(
    "status, body, outcome",
    [
        (200, [{"text": "Your parcel is with Parcelwise."}], Outcome(True)),
        (200, [], Outcome(True, "no reply")),
        (200, [{"text": "Hello {name}"}], Outcome(True, "a reply with an unfilled placeholder")),
        (429, {"error": "slow down"}, Outcome(False, "HTTP 429")),
        (500, None, Outcome(False, "HTTP 500")),
    ],
)
def test_an_answer_is_a_list_of_replies_with_nothing_left_unfilled(status: int, body: object, outcome: Outcome) -> None:
    assert judged(status, body) == outcome


# ---- the two configurations ---------------------------------------------------------------------


def test_the_baseline_is_the_same_model_with_rasas_stock_store_nlg_and_rest_channel_and_no_broker(tmp_path: Path) -> None:
    configuration = baseline_configuration(tmp_path)
    launch = configuration.launch(Path("models/any.tar.gz"), tmp_path)
    endpoints = yaml.safe_load(launch.endpoints.read_text())

    assert endpoints["tracker_store"] == {"type": "SQL", "dialect": "sqlite", "db": str(tmp_path / "baseline" / "rasa-tracker.db")}
    assert endpoints["action_endpoint"] == yaml.safe_load(ENDPOINTS.read_text())["action_endpoint"], "the same action server"
    assert not {"nlg", "event_broker", "lock_store"} & set(endpoints)
    assert yaml.safe_load(launch.credentials.read_text()) == {"rest": None}


def test_candor_runs_as_configured_with_room_for_every_customer_and_nothing_in_the_shops_var(tmp_path: Path) -> None:
    configuration = candor_configuration(tmp_path, customers=25)
    launch = configuration.launch(Path("models/any.tar.gz"), tmp_path)
    credentials = yaml.safe_load(launch.credentials.read_text())

    assert launch.endpoints == ENDPOINTS
    assert set(credentials) == set(yaml.safe_load(CREDENTIALS.read_text())), "every channel Candor has"
    assert credentials[GUARD]["concurrent_requests"] >= 25
    environment = launch.environment
    assert environment["CANDOR_DATABASE_URL"] == f"sqlite:///{tmp_path / 'candor' / 'candor.db'}"
    assert environment["CANDOR_TRACKER_STORE_URL"] == environment["CANDOR_DATABASE_URL"]
    assert environment["CANDOR_VAR_DIR"].startswith(str(tmp_path)) and environment["CANDOR_SECRET_KEY"]


# ---- the command -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments, reason",
    [
        (["--customers", "0"], "--customers must be at least 1"),
        (["--seconds", "-5"], "--seconds must be a number of seconds more than 0"),
        (["--seconds", "inf"], "--seconds must be a number of seconds more than 0"),
        (["--messages", "0"], "--messages must be at least 1"),
        (["--growth", "1001"], "--growth takes a number of turns from 1 to 1000"),
        (["--url", "http://localhost:1", "--baseline"], "leave out --url"),
        (["--url", "localhost:5005"], "--url must start with http://"),
        (["--url", "http://127.0.0.1:1", "--messages", "1"], "nothing answers at http://127.0.0.1:1"),
    ],
)
def test_bad_input_is_refused_in_one_line_with_exit_status_2(arguments: list, reason: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["bench", *arguments]) == 2
    error = capsys.readouterr().err
    assert reason in error and len(error.strip().splitlines()) == 1 and "Traceback" not in error


class _Webhook(BaseHTTPRequestHandler):
    """Answers Rasa's REST webhook with one reply, and its root with 200, like a running assistant."""

    def do_GET(self) -> None:
        self._answer(b"Hello from Rasa")

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self._answer(json.dumps([{"recipient_id": "x", "text": "Noted."}]).encode())

    def _answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def assistant_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Webhook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_results_file_has_the_settings_and_each_kinds_figures(assistant_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "bench.json"

    assert main(["bench", "--url", assistant_url, "--messages", "30", "--customers", "3", "--out", str(out)]) == 0

    document = json.loads(out.read_text())
    assert document["kind"] == "candor-bench"
    assert {"started_at", "workload", "target", "customers", "seconds", "messages", "seed", "configurations"} <= set(document)
    assert (document["workload"], document["customers"], document["messages"]) == ("load", 3, 30)
    candor = document["configurations"]["candor"]
    assert {"seconds", "messages", "throughput", "errors", "error_reasons", "kinds", "overall"} <= set(candor)
    assert candor["messages"] == 30 and candor["errors"] == 0
    assert set(candor["kinds"]) <= set(KINDS) and {"count", "throughput", "p50_ms", "p95_ms", "p99_ms"} == set(candor["overall"])
    printed = capsys.readouterr().out
    assert "candor: 30 messages answered" in printed and "p99 ms" in printed


def test_growth_saves_the_median_at_each_turn_reached(assistant_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "growth.json"

    assert main(["bench", "--url", assistant_url, "--growth", "60", "--out", str(out)]) == 0

    candor = json.loads(out.read_text())["configurations"]["candor"]
    assert list(candor["median_ms_by_turn"]) == ["10", "50"] and len(candor["latencies_ms"]) == 60
    assert "turn    50" in capsys.readouterr().out
