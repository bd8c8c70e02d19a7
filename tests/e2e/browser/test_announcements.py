"""What a screen reader is given to say: each new message once, status changes politely, never a re-read."""

from __future__ import annotations

import time

from tests.e2e.browser.conftest import ChatWidget

# Records every change a screen reader could pick up: nodes added to or removed from the log, text
# changed inside messages already there, and each thing the status region said.
OBSERVE = """() => {
  const root = document.querySelector('#candor-chat').shadowRoot;
  const log = root.querySelector('[role="log"]');
  const status = root.querySelector('.panel [role="status"]');
  window.__heard = {added: [], removed: 0, changedInside: 0, said: []};
  new MutationObserver(records => records.forEach(record => {
    if (record.target === log) {
      record.addedNodes.forEach(node => window.__heard.added.push(node.textContent.trim()));
      window.__heard.removed += record.removedNodes.length;
    } else {
      window.__heard.changedInside += 1;
    }
  })).observe(log, {childList: true, subtree: true, characterData: true});
  new MutationObserver(() => window.__heard.said.push(status.textContent))
    .observe(status, {childList: true, subtree: true, characterData: true});
}"""


def heard(widget: ChatWidget) -> dict:
    return widget.page.evaluate("() => window.__heard")


def test_five_messages_make_exactly_five_announcements_not_a_reread_of_the_transcript(open_widget) -> None:
    widget: ChatWidget = open_widget()
    widget.open_by_keyboard()  # the disclosure is already in the log before observing starts
    widget.page.evaluate(OBSERVE)

    widget.send_and_wait("hello")  # 2 messages: the customer's and the greeting
    widget.send_and_wait("are you a real person?")  # 2 more
    widget.page.locator("#candor-chat textarea").focus()
    widget.type_and_send("thanks")  # the fifth: the customer's own
    widget.wait_for_messages(6)
    widget.page.route("**/webhooks/web/webhook", lambda route: route.abort())  # nothing more arrives
    time.sleep(1)

    log = heard(widget)
    assert len(log["added"]) >= 5
    first_five = log["added"][:5]
    assert [text.startswith("You") for text in first_five] == [True, False, True, False, True]
    assert "not a person" in first_five[3]
    assert log["removed"] == 0  # nothing is taken out and put back
    assert log["changedInside"] == 0  # no message already announced is touched
    # Each message was added once: the transcript holds exactly the messages added, plus the disclosure.
    assert len(widget.texts()) == 1 + len(log["added"])


def test_typing_and_a_person_joining_are_announced_politely_in_the_status_region(open_widget) -> None:
    widget: ChatWidget = open_widget()
    page = widget.page
    widget.open_by_keyboard()
    status = page.locator("#candor-chat .panel [role='status']")
    assert status.get_attribute("aria-live") in (None, "polite")  # role=status is polite by definition
    page.evaluate(OBSERVE)

    # A slow answer shows the typing indicator and says so once.
    def slowly(route) -> None:
        time.sleep(1.2)
        route.continue_()

    page.route("**/webhooks/web/webhook", slowly)
    widget.send_and_wait("I want to talk to a person")
    page.unroute("**/webhooks/web/webhook")
    assert heard(widget)["said"].count("The assistant is typing.") == 1

    # A person joining comes as one message in the log; the header line says who is there.
    widget.agent_takes_over("Priya")
    page.locator("#candor-chat .presence").wait_for(state="visible")
    joined = [text for text in heard(widget)["added"] if "Priya" in text]
    assert len(joined) == 1 and "has joined the chat" in joined[0]


def test_a_pushed_message_while_the_chat_is_closed_shows_on_the_launcher(open_widget) -> None:
    widget: ChatWidget = open_widget()
    widget.open_by_keyboard()
    widget.send_and_wait("I want to talk to a person")
    widget.page.keyboard.press("Escape")
    widget.agent_takes_over("Sam")
    widget.agent_says("Are you still there?")
    launcher = widget.page.locator("#candor-chat .launcher")
    # Two messages arrived while it was closed: the notice that Sam joined, and Sam's question.
    widget.page.wait_for_function(
        "() => document.querySelector('#candor-chat').shadowRoot.querySelector('.launcher').textContent.includes('(2 new)')"
    )
    assert launcher.inner_text() == "Chat with us (2 new)"
    outside_the_panel = widget.page.locator("#candor-chat p.visually-hidden[role='status']")
    assert outside_the_panel.text_content() == "New message from Sam. Open the chat to read it."
    widget.open_by_keyboard()
    assert "Are you still there?" in widget.texts()[-1]
