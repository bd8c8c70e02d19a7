"""The widget's files, read as text: safe rendering, readable colours in every theme, calm motion,
targets big enough to hit, and the same words for things as the assistant uses.

What needs a browser (focus, announcements, reflow at 320 px) is for the browser tests; these catch
the mistakes that can be seen in the files themselves.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from accessibility.modes import Mode
from bot.nlg import domain_responses

WEB = Path(__file__).resolve().parents[2] / "accessibility" / "web"
SCRIPT = (WEB / "widget.js").read_text(encoding="utf-8")
STYLES = (WEB / "widget.css").read_text(encoding="utf-8")
DEMO = (WEB / "demo.html").read_text(encoding="utf-8")


def code_without_comments(source: str) -> str:
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL)
    return re.sub(r"(?m)^\s*//.*$|\s//\s.*$", "", source)


def js_constant(name: str) -> str:
    match = re.search(rf"var {name} = '([^']*)';", SCRIPT)
    assert match, f"widget.js has no constant {name}"
    return match.group(1)


# ------------------------------------------------------------------ safe rendering


@pytest.mark.parametrize(
    "what, pattern",
    [
        ("innerHTML", r"\binnerHTML\b"),
        ("outerHTML", r"\bouterHTML\b"),
        ("insertAdjacentHTML", r"\binsertAdjacentHTML\b"),
        ("document.write", r"\bdocument\s*\.\s*write"),
        ("eval", r"\beval\s*\("),
        ("new Function", r"\bnew\s+Function\b"),
        ("a timer running a string of code", r"\bset(Timeout|Interval)\s*\(\s*['\"`]"),
        ("an event handler attribute", r"setAttribute\(\s*['\"]on"),
        ("an HTML parser", r"\b(DOMParser|createContextualFragment|srcdoc)\b"),
        ("a style attribute built from data", r"setAttribute\(\s*['\"]style"),
    ],
)
def test_the_widget_never_turns_text_into_markup_or_code(what: str, pattern: str) -> None:
    assert not re.search(pattern, code_without_comments(SCRIPT)), f"widget.js uses {what}"


def test_the_widget_sets_text_only_as_text() -> None:
    assert "textContent" in SCRIPT
    # Links are made only where the assistant's own words are laid out, and only to https or mailto.
    assert re.search(r"url\.protocol === 'https:' \|\| url\.protocol === 'mailto:'", SCRIPT)


def test_no_third_party_code_is_loaded() -> None:
    code = code_without_comments(SCRIPT)
    assert not re.search(r"\b(import\s*\(|require\s*\(|importScripts)", code)
    assert re.findall(r"<script\b[^>]*>", DEMO) == [
        '<script src="/webhooks/web/widget.js" data-title="Fernleaf Home help" data-accent="#1d5c3f" defer>'
    ]


def test_the_demo_page_runs_under_its_content_security_policy() -> None:
    # No inline script, style or event handler: the page's policy would block them.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", DEMO)
    assert "<style" not in DEMO
    assert not re.search(r"\sstyle=|\son\w+=", DEMO)


# ------------------------------------------------------------------ colours


def luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[at:at + 2], 16) / 255 for at in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def theme_blocks() -> List[Tuple[str, Dict[str, str]]]:
    """(theme, its custom properties) for every block marked `/* theme: NAME ... */` in widget.css."""
    blocks = re.findall(r"/\* theme: ([\w-]+)[^*]*\*/\s*[^{]+\{([^}]*)\}", STYLES)
    return [(name, dict(re.findall(r"(--candor-[\w-]+):\s*([^;]+);", body))) for name, body in blocks]


def themes() -> Dict[str, Dict[str, str]]:
    """Every theme's colours, resolved: the light theme is the base the others override."""
    blocks = theme_blocks()
    base = dict(blocks[0][1])
    resolved = {}
    for name, tokens in blocks:
        merged = {**base, **tokens}
        resolved[name] = {key: _resolve(value, merged) for key, value in merged.items()}
    return resolved


def _resolve(value: str, tokens: Dict[str, str]) -> str:
    while value.startswith("var("):
        value = tokens[value[4:-1].strip()]
    return value.strip()


TEXT_ON_BACKGROUND = [
    ("text", "bg"), ("muted", "bg"), ("error", "bg"), ("bot-text", "bot-bg"), ("link", "bot-bg"),
    ("control-text", "control-bg"), ("header-text", "header-bg"), ("customer-text", "customer-bg"),
    ("pressed-text", "pressed-bg"),
]
THEMES = ["light", "dark", "high-contrast"]


