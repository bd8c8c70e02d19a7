"""`candor bench`: what Candor's layers cost a customer, measured against the same model without them.

Simulated customers (`--customers`, each waiting for its answer before the next message) go
through short conversations written for the demo shop (`bot/cli/bench_workload.py`): tracking
an order, signing in, "why?", asking for a person and carrying on, switching wording mode. The
command prints throughput and p50, p95 and p99 latency per kind of message and overall, and the
errors. With `--baseline` it runs the same messages, in the same run, against the same model with
Rasa's stock tracker store, NLG and REST channel and no audit broker, and prints Candor ÷ baseline.
With `--growth N` it drives one conversation to N turns instead and prints the median latency
around turns 10, 50, 100, 300 and 1,000. Results are saved to var/bench/<time>.json.

It starts the action server and the Rasa server itself (ports 5055 and 5005 must be free), with
databases in a temporary folder, or measures running servers given with `--url`.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from bot import settings
from bot.audit.report_bench import KIND
from bot.cli.bench_figures import Sample, Summary, growth_medians, growth_table, load_table, ratio_table, ratios, summarise
from bot.cli.bench_runner import Budget, RestTransport, Transport, run_growth, run_load
from bot.cli.bench_servers import BASELINE, CANDOR, Configuration, baseline_configuration, candor_configuration
from bot.cli.bench_workload import SCRIPTS, Turn
from bot.cli.errors import CommandError

DEFAULT_SECONDS = 30.0
MAX_GROWTH_TURNS = 1000
# One conversation opening per configuration before timing: the first message a server handles
# loads what it loads lazily, which is not what a customer waits for on a warm server.
WARM_UP_TURNS = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench", help="throughput and latency of a mixed chat workload, against stock Rasa with --baseline",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--customers", type=int, default=10, help="customers chatting at once (default 10)")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--seconds", type=float, help=f"how long each configuration runs (default {DEFAULT_SECONDS:g})")
    length.add_argument("--messages", type=int, help="how many messages each configuration is sent")
    parser.add_argument("--baseline", action="store_true", help="also run the same model with Rasa's stock parts, and compare")
    parser.add_argument("--growth", type=int, nargs="?", const=300, metavar="N",
                        help=f"drive one conversation to N turns instead (default 300, at most {MAX_GROWTH_TURNS})")
    parser.add_argument("--url", help="measure an assistant already running here (no servers are started)")
    parser.add_argument("--seed", type=int, default=0, help="which order the customers take their conversations in")
    parser.add_argument("--out", type=Path, help="where to save the results (default var/bench/<time>.json)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    check_arguments(args)
    started_at = datetime.now(timezone.utc)
    measure = _measure_growth(args) if args.growth is not None else _measure_load(args)
    if args.url:
        reachable(args.url)
        results = {CANDOR: measure(RestTransport(args.url))}
    else:
        results = measure_started_servers(args, measure)
    document = results_document(args, started_at, results)
    out = args.out or settings.VAR_DIR / "bench" / f"{started_at:%Y%m%dT%H%M%SZ}.json"
    write_results(out, document)
    print(f"saved to {out}")
    return 0


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse nonsense before anything is started, with what to give instead."""
    if args.customers < 1:
        raise CommandError("--customers must be at least 1")
    if args.seconds is not None and not 0 < args.seconds < math.inf:
        raise CommandError("--seconds must be a number of seconds more than 0")
    if args.messages is not None and args.messages < 1:
        raise CommandError("--messages must be at least 1")
    if args.growth is not None and not 1 <= args.growth <= MAX_GROWTH_TURNS:
        raise CommandError(f"--growth takes a number of turns from 1 to {MAX_GROWTH_TURNS}")
    if args.url and args.baseline:
        raise CommandError("--baseline starts both assistants itself; leave out --url")
    if args.url and not args.url.startswith(("http://", "https://")):
        raise CommandError(f"--url must start with http:// or https://, not {args.url!r}")


