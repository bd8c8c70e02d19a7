"""`candor validate`: Rasa's data validation, without its one false alarm, and with no other warning allowed.

`rasa data validate` warns about every response that no story or rule mentions. Candor's
actions choose their words from domain responses (so all wording lives in the domain), forms
ask their questions with `utter_ask_<slot>`, and Rasa's fallback sends `utter_default`; the
validator sees none of these uses. This command runs Rasa's validator, accepts an
unused-response warning only for those, and fails on any other warning or error.
"""

from __future__ import annotations

import argparse
import ast
import re
import warnings
from pathlib import Path
from typing import Iterable, List, Set

from bot.cli.errors import CommandError
from bot.conversation.names import DISTRESS_INTENT, SELF_HARM_CHECK_INTENT
from bot.model import CONFIG, DOMAIN, TRAINING_DATA
from bot.settings import PROJECT_ROOT

# Code that sends responses by name: the actions, the handoff service (a person joins, hands back),
# the channels (the apology, the widget's disclosure) and the explanations (the sentences a "why?"
# is composed of).
CODE_SENDING_RESPONSES = (
    PROJECT_ROOT / "actions",
    PROJECT_ROOT / "bot" / "handoff",
    PROJECT_ROOT / "bot" / "channels",
    PROJECT_ROOT / "bot" / "explain",
)
# Responses Rasa itself sends: `utter_default` from action_default_fallback.
RASA_DEFAULT_RESPONSES = {"utter_default"}
# Intents an NLU component sets instead of learning from examples (the distress detector's, like
# Rasa's own nlu_fallback): having no training examples is their nature, not a mistake.
INTENTS_SET_BY_COMPONENTS = {DISTRESS_INTENT, SELF_HARM_CHECK_INTENT}
_INTENT_WITHOUT_EXAMPLES = re.compile(r"The intent '(?P<name>\w+)' is listed in the domain file, but is not found in the NLU training data\.")
_UNUSED_RESPONSE = re.compile(r"The utterance '(?P<name>utter_\w+)' is not used in any story or rule\.")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check the domain and training data (rasa data validate, strictly)",
        description="Run Rasa's data validation; fail on any warning except unused responses that "
        "the action server sends by name.",
    )
    parser.set_defaults(run=run)


def responses_named_in_code(sources: Iterable[Path], responses: Set[str]) -> Set[str]:
    """Responses an action can send: `"utter_x"` literals, and `f"utter_x_{...}"` by prefix."""
    named: Set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in responses:
                named.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                prefix = str(node.values[0].value)
                if prefix.startswith("utter_"):
                    named.update(name for name in responses if name.startswith(prefix))
    return named


def problems() -> List[str]:
    """Every warning or error of Rasa's validator that is not an action-sent response."""
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    importer = TrainingDataImporter.load_from_config(
        str(CONFIG), str(DOMAIN), [str(path) for path in TRAINING_DATA]
    )
    validator = Validator.from_importer(importer)
    domain = validator.domain
    responses = set(domain.responses)
    form_questions = {
        f"utter_ask_{slot}" for form in domain.forms.values() for slot in form.get("required_slots", [])
    }
    sent_elsewhere = (
        responses_named_in_code(sorted(path for folder in CODE_SENDING_RESPONSES for path in folder.rglob("*.py")), responses)
        | form_questions
        | RASA_DEFAULT_RESPONSES
    )
    found: List[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        valid = all(
            [
                validator.verify_domain_validity(),
                validator.verify_intents_in_stories(ignore_warnings=False),
                validator.verify_example_repetition_in_intents(ignore_warnings=False),
                validator.verify_utterances_in_stories(ignore_warnings=True),
                validator.verify_forms_in_stories_rules(),
                validator.verify_actions_in_stories_rules(),
                validator.verify_form_slots(),
                validator.verify_slot_mappings(),
                validator.verify_story_structure(ignore_warnings=False),
            ]
        )
        validator.warn_if_config_mandatory_keys_are_not_set()
    for warning in caught:
        if not issubclass(warning.category, UserWarning):
            continue
        message = str(warning.message)
        unused = _UNUSED_RESPONSE.search(message)
        if unused and unused.group("name") in sent_elsewhere:
            continue
        without_examples = _INTENT_WITHOUT_EXAMPLES.search(message)
        if without_examples and without_examples.group("name") in INTENTS_SET_BY_COMPONENTS:
            continue
        found.append(message)
    if not valid and not found:
        found.append("Rasa's validator reported an error; run `rasa data validate` for details")
    return found


def run(args: argparse.Namespace) -> int:
    found = problems()
    if found:
        raise CommandError(f"{len(found)} problem(s):\n  " + "\n  ".join(found))
    print("Domain and training data are valid: no errors, no warnings.")
    return 0
