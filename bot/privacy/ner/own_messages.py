"""Candor's own messages, learnt by the NER model alongside the generated ones.

Two kinds of text pass through redaction every day and must come out readable: what customers
ask (the NLU examples in `data/nlu`, thousands of messages that name nobody) and what the
assistant answers (the responses in `bot/domain`, stored redacted like everything else). The
shop's product names ("Waffle cotton throw") fill some of the templates' product slots. Both
are written for Candor, so the model learns from them what is *not* a name or an address. The
assistant's placeholders are filled like template slots (`assistant_placeholders` in
`templates.yml`), so "We took it to {shipping_address}" teaches where an address is too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator, List, Mapping, Sequence

import yaml

# Rasa's annotation of an entity in an NLU example: "[104512](order_id)" or '[sam]{"entity": "x"}'.
NLU_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def nlu_examples(folder: Path, leave_out: Sequence[str] = ()) -> List[str]:
    """The NLU examples in `folder`, annotations removed, as templates without slots.

    `leave_out` lists the few that do hold a name or an address (a test keeps the list true).
    A brace would read as a slot, so an example with one is left out rather than misread.
    """
    skipped = set(leave_out)
    examples = (NLU_ANNOTATION.sub(lambda m: m.group(1), line).strip() for line in nlu_lines(folder))
    return [text for text in examples if text and text not in skipped and "{" not in text and "}" not in text]


def assistant_responses(folder: Path, placeholders: Mapping[str, str]) -> List[str]:
    """The assistant's responses in `folder` as templates, each placeholder renamed to its slot.

    A response with a placeholder `placeholders` does not map is left out: it is better unlearnt
    than filled with the wrong kind of value.
    """
    templates: List[str] = []
    for text in response_texts(folder):
        names = PLACEHOLDER.findall(text)
        if all(name in placeholders for name in names) and text.count("{") == len(names):
            templates.append(PLACEHOLDER.sub(lambda m: "{" + placeholders[m.group(1)] + "}", text))
    return templates


def nlu_lines(folder: Path) -> Iterator[str]:
    """Every intent example in `folder`'s files, as written (annotations and all)."""
    for path in sorted(folder.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in block:
                for line in str(block.get("examples", "")).splitlines():
                    if line.strip().startswith("- "):
                        yield line.strip()[2:]


def response_texts(folder: Path) -> Iterator[str]:
    """The text of every variant of every response in `folder`'s domain files."""
    for path in sorted(folder.glob("*.yml")):
        for variants in ((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}).values():
            for variant in variants:
                if isinstance(variant, dict) and isinstance(variant.get("text"), str):
                    yield variant["text"]


def product_names(catalogue: Path) -> List[str]:
    """The names of the products in the shop's catalogue (`data/seed/products.yml`)."""
    products = (yaml.safe_load(catalogue.read_text(encoding="utf-8")) or {}).get("products") or []
    return [str(product["name"]) for product in products if isinstance(product, dict) and product.get("name")]


def policy_texts(policy_file: Path) -> List[str]:
    """The sentences in the policy file (notices, crisis resources): the assistant says them
    word for word, and they name the shop's own helplines, which stay readable. The changelog
    is for the people who edit the file; the assistant never says it."""
    texts: List[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str) and " " in value.strip() and "{" not in value and "}" not in value:
            texts.extend(line.strip(" -") for line in value.splitlines() if line.strip(" -"))
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    policy = yaml.safe_load(policy_file.read_text(encoding="utf-8")) or {}
    collect({key: value for key, value in policy.items() if key != "changelog"})
    return texts