def test_the_css_declares_each_theme_once_and_the_script_resolves_auto_to_one_of_them() -> None:
    assert sorted(name for name, _ in theme_blocks()) == sorted(THEMES)
    # The reader's system settings choose among the same themes: no second copy of any colours.
    assert "prefers-color-scheme" not in STYLES and "prefers-contrast" not in STYLES
    assert "'(prefers-contrast: more)', '(prefers-color-scheme: dark)'" in SCRIPT


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("foreground, background", TEXT_ON_BACKGROUND)
def test_text_is_readable_in_every_theme(theme: str, foreground: str, background: str) -> None:
    colours = themes()[theme]
    ratio = contrast(colours[f"--candor-{foreground}"], colours[f"--candor-{background}"])
    assert ratio >= 4.5, f"{theme}: {foreground} on {background} is {ratio:.2f}:1"


@pytest.mark.parametrize("theme", THEMES)
def test_borders_and_focus_rings_stand_out_in_every_theme(theme: str) -> None:
    colours = themes()[theme]
    assert contrast(colours["--candor-border"], colours["--candor-bg"]) >= 3
    for background in ("bg", "bot-bg", "control-bg", "header-bg", "customer-bg"):
        ring = max(contrast(colours[f"--candor-focus-{part}"], colours[f"--candor-{background}"]) for part in ("inner", "outer"))
        assert ring >= 3, f"{theme}: the focus ring is lost on {background}"


@pytest.mark.parametrize("theme", THEMES)
def test_a_message_filled_with_the_panels_own_colour_still_shows_its_edge(theme: str) -> None:
    colours = themes()[theme]
    for fill in ("bot-bg", "customer-bg", "header-bg"):
        if colours[f"--candor-{fill}"] == colours["--candor-bg"]:
            assert contrast(colours["--candor-edge"], colours["--candor-bg"]) >= 3, f"{theme}: {fill} has no edge"


def test_the_default_accent_is_the_same_in_the_script_and_the_styles_and_passes() -> None:
    accent = js_constant("DEFAULT_ACCENT")
    assert themes()["light"]["--candor-accent"] == accent
    assert contrast(accent, js_constant("ON_ACCENT")) >= 4.5
    assert re.search(r"var MIN_TEXT_CONTRAST = 4\.5;", SCRIPT)


# ------------------------------------------------------------------ motion and size


def media_block(query: str) -> str:
    start = STYLES.index(f"@media {query}")
    depth, at = 0, STYLES.index("{", start)
    for at in range(at, len(STYLES)):
        depth += {"{": 1, "}": -1}.get(STYLES[at], 0)
        if depth == 0:
            break
    return STYLES[start:at + 1]


def test_things_move_only_for_readers_who_have_not_asked_for_less_motion() -> None:
    calm = media_block("(prefers-reduced-motion: no-preference)")
    elsewhere = STYLES.replace(calm, "")
    assert "animation:" in calm
    assert not re.search(r"\b(animation|transition)(-name)?\s*:|scroll-behavior:\s*smooth", elsewhere)
    assert "prefers-reduced-motion: reduce" in SCRIPT  # scrolling to a new message is instant too


def rule(selector: str) -> str:
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", STYLES, flags=re.DOTALL)):
        if selector in [part.strip() for part in selectors.split(",")]:
            return body
    raise AssertionError(f"widget.css has no rule for {selector}")


@pytest.mark.parametrize("control", [".launcher", ".close", ".control", ".choice", ".why", ".send", ".input"])
def test_every_control_is_at_least_24_px_tall(control: str) -> None:
    height = re.search(r"min-height:\s*([\d.]+)rem", rule(control))
    assert height and float(height.group(1)) >= 1.5, f"{control} may be smaller than 24 px"


def test_windows_high_contrast_mode_gets_system_colours() -> None:
    assert "Highlight" in media_block("(forced-colors: active)")


# ------------------------------------------------------------------ the words the assistant understands


def test_the_widget_sends_what_the_assistant_understands() -> None:
    wrong, person = (button["payload"] for button in domain_responses()["utter_explanation"][-1]["buttons"])
    assert js_constant("PERSON_PAYLOAD") == person
    assert js_constant("WRONG_ANSWER_PAYLOAD") == wrong == "/report_wrong_answer"
    assert js_constant("WHY_MESSAGE") == "why?"
    assert re.search(r"var MODES = \[([^\]]*)\];", SCRIPT).group(1) == ", ".join(f"'{mode.value}'" for mode in Mode)


def test_the_widget_says_it_is_automated_and_uses_the_live_regions_the_issue_names() -> None:
    assert "'Automated assistant'" in SCRIPT
    assert "setAttribute('role', 'log')" in SCRIPT
    assert "setAttribute('role', 'status')" in SCRIPT
    # The log only grows: nothing in the widget ever empties or replaces it.
    assert not re.search(r"log\.(replaceChildren|removeChild|textContent\s*=)", SCRIPT)