def reachable(url: str) -> None:
    """Fail with one line if nothing answers at `url`."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/", timeout=5):
            return
    except urllib.error.HTTPError:
        return  # something answered
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise CommandError(f"nothing answers at {url} ({reason}); start Candor with `candor serve` or leave out --url") from None


def measure_started_servers(args: argparse.Namespace, measure: Callable[[Transport], Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    """Start each configuration in turn (the ports are fixed), measure it, stop it."""
    from bot.launcher import LaunchError, Servers
    from bot.model import model_path

    model = model_path()
    if not model.exists():
        raise CommandError("no model for the current training data; run `candor train` first")
    results = {}
    with tempfile.TemporaryDirectory(prefix="candor-bench-") as temporary:
        folder = Path(temporary)
        configurations: List[Configuration] = [candor_configuration(folder, args.customers)]
        if args.baseline:
            configurations.append(baseline_configuration(folder))
        for configuration in configurations:
            launch = configuration.launch(model, folder)
            print(f"starting {configuration.name} (about half a minute)...", file=sys.stderr, flush=True)
            try:
                with Servers(launch):
                    transport = RestTransport(launch.rasa_url)
                    for turn in _warm_up_turns():
                        transport("bench-warm-up", turn)
                    results[configuration.name] = measure(transport)
            except LaunchError as error:
                raise CommandError(f"{configuration.name}: {error}") from None
    return results


def _measure_load(args: argparse.Namespace) -> Callable[[Transport], Dict[str, Any]]:
    seconds = args.seconds if args.seconds is not None or args.messages is not None else DEFAULT_SECONDS

    def measure(transport: Transport) -> Dict[str, Any]:
        with _progress(args.messages, "messages") as progress:
            samples, elapsed = run_load(
                transport, args.customers, Budget(seconds=seconds, messages=args.messages), args.seed,
                on_sample=lambda sample: progress.update(1),
            )
        return {"summary": summarise(samples, elapsed)}

    return measure


def _measure_growth(args: argparse.Namespace) -> Callable[[Transport], Dict[str, Any]]:
    def measure(transport: Transport) -> Dict[str, Any]:
        with _progress(args.growth, "turns") as progress:
            samples = run_growth(transport, args.growth, on_sample=lambda sample: progress.update(1))
        return {"growth": samples}

    return measure


def results_document(args: argparse.Namespace, started_at: datetime, results: Dict[str, Dict[str, Any]]) -> Dict[str, Any]:
    """Print the tables, and return what is saved: the settings, and each configuration's figures."""
    document: Dict[str, Any] = {
        "kind": KIND,
        "started_at": started_at.isoformat(timespec="seconds"),
        "workload": "growth" if args.growth is not None else "load",
        "target": args.url or "started",
        "customers": args.customers, "seconds": args.seconds, "messages": args.messages,
        "growth_turns": args.growth, "seed": args.seed, "configurations": {},
    }
    if args.growth is not None:
        for name, result in results.items():
            samples: List[Sample] = result["growth"]
            medians = growth_medians([sample.seconds * 1000 for sample in samples])
            errors = [sample.error for sample in samples if sample.error]
            print("\n".join(growth_table(name, medians)) + (f"\n  {len(errors)} errors, first: {errors[0]}" if errors else ""))
            document["configurations"][name] = {
                "median_ms_by_turn": {str(mark): round(ms, 1) for mark, ms in medians.items()},
                "latencies_ms": [round(sample.seconds * 1000, 1) for sample in samples], "errors": len(errors),
            }
        return document
    summaries: Dict[str, Summary] = {name: result["summary"] for name, result in results.items()}
    for name, summary in summaries.items():
        print("\n".join(load_table(name, summary)))
        document["configurations"][name] = summary.as_json()
    if BASELINE in summaries:
        table = ratios(summaries[CANDOR], summaries[BASELINE])
        print("\n".join(ratio_table(table)))
        document["candor_over_baseline"] = {
            kind: {name: None if value is None else round(value, 3) for name, value in row.items()} for kind, row in table.items()
        }
    return document


def write_results(out: Path, document: Dict[str, Any]) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror}; give another file with --out") from None


def _warm_up_turns() -> List[Turn]:
    return list(SCRIPTS[0].turns[:WARM_UP_TURNS])


def _progress(total: Optional[int], unit: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit=f" {unit}", file=sys.stderr, leave=False, dynamic_ncols=True)
