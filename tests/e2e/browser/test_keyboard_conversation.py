"""A whole conversation with the keyboard alone, from the launcher to a person and back to the page."""

from __future__ import annotations

from tests.e2e.browser.conftest import WEBHOOK, ChatWidget
from bot.policy import current_policy


def test_a_keyboard_only_customer_holds_a_whole_conversation_and_reaches_a_person(open_widget) -> None:
    widget: ChatWidget = open_widget()
    page = widget.page
    widget.screenshot("01-closed")

    # The launcher is reached with Tab, named, and opens the chat with Enter; focus goes to the message box.
    launcher = widget.tab_to("Chat with us")
    assert launcher["tag"] == "button"
    page.keyboard.press("Enter")
    widget.wait_for_messages(1)
    assert widget.focused()["tag"] == "textarea"

    # Honest from the start: the header says what it is, and the AI disclosure is the first message.
    assert page.locator("#candor-chat .subtitle").inner_text() == "Automated assistant"
    assert widget.texts()[0].endswith(current_policy().notices.ai_disclosure.text.strip())
    widget.screenshot("02-open-with-disclosure")

    # Shift+Enter adds a line; Enter sends.
    page.keyboard.type("how long does")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("delivery take?")
    assert page.locator("#candor-chat textarea").input_value() == "how long does\ndelivery take?"
    with widget.answer():
        page.keyboard.press("Enter")
    customer, answer = widget.texts()[-2:]
    assert "delivery take?" in customer
    assert "working days" in answer
    widget.screenshot("03-mid-conversation-with-quick-reply")

    # The quick reply is a real button, reached by keyboard and pressed with Enter.
    widget.tab_to("Check my order", backwards=True)
    with widget.answer():
        page.keyboard.press("Enter")
    assert "order number" in widget.texts()[-1].lower()

    # "Why?" on the answer shows the explanation, in words and with its recorded grounds.
    widget.tab_to("Why?", backwards=True)
    with widget.answer():
        page.keyboard.press("Enter")
    explanation = page.locator("#candor-chat .message.explanation")
    assert "I asked for your order number because I need it to find the right order" in explanation.inner_text()
    explanation.locator("summary").focus()
    page.keyboard.press("Enter")  # opens the details: what the explanation is based on
    assert explanation.locator("details").get_attribute("open") is not None
    widget.screenshot("04-explanation-open")

    # "Talk to a person" is always in the same place, and works inside the order form.
    widget.tab_to("Talk to a person", backwards=True)
    with widget.answer():
        page.keyboard.press("Enter")
    assert "person" in widget.texts()[-1].lower()
    widget.screenshot("05-waiting-for-a-person")

    # A person joins: the widget says so without being asked, and their reply arrives without polling.
    widget.agent_takes_over("Sam")
    page.locator("#candor-chat .presence").wait_for(state="visible")
    assert page.locator("#candor-chat .presence").inner_text() == "Sam, a person from our team, is in this chat."
    widget.agent_says("Hello, I'm Sam. I can see your question about delivery.")
    page.locator("#candor-chat .message.agent").wait_for()
    assert "I'm Sam" in page.locator("#candor-chat .message.agent").inner_text()
    widget.screenshot("06-agent-joined")

    # The customer answers the person by keyboard, as before.
    page.locator("#candor-chat textarea").focus()
    with page.expect_response(WEBHOOK):
        widget.type_and_send("thank you Sam")  # for Sam: the assistant stays quiet
    assert "thank you Sam" in widget.texts()[-1]

    # The person hands back: the line under the title goes, and the assistant says it is back.
    widget.agent_hands_back("Sam")
    page.locator("#candor-chat .presence").wait_for(state="hidden")
    assert "automated assistant" in widget.texts()[-1]
    widget.screenshot("07-agent-left")

    # Escape closes the chat and puts focus back on the launcher.
    page.keyboard.press("Escape")
    assert page.locator("#candor-chat .panel").is_hidden()
    assert widget.focused()["name"] == "Chat with us"
    widget.screenshot("08-closed-again")
    assert widget.errors == []  # type: ignore[attr-defined]


def test_focus_is_always_visible_and_never_hidden_behind_the_widget(open_widget) -> None:
    widget: ChatWidget = open_widget(viewport={"width": 1280, "height": 720})
    widget.open_by_keyboard()
    widget.send_and_wait("how long does delivery take?")
    widget.page.locator("#candor-chat textarea").focus()
    seen = set()
    for key in ["Tab"] + ["Shift+Tab"] * 10:  # Send, then back up through the panel to its close button
        widget.page.keyboard.press(key)
        focused = widget.focused()
        seen.add(focused["name"])
        # Every control draws a focus indicator (an outline or a ring made of box shadows).
        assert focused["outline"] != "none" or focused["boxShadow"] != "none", focused
        # ... and is inside the window, not under the header, toolbar or message box.
        assert 0 <= focused["box"]["top"] and focused["box"]["bottom"] <= 720, focused
    assert {"Send", "Why?", "Check my order", "Screen-reader mode", "Plain language", "Report a wrong answer",
            "Talk to a person", "Close chat"} <= seen


def test_the_conversation_id_survives_a_reload_and_nothing_is_stored_before_the_first_message(open_widget) -> None:
    widget: ChatWidget = open_widget()
    page = widget.page
    widget.open_by_keyboard()
    assert page.context.cookies() == []
    assert page.evaluate("() => sessionStorage.length + localStorage.length") == 0

    widget.send_and_wait("hello")
    sender = widget.sender()
    assert page.context.cookies() == []  # no cookies, ever: the id lives in this tab's sessionStorage

    page.reload()
    page.locator("#candor-chat .launcher").wait_for(state="visible")
    widget.open_by_keyboard()
    assert "not shown again" in widget.texts()[-1]
    widget.send_and_wait("are you a robot?")
    assert widget.sender() == sender
    history = widget.candor.tracker(widget.conversation())
    assert [event["text"] for event in history["events"] if event["event"] == "user"][-2:] == ["hello", "are you a robot?"]


def test_why_on_an_older_answer_explains_that_answer(open_widget) -> None:
    widget: ChatWidget = open_widget()
    widget.open_by_keyboard()
    widget.send_and_wait("how long does delivery take?")
    widget.send_and_wait("are you a real person?")

    with widget.answer():
        widget.in_transcript("Why?").first.click()  # on the delivery answer, not the latest

    explanation = widget.messages.last.inner_text()
    assert "how long delivery takes" in explanation
    assert "whether I'm a person" not in explanation
    # Asked again, the same "Why?" takes the customer to the explanation instead of asking twice.
    widget.in_transcript("Why?").first.click()
    assert widget.focused()["className"].startswith("message bot explanation")
    assert widget.messages.count() == 7
