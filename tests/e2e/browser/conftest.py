"""The web widget in a real browser: Debian's Chromium, driven by Playwright, against a running Candor.

`make test` installs Chromium (`.ci/debian-packages`) and axe-core (`npm ci` in this folder);
Playwright's own browser downloads are never used. Screenshots of each state tested are saved
under `var/screenshots/widget/`, so a reviewer can see what the tests saw.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from bot import settings
from tests.running import Candor
from tests.e2e.test_agent_console import console

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = settings.VAR_DIR / "screenshots" / "widget"
# The WCAG 2.0, 2.1 and 2.2 rule sets at levels A and AA, as axe-core tags them.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# How long a reply from the assistant may take (the first one loads the model's pipeline).
REPLY_MS = 30_000
WEBHOOK = re.compile(r"/webhooks/web/webhook$")

# The element that has focus, looked up through the widget's shadow root, with its name.
DEEP_FOCUS = """() => {
  let focused = document.activeElement;
  while (focused && focused.shadowRoot && focused.shadowRoot.activeElement) focused = focused.shadowRoot.activeElement;
  if (!focused) return null;
  const box = focused.getBoundingClientRect();
  const named = focused.cloneNode(true);
  named.querySelectorAll('[aria-hidden="true"]').forEach(hidden => hidden.remove());
  return {
    tag: focused.tagName.toLowerCase(),
    name: (focused.getAttribute('aria-label') || named.textContent || '').trim(),
    className: focused.className || '',
    outline: getComputedStyle(focused).outlineStyle,
    boxShadow: getComputedStyle(focused).boxShadow,
    box: {top: box.top, bottom: box.bottom, left: box.left, right: box.right},
  };
}"""


# Package scope: Playwright's synchronous API runs an event loop on this thread while it is open,
# and the tests after these ones start loops of their own (asyncio.run), which it would refuse.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium package")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True)
        yield chromium
        chromium.close()


@dataclass
class ChatWidget:
    """The widget on the demo page, used the way a customer would use it."""

    page: Page
    candor: Candor

    # ------------------------------------------------------------ finding things

    @property
    def messages(self):
        return self.page.locator("#candor-chat .log > .message")

    def texts(self) -> List[str]:
        return [text.strip() for text in self.messages.all_inner_texts()]

    def control(self, name: str):
        """One of the controls always in the same place, above the transcript."""
        return self.page.get_by_role("group", name="Chat options").get_by_role("button", name=name, exact=True)

    def in_transcript(self, name: str):
        """Buttons in the transcript: quick replies and "Why?"."""
        return self.page.get_by_role("log", name="Conversation").get_by_role("button", name=name, exact=True)

    def focused(self) -> Optional[Dict[str, Any]]:
        return self.page.evaluate(DEEP_FOCUS)

    def sender(self) -> str:
        saved = self.page.evaluate(
            "() => Object.keys(sessionStorage).filter(key => key.startsWith('candor-web-chat:')).map(key => sessionStorage.getItem(key))"
        )
        assert len(saved) == 1, saved
        return json.loads(saved[0])["sender"]

    def conversation(self) -> str:
        """The assistant's id for this widget's conversation, as the agent console names it."""
        return self.candor.conversation_id("web", self.sender())

    # ------------------------------------------------------------ doing things by keyboard

    def tab_to(self, name: str, backwards: bool = False, limit: int = 60) -> Dict[str, Any]:
        """Press Tab (or Shift+Tab) until the control called `name` (and maybe more: "(1 new)") has focus."""
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(limit):
            self.page.keyboard.press(key)
            focused = self.focused()
            if focused and focused["name"].startswith(name):
                return focused
        raise AssertionError(f'"{name}" could not be reached with {key} in {limit} presses')

    def type_and_send(self, text: str) -> None:
        """Type into the message box (which must have focus) and press Enter."""
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")

    def open_by_keyboard(self) -> None:
        self.tab_to("Chat with us")
        self.page.keyboard.press("Enter")
        self.wait_for_messages(1)

    # ------------------------------------------------------------ waiting

    def wait_for_messages(self, count: int) -> None:
        """Until the transcript holds at least `count` messages and nothing is on its way."""
        self.page.wait_for_function(
            """(count) => {
              const host = document.querySelector('#candor-chat');
              if (!host) return false;
              const root = host.shadowRoot;
              return root.querySelectorAll('.log > .message').length >= count && root.querySelector('.typing').hidden;
            }""",
            arg=count,
            timeout=REPLY_MS,
        )

    @contextmanager
    def answer(self) -> Iterator[None]:
        """Wait until what is done inside has been answered by the assistant, and the answer shown."""
        before = self.messages.count()
        with self.page.expect_response(WEBHOOK, timeout=REPLY_MS):
            yield
        self.wait_for_messages(before + 2)  # the customer's message and at least one reply

    def send_and_wait(self, text: str) -> List[str]:
        """Send `text` from the message box; wait for the assistant's answer; the new messages' texts."""
        before = self.messages.count()
        with self.answer():
            self.page.locator("#candor-chat textarea").focus()
            self.type_and_send(text)
        return self.texts()[before:]

    # ------------------------------------------------------------ a person from the team

    def agent_takes_over(self, agent: str = "Sam") -> None:
        assert console(self.candor, "POST", f"/conversations/{self.conversation()}/take", agent=agent).status_code == 200

    def agent_says(self, text: str, agent: str = "Sam") -> None:
        sent = console(self.candor, "POST", f"/conversations/{self.conversation()}/reply", agent=agent, json={"text": text})
        assert sent.status_code == 200, sent.text
        assert sent.json() == {"delivery": "pushed"}  # through the widget's open event stream

    def agent_hands_back(self, agent: str = "Sam") -> None:
        assert console(self.candor, "POST", f"/conversations/{self.conversation()}/hand-back", agent=agent).status_code == 200

    # ------------------------------------------------------------ checking

    def axe_violations(self) -> List[str]:
        """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the whole page, one line each."""
        if not AXE.exists():
            pytest.fail(f"{AXE} is missing: run `make test`, which runs `npm ci` in {AXE.parents[2]}")
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            # Evaluated by the browser's debugging protocol, which the demo page's CSP does not restrict.
            self.page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = self.page.evaluate(
            """async (tags) => {
              const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
              return results.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
                v.nodes.map(n => JSON.stringify(n.target)).join(', '));
            }""",
            WCAG_AA,
        )
        return violations

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        # Let a smooth scroll to the newest message finish, so the picture shows what a reader sees.
        self.page.wait_for_function(
            """() => new Promise(settled => {
                 const log = document.querySelector('#candor-chat').shadowRoot.querySelector('.log');
                 let last = log.scrollTop;
                 const check = () => (log.scrollTop === last ? settled(true) : (last = log.scrollTop, setTimeout(check, 100)));
                 setTimeout(check, 100);
               })"""
        )
        self.page.screenshot(path=str(path), full_page=False)
        return path


@pytest.fixture
def open_widget(browser: Browser, candor: Candor) -> Iterator[Callable[..., ChatWidget]]:
    """`open_widget(**context_options)`: a fresh browser context on the demo page (nothing stored)."""
    contexts: List[BrowserContext] = []

    def opening(**options: Any) -> ChatWidget:
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        errors: List[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{candor.url}/webhooks/web/")
        page.wait_for_selector("#candor-chat:not([hidden])", state="attached")
        page.locator("#candor-chat .launcher").wait_for(state="visible")
        widget = ChatWidget(page, candor)
        widget.errors = errors  # type: ignore[attr-defined]
        return widget

    yield opening
    for context in contexts:
        context.close()
