"""The action server and the Rasa server, started together, checked, and stopped together.

`make run`, `make shell` and the end-to-end tests all start Candor through this module, so the
way the servers are launched in development is the way they are tested.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Dict, List, Optional

from bot.settings import PROJECT_ROOT

ENDPOINTS = PROJECT_ROOT / "bot" / "endpoints.yml"
CREDENTIALS = PROJECT_ROOT / "bot" / "credentials.yml"
# endpoints.yml points the Rasa server at the action server on this port.
ACTIONS_PORT = 5055
RASA_PORT = 5005
# `python -m bot.rasa_server` is Rasa's own command line with the action server's answers checked
# by a validator built once (bot/rasa_server.py); the action server is rasa-sdk's, through `rasa`.
RASA_SERVER = "bot.rasa_server"


class LaunchError(RuntimeError):
    """A server did not start; the message says which and why."""


@dataclass
class Launch:
    """What to start: which model, where, with which API token and environment."""

    model: Path
    api_token: str
    host: str = "127.0.0.1"
    rasa_port: int = RASA_PORT
    environment: Dict[str, str] = field(default_factory=dict)
    # Other web sites allowed to call the Rasa server from a browser (the web widget embedded in a
    # shop's own pages); the demo page is served by the assistant itself and needs none.
    cors_origins: List[str] = field(default_factory=list)
    # Where the servers' output goes: a folder for log files, or None for this terminal.
    log_dir: Optional[Path] = None
    # Rasa's endpoints and channels: Candor's own unless a caller (`candor bench --baseline`, which
    # runs the same model with Rasa's stock stores and channels) gives files of its own.
    endpoints: Path = ENDPOINTS
    credentials: Path = CREDENTIALS

    @property
    def rasa_url(self) -> str:
        return f"http://localhost:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://localhost:{ACTIONS_PORT}"


class Servers:
    """Both servers as one unit: `with Servers(launch) as servers: ...` starts and stops them."""

    def __init__(self, launch: Launch, with_rasa: bool = True) -> None:
        self.launch = launch
        # `rasa shell` runs its own Rasa server, so `make shell` starts only the action server.
        self.with_rasa = with_rasa
        self.processes: Dict[str, subprocess.Popen] = {}
        self._logs: List[IO[bytes]] = []

    def __enter__(self) -> "Servers":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self, timeout: float = 300.0) -> None:
        """Start the action server, then the Rasa server; return once both answer."""
        launch = self.launch
        ports = [("action server", ACTIONS_PORT)] + ([("Rasa server", launch.rasa_port)] if self.with_rasa else [])
        for name, port in ports:
            if _port_in_use(launch.host, port):
                raise LaunchError(
                    f"port {port} for the {name} is already in use (is `make run` already running?)"
                )
        try:
            self._spawn("actions", "rasa", ["run", "actions", "--actions", "actions", "--port", str(ACTIONS_PORT)])
            if self.with_rasa:
                self._spawn(
                    "rasa",
                    RASA_SERVER,
                    [
                        "run",
                        "--model", str(launch.model),
                        "--endpoints", str(launch.endpoints),
                        "--credentials", str(launch.credentials),
                        "--interface", launch.host,
                        "--port", str(launch.rasa_port),
                        "--enable-api",
                        "--auth-token", launch.api_token,
                        *(["--cors", *launch.cors_origins] if launch.cors_origins else []),
                    ],
                )
            deadline = time.monotonic() + timeout
            self._wait_until_up("actions", f"{launch.actions_url}/health", deadline)
            if self.with_rasa:
                self._wait_until_up("rasa", f"{launch.rasa_url}/", deadline)
        except BaseException:
            self.stop()
            raise

    def wait(self) -> str:
        """Block until one server exits; returns its name so the caller can say which."""
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    return name
            time.sleep(0.5)

    def stop(self, grace: float = 15.0) -> None:
        """Ask both servers to stop (Rasa first, so no action call is cut off), then insist."""
        for name in ("rasa", "actions"):
            process = self.processes.get(name)
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in self._logs:
            log.close()
        self._logs.clear()

    def _spawn(self, name: str, module: str, rasa_arguments: List[str]) -> None:
        # rasa-sdk binds to all interfaces unless told otherwise; the action server trusts what it
        # is sent, so it must only be reachable from the Rasa server on this machine.
        # The Rasa server's request guard checks the API token itself, in constant time.
        # The children inherit this environment (not read here: bot.settings reads it in each of them).
        environment = {**os.environ, "SANIC_HOST": self.launch.host, "CANDOR_API_TOKEN": self.launch.api_token, **self.launch.environment}
        output: Optional[IO[bytes]] = None
        if self.launch.log_dir is not None:
            self.launch.log_dir.mkdir(parents=True, exist_ok=True)
            output = open(self.launch.log_dir / f"{name}.log", "wb")
            self._logs.append(output)
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", module, *rasa_arguments],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            # Its own process group: Ctrl-C reaches Candor, which stops the servers in order.
            start_new_session=True,
        )

    def _wait_until_up(self, name: str, url: str, deadline: float) -> None:
        process = self.processes[name]
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise LaunchError(f"the {name} server exited with status {process.returncode} while starting{self._log_hint(name)}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        raise LaunchError(f"the {name} server did not answer at {url} in time{self._log_hint(name)}")

    def _log_hint(self, name: str) -> str:
        if self.launch.log_dir is None:
            return ""
        return f" (see {self.launch.log_dir / f'{name}.log'})"


def _port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0
