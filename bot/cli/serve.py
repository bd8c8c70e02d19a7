"""`candor serve` and `candor shell`: run the assistant locally, and stop it cleanly on Ctrl-C."""

from __future__ import annotations

import argparse
import secrets
import signal
import subprocess
import sys
from pathlib import Path
from typing import List, NoReturn

from bot import model, settings
from bot.cli.errors import CommandError
from bot.launcher import CREDENTIALS, ENDPOINTS, RASA_SERVER, Launch, LaunchError, Servers
from bot.store.seed import init_database

TOKEN_FILE = settings.VAR_DIR / "api-token"
AGENT_TOKEN_FILE = settings.VAR_DIR / "agent-token"


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="run the action server and the Rasa server until Ctrl-C",
        description="Start the action server (port 5055) and the Rasa server (REST, socket.io and "
        "the HTTP API behind a token) with the model for the current training data.",
    )
    serve.add_argument("--port", type=int, default=settings.serve_port(),
                       help="Rasa server port (default: $CANDOR_PORT or 5005)")
    serve.add_argument("--host", default=settings.serve_host(),
                       help="interface to listen on (default: $CANDOR_HOST or 127.0.0.1, this machine only)")
    serve.set_defaults(run=run_serve)

    shell = subparsers.add_parser(
        "shell",
        help="chat with the assistant in this terminal",
        description="Start the action server, then `rasa shell` with the current model.",
    )
    shell.set_defaults(run=run_shell)


def current_model() -> Path:
    path = model.model_path()
    if not path.exists():
        raise CommandError("no model for the current training data; run `make train` first")
    return path


def api_token() -> str:
    """`CANDOR_API_TOKEN`, else a random token kept in var/api-token (readable only by you)."""
    return _token(settings.api_token(), TOKEN_FILE)


def agent_token() -> str:
    """`CANDOR_AGENT_TOKEN`, else a random token kept in var/agent-token (readable only by you)."""
    return _token(settings.agent_token(), AGENT_TOKEN_FILE)


def _token(given: str | None, file: Path) -> str:
    """The token the operator `given` (from the environment), else the one kept in `file` (made once)."""
    if given:
        return given
    if file.exists():
        return file.read_text().strip()
    file.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    file.touch(mode=0o600)
    file.write_text(token)
    return token


def widget_origins() -> List[str]:
    """`CANDOR_WIDGET_ORIGINS`: the shops' sites (space- or comma-separated) that embed the widget."""
    try:
        return settings.widget_origins()
    except ValueError as error:
        raise CommandError(str(error)) from None


def _stop_on_signals() -> None:
    """Ctrl-C (SIGINT) and SIGTERM both stop the servers in order, even when this process was
    started in the background, where a shell makes it ignore SIGINT."""

    def handler(signum: int, frame: object) -> NoReturn:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def run_serve(args: argparse.Namespace) -> int:
    launch = Launch(
        model=current_model(), api_token=api_token(), host=args.host, rasa_port=args.port,
        environment={"CANDOR_AGENT_TOKEN": agent_token()}, cors_origins=widget_origins(),
    )
    init_database()
    _stop_on_signals()
    print("Starting the action server and the Rasa server (this takes about half a minute)...", flush=True)
    try:
        with Servers(launch) as servers:
            print(_banner(launch), flush=True)
            stopped = servers.wait()
            raise CommandError(f"the {stopped} server stopped unexpectedly; see its output above")
    except LaunchError as error:
        raise CommandError(str(error)) from None
    except KeyboardInterrupt:
        print("\nStopped both servers. Goodbye.")
        return 0


def run_shell(args: argparse.Namespace) -> int:
    launch = Launch(model=current_model(), api_token=api_token())
    init_database()
    try:
        with Servers(launch, with_rasa=False):
            shell = subprocess.Popen(
                [sys.executable, "-m", RASA_SERVER, "shell", "--model", str(launch.model),
                 "--endpoints", str(ENDPOINTS), "--credentials", str(CREDENTIALS)],
                cwd=settings.PROJECT_ROOT,
            )
            # Ctrl-C belongs to the chat (which handles it); the action server stops when it ends.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            return shell.wait()
    except LaunchError as error:
        raise CommandError(str(error)) from None


def _banner(launch: Launch) -> str:
    url = launch.rasa_url
    token_source = "$CANDOR_API_TOKEN" if settings.api_token() else str(TOKEN_FILE.relative_to(settings.PROJECT_ROOT))
    agent_token_source = (
        "$CANDOR_AGENT_TOKEN" if settings.agent_token() else str(AGENT_TOKEN_FILE.relative_to(settings.PROJECT_ROOT))
    )
    return f"""
Candor is running. Stop it with Ctrl-C.

  Web chat (demo)    {url}/webhooks/web/   (the accessible widget; embed it with one script tag)
  Chat over REST     POST {url}/webhooks/rest/webhook   body: {{"sender": "you", "message": "hello"}}
                     (keep the first reply's Candor-Session-Secret header and send it with every later message)
  Chat over socket.io {url}/socket.io   (events: user_uttered, bot_uttered)
  HTTP API           {url}/status   (Authorization: Bearer <token in {token_source}>; an admin credential)
  Agent console      {url}/webhooks/agent/   (agent token in {agent_token_source})
  Action server      {launch.actions_url}/health

Try it:
  curl -si {url}/webhooks/rest/webhook -H 'Content-Type: application/json' -d '{{"sender": "me", "message": "hello"}}'
"""
