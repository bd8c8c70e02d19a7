"""axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation in any state, theme, mode or width."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from tests.e2e.browser.conftest import ChatWidget

# How the customer's browser is set: each of the widget's themes, the reader's preferences, and
# the narrowest screen WCAG's reflow criterion names.
SETTINGS: Dict[str, Dict[str, Any]] = {
    "light": {"color_scheme": "light"},
    "dark": {"color_scheme": "dark"},
    "high-contrast": {"contrast": "more"},
    "forced-colours": {"forced_colors": "active"},
    "reduced-motion": {"reduced_motion": "reduce"},
    "320px": {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True},
}


def states_of_a_conversation(widget: ChatWidget, name: str, mode: str = "standard") -> Dict[str, List[str]]:
    """Walk through every state the issue names; axe's violations in each, by state."""
    page = widget.page
    found: Dict[str, List[str]] = {}

    def check(state: str) -> None:
        found[state] = widget.axe_violations()
        widget.screenshot(f"axe-{name}-{state}")

    check("closed")
    widget.open_by_keyboard()
    check("open")
    if mode != "standard":
        widget.control({"plain": "Plain language", "screen_reader": "Screen-reader mode"}[mode]).click()
        assert widget.control({"plain": "Plain language", "screen_reader": "Screen-reader mode"}[mode]).get_attribute(
            "aria-pressed"
        ) == "true"
    widget.send_and_wait("how long does delivery take?")
    check("quick-replies-shown")
    with widget.answer():
        widget.in_transcript("Why?").last.click()
    page.locator("#candor-chat .message.explanation summary").click()
    check("explanation-open")
    with widget.answer():
        widget.control("Talk to a person").click()
    widget.agent_takes_over()
    widget.agent_says("Hello, Sam here from the team.")
    page.locator("#candor-chat .message.agent").wait_for()
    check("agent-joined")
    return found


@pytest.mark.parametrize("name", SETTINGS)
def test_no_wcag_violations_in_any_state(open_widget, name: str) -> None:
    widget: ChatWidget = open_widget(**SETTINGS[name])
    found = states_of_a_conversation(widget, name)
    assert {state: problems for state, problems in found.items() if problems} == {}
    assert widget.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", ["plain", "screen_reader"])
def test_no_wcag_violations_in_either_wording_mode(open_widget, mode: str) -> None:
    widget: ChatWidget = open_widget()
    found = states_of_a_conversation(widget, mode.replace("_", "-"), mode)
    assert {state: problems for state, problems in found.items() if problems} == {}


def test_the_wording_toggle_reaches_the_assistant_and_is_reflected(open_widget) -> None:
    widget: ChatWidget = open_widget()
    widget.open_by_keyboard()
    standard = widget.send_and_wait("how long does delivery take?")[-1]
    widget.control("Screen-reader mode").click()
    spoken = widget.send_and_wait("how long does delivery take?")[-1]
    assert 'Say 1 for "Check my order"' in spoken and 'Say 1 for' not in standard
    widget.control("Plain language").click()  # plain and screen reader rule each other out
    assert widget.control("Screen-reader mode").get_attribute("aria-pressed") == "false"
    plain = widget.send_and_wait("how long does delivery take?")[-1]
    assert plain != standard and "Tell me your order number" in plain


@pytest.mark.parametrize("width, text_size", [(320, "100%"), (320, "200%"), (1280, "400%")])
def test_the_chat_reflows_without_horizontal_scrolling(open_widget, width: int, text_size: str) -> None:
    widget: ChatWidget = open_widget(viewport={"width": width, "height": 640})
    widget.page.evaluate("(size) => { document.documentElement.style.fontSize = size; }", text_size)
    widget.open_by_keyboard()
    widget.send_and_wait("how long does delivery take? " + "averyveryverylongwordwithoutanyspaces" * 3)
    overflow = widget.page.evaluate(
        """() => {
          const root = document.querySelector('#candor-chat').shadowRoot;
          const wider = el => el.scrollWidth > el.clientWidth + 1;
          return {
            page: document.documentElement.scrollWidth > window.innerWidth,
            panel: wider(root.querySelector('.panel')),
            log: wider(root.querySelector('.log')),
            messages: [...root.querySelectorAll('.message')].filter(wider).length,
          };
        }"""
    )
    widget.screenshot(f"reflow-{width}px-text-{text_size.rstrip('%')}")
    assert overflow == {"page": False, "panel": False, "log": False, "messages": 0}


def test_every_control_is_at_least_24_by_24_px(open_widget) -> None:
    widget: ChatWidget = open_widget(viewport={"width": 320, "height": 640})
    widget.open_by_keyboard()
    widget.send_and_wait("how long does delivery take?")
    small = widget.page.evaluate(
        """() => [...document.querySelector('#candor-chat').shadowRoot.querySelectorAll('button, textarea, summary')]
             .filter(el => el.offsetParent !== null)
             .map(el => [el.textContent.trim(), el.getBoundingClientRect()])
             .filter(([, box]) => box.width < 24 || box.height < 24)
             .map(([name, box]) => name + ' ' + box.width + 'x' + box.height)"""
    )
    assert small == []


@pytest.mark.parametrize("reduced_motion, animated", [("reduce", False), ("no-preference", True)])
def test_the_typing_dots_move_only_for_readers_who_have_not_asked_for_less_motion(
    open_widget, reduced_motion: str, animated: bool
) -> None:
    widget: ChatWidget = open_widget(reduced_motion=reduced_motion)
    widget.open_by_keyboard()
    animation = widget.page.evaluate(
        """() => {
          const typing = document.querySelector('#candor-chat').shadowRoot.querySelector('.typing');
          typing.hidden = false;
          const name = getComputedStyle(typing.querySelector('.dot')).animationName;
          typing.hidden = true;
          return name;
        }"""
    )
    assert (animation != "none") is animated
