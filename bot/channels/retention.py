"""Runs the retention purge inside the Rasa server, on the schedule `policy.yml` sets.

Rasa adds routes and listeners to its server only through input channels, so the schedule is
one: listed in `credentials.yml`, it starts the purge when the server starts and stops it with
the server. It accepts no messages; `GET /webhooks/retention/` says when it last ran.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.privacy.retention import PurgeSchedule


class RetentionChannel(InputChannel):
    """Not a way to talk to the assistant: the server's retention schedule."""

    @classmethod
    def name(cls) -> Text:
        return "retention"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        schedule = PurgeSchedule()
        blueprint = Blueprint("candor_retention", __name__)

        @blueprint.listener("after_server_start")
        async def start(_app: Any, _loop: Optional[asyncio.AbstractEventLoop] = None) -> None:
            schedule.start()

        @blueprint.listener("before_server_stop")
        async def stop(_app: Any, _loop: Optional[asyncio.AbstractEventLoop] = None) -> None:
            await schedule.stop()

        @blueprint.route("/", methods=["GET"])
        async def status(_request: Request) -> HTTPResponse:
            return response.json(schedule.status())

        return blueprint
