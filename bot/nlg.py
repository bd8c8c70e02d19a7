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

A message may be composed of several responses, each one sentence or a few (an explanation, a
description of the assistant): the action names them with their values in `sentences`
(`[{"response": "utter_part_...", **values}, ...]`) beside the response that ends the message and
carries its buttons. Each part is worded in the customer's mode, the parts are joined in order,
and the mode's rendering is applied once, to the whole message.

`worded_response` does the same without a tracker, for the one message sent as an event rather
than through Rasa's NLG (the disclosure that opens a session) and for the channels' own messages.

What a customer typed never becomes markup: every value put into a response's placeholders (a
slot, or what an action passes, such as the text it quotes back) has its link and tag brackets
made plain, so "[click](https://...)" quoted back is text in every client, not a link.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, List, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from accessibility.modes import MODE_SLOT, Mode, mode_of
from accessibility.screen_reader import render
from bot.model import DOMAIN

VOICE_CHANNEL = "voice"
# The keyword argument naming the responses a composed message is made of, in order.
SENTENCES = "sentences"
# Brackets that open a markdown link or image, or an autolink or tag, and their plain stand-ins.
INERT_BRACKETS = str.maketrans({"[": "(", "]": ")", "<": "(", ">": ")"})


def inert(value: Any) -> Any:
    """A placeholder's value as plain text: no bracket in it can start a link, an image or a tag."""
    return value.translate(INERT_BRACKETS) if isinstance(value, str) else value


def composed(message: Dict[str, Any], parts: List[Optional[Dict[str, Any]]]) -> Dict[str, Any]:
    """The message with the text of its parts before its own, each part's text once, in order."""
    texts = [part.get("text") or "" for part in parts if part] + [message.get("text") or ""]
    return {**message, "text": " ".join(text for text in texts if text)}


def for_mode(message: Dict[str, Any], mode: Mode, on_a_call: bool, added: Optional[List[Dict[str, Any]]] = None) -> Dict[str, Any]:
    """The message rendered for a screen reader in that mode (listing the buttons an action adds too);
    otherwise as it is. Not on a call, which the voice channel words for the ear."""
    if on_a_call or mode is not Mode.SCREEN_READER:
        return message
    spoken = render({**message, "buttons": [*(message.get("buttons") or []), *(added or [])]})
    # Rasa appends the action's buttons itself; only the response's own stay here.
    spoken["buttons"] = message.get("buttons") or []
    if not spoken["buttons"]:
        del spoken["buttons"]
    return spoken


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

    @classmethod
    def from_responses(cls, responses: Dict[Text, List[Dict[Text, Any]]]) -> "AccessibleNaturalLanguageGenerator":
        generator = cls()
        generator.responses = responses
        return generator

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        return self.worded(utter_action, tracker.current_slot_values(), output_channel, **kwargs)

    def worded(
        self, utter_action: Text, filled_slots: Dict[Text, Any], output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        """The response (composed of its parts, if any) in the mode the slots name, for the channel."""
        message = self.generate_from_slots(utter_action, filled_slots, output_channel, **kwargs)
        if message is None:
            return None
        parts = [
            self.generate_from_slots(part["response"], filled_slots, output_channel, **_values(part))
            for part in kwargs.get(SENTENCES) or []
        ]
        if parts:
            message = composed(message, parts)
        mode = mode_of(filled_slots.get(MODE_SLOT))
        return for_mode(message, mode, output_channel == VOICE_CHANNEL, kwargs.get("buttons"))


def _values(part: Dict[Text, Any]) -> Dict[Text, Any]:
    return {name: value for name, value in part.items() if name != "response"}


@functools.lru_cache(maxsize=1)
def domain_responses() -> Dict[Text, List[Dict[Text, Any]]]:
    """The responses of the project's domain (`bot/domain/`), read once per process."""
    return Domain.load(str(DOMAIN)).responses


def worded_response(name: Text, mode: Mode, output_channel: Text = "", **values: Any) -> Dict[Text, Any]:
    """A domain response worded for `mode` with `values` in its placeholders, without a tracker."""
    generator = AccessibleNaturalLanguageGenerator.from_responses(domain_responses())
    message = generator.worded(name, {MODE_SLOT: mode.value}, output_channel, **values)
    if message is None:
        raise KeyError(f"the domain has no response {name!r}: add it to a file in bot/domain/")
    return message
