"""When the assistant cannot be reached, the widget says so honestly, and never passes for a person."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.e2e.browser.conftest import ChatWidget
from tests.running import Candor


def test_a_widget_that_cannot_reach_the_assistant_says_so_and_still_calls_itself_automated(
    browser: Browser, candor: Candor
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.route("**/webhooks/web/notice", lambda route: route.abort())  # the network is down
        page.goto(f"{candor.url}/webhooks/web/")
        page.locator("#candor-chat .launcher").wait_for(state="visible")
        widget = ChatWidget(page, candor)

        widget.open_by_keyboard()
        widget.wait_for_messages(1)

        assert page.locator("#candor-chat .subtitle").inner_text() == "Automated assistant"
        assert "could not reach the assistant" in widget.texts()[0]
    finally:
        context.close()
