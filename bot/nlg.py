"""Accessible NLG: the customer's mode chooses the wording of every response.

Configured in `endpoints.yml` (`nlg: type: bot.nlg.AccessibleNaturalLanguageGenerator`). It is
Rasa's own response generator, so the domain stays the one place wording lives:

* plain language: every response has a variant conditioned on `accessibility_mode: plain`,
  which Rasa picks by the slot, exactly as it picks any conditional variation;
* screen reader: the standard variant, rewritten by `accessibility.screen_reader.render` (no
  symbols, links by purpose, choices as a numbered list, figures said well, summary first). The
  buttons an action adds to a response are listed too, since Rasa passes them here;
* voice (on the `voice` channel, whatever the mode): the chosen variant, left as it is. The voice
  channel words every message for the ear once (`accessibility.speech.rendering.voiced`), since
  text an action built or a person wrote reaches it without passing here.

The mode never changes what the assistant does: only this wording step reads it.

What a customer typed never becomes markup: every value put into a response's placeholders (a
slot, or what an action passes, such as the text it quotes back) has its link and tag brackets
made plain, so "[click](https://...)" quoted back is text in every client, not a link.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from accessibility.modes import MODE_SLOT, Mode, mode_of
from accessibility.screen_reader import render

VOICE_CHANNEL = "voice"
# Brackets that open a markdown link or image, or an autolink or tag, and their plain stand-ins.
INERT_BRACKETS = str.maketrans({"[": "(", "]": ")", "<": "(", ">": ")"})


def inert(value: Any) -> Any:
    """A placeholder's value as plain text: no bracket in it can start a link, an image or a tag."""
    return value.translate(INERT_BRACKETS) if isinstance(value, str) else value


class AccessibleNaturalLanguageGenerator(TemplatedNaturalLanguageGenerator):
    """Rasa's templated NLG, with the screen-reader rendering applied in that mode (not on a call,
    which the voice channel words for the ear)."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    @staticmethod
    def _response_variables(filled_slots: Optional[Dict[Text, Any]], kwargs: Dict[Text, Any]) -> Dict[Text, Any]:
        """The values for a response's placeholders, each made inert (conditions still see the real slots)."""
        variables = TemplatedNaturalLanguageGenerator._response_variables(filled_slots or {}, kwargs)
        return {name: inert(value) for name, value in variables.items()}

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        message = await super().generate(utter_action, tracker, output_channel, **kwargs)
        on_a_call = output_channel == VOICE_CHANNEL
        if message is None or on_a_call or mode_of(tracker.get_slot(MODE_SLOT)) is not Mode.SCREEN_READER:
            return message
        added: List[Dict[str, Any]] = kwargs.get("buttons") or []
        spoken = render({**message, "buttons": [*(message.get("buttons") or []), *added]})
        # Rasa appends the action's buttons itself; only the response's own stay here.
        spoken["buttons"] = message.get("buttons") or []
        if not spoken["buttons"]:
            del spoken["buttons"]
        return spoken
