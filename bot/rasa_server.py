"""The Rasa server as Candor runs it: `python -m bot.rasa_server run ...` is `rasa run ...` with the
action server's answers checked by a validator built once.

Rasa 3.6 checks every answer of the action server with `jsonschema.validate`, which first checks
the schema itself against JSON Schema's meta-schema: 62 ms of every custom action call on a 2-core
machine, against 4.5 ms with a validator built once (issue 19). Rasa offers no seam for this, so
this entry point replaces one method, `RemoteAction._validate_action_result`, before Rasa starts,
and nothing else:

* a valid answer is accepted by the validator built once from Rasa's own schema
  (`RemoteAction.action_response_format_spec()`, read when the check is first needed);
* an answer that is not valid goes to Rasa's own check, which raises Rasa's own error.

So the server accepts and refuses exactly what stock Rasa does. `tests/unit/test_rasa_server.py`
holds it to that, and fails if an upgrade of Rasa changes the method this replaces.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Dict

from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

RASAS_OWN_CHECK: Callable[[RemoteAction, Dict[str, Any]], bool] = RemoteAction._validate_action_result


@functools.lru_cache(maxsize=1)
def action_answer_validator() -> Validator:
    """A validator of Rasa's schema for the action server's answers, the schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    kind = validator_for(schema)
    kind.check_schema(schema)
    return kind(schema)


def validate_action_result(action: RemoteAction, result: Dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result`, the schema built once; Rasa's own error when invalid."""
    if action_answer_validator().is_valid(result):
        return True
    return RASAS_OWN_CHECK(action, result)


def install() -> None:
    """Make every remote action check its answers with `validate_action_result`."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


def main() -> None:
    from rasa.__main__ import main as rasa_main

    install()
    rasa_main()


if __name__ == "__main__":
    main()
