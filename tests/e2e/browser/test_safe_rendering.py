"""Whatever a customer types or a person sends is shown as text: never markup, never code."""

from __future__ import annotations

import pytest

from tests.e2e.browser.conftest import ChatWidget

PAYLOADS = [
    '<img src=x onerror="window.__attacked = 1">',
    "<script>window.__attacked = 2</script>",
    '<a href="javascript:window.__attacked=3">click me</a>',
    "[click me](javascript:window.__attacked=4)",
    '"><svg onload="window.__attacked=5">',
]


def assert_nothing_was_injected_or_run(widget: ChatWidget) -> None:
    widget.page.wait_for_timeout(300)  # time for an injected handler to have run, if there were one
    injected = widget.page.evaluate(
        """() => document.querySelector('#candor-chat').shadowRoot
             .querySelectorAll('.log img, .log script, .log svg, .log a[href^="javascript"]').length"""
    )
    assert injected == 0
    assert widget.page.evaluate("() => window.__attacked") is None


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_typed_by_the_customer_appears_as_literal_text(open_widget, payload: str) -> None:
    widget: ChatWidget = open_widget()
    widget.open_by_keyboard()
    widget.send_and_wait(payload)

    assert payload in widget.texts()[-2]
    assert_nothing_was_injected_or_run(widget)


def test_markup_sent_by_a_person_from_the_team_appears_as_literal_text(open_widget) -> None:
    widget: ChatWidget = open_widget()
    widget.open_by_keyboard()
    widget.send_and_wait("I want to talk to a person")
    widget.agent_takes_over()
    for count, payload in enumerate(PAYLOADS, start=1):
        widget.agent_says(payload)
        widget.page.wait_for_function(
            "(count) => document.querySelector('#candor-chat').shadowRoot.querySelectorAll('.message.agent').length >= count",
            arg=count,
        )

    shown = widget.page.locator("#candor-chat .message.agent").all_inner_texts()
    assert [payload in text for payload, text in zip(PAYLOADS, shown)] == [True] * len(PAYLOADS)
    assert_nothing_was_injected_or_run(widget)


def test_links_come_only_from_the_assistants_own_answers_and_say_their_purpose(open_widget) -> None:
    widget: ChatWidget = open_widget()
    widget.open_by_keyboard()
    widget.send_and_wait("look at [my site](https://evil.example) please")
    assert widget.page.locator("#candor-chat .message.customer a").count() == 0
    # The assistant's own links are https only, open in a new tab, and say so.
    links = widget.page.locator("#candor-chat .message.bot a")
    for index in range(links.count()):
        link = links.nth(index)
        assert link.get_attribute("href").startswith(("https:", "mailto:"))
        assert link.get_attribute("rel") == "noopener noreferrer"
        assert "opens in a new tab" in link.inner_text()


def test_an_accent_colour_that_fails_contrast_is_refused_and_the_default_kept(open_widget) -> None:
    widget: ChatWidget = open_widget()
    page = widget.page
    warnings = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    # The same shop page, embedding the widget with a yellow that white text cannot be read on.
    page.route(
        "**/webhooks/web/shop-with-yellow",
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!doctype html><html lang="en"><head><title>Shop</title></head><body><main><h1>Shop</h1></main>'
            '<script src="/webhooks/web/widget.js" data-accent="#ffdd00" data-title="Shop help"></script></body></html>',
        ),
    )
    page.goto(f"{widget.candor.url}/webhooks/web/shop-with-yellow")
    page.locator("#candor-chat .launcher").wait_for(state="visible")
    accent = page.evaluate("() => document.querySelector('#candor-chat').style.getPropertyValue('--candor-accent')")
    assert accent.strip().lower() == "#1d5c3f"
    assert any("#ffdd00" in warning and "contrast" in warning for warning in warnings)
    widget.open_by_keyboard()
    assert page.locator("#candor-chat .title").inner_text() == "Shop help"
