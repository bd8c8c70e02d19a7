"""The voice channel: callers hear Candor's own voice and are treated as carefully as chatters.

Two interfaces, one conversation model (`/webhooks/voice/...`):

* `POST webhook` (JSON) `{"sender", "text"}` or `{"sender", "audio"}` (a base64 WAV, transcribed
  offline) answers `{"messages": [{"text", "audio_url"}, ...], "transcript"?}`: each spoken part as
  text plus the URL of its WAV. A conversation belongs to whoever holds its session secret, as on
  REST (`bot.ownership`): the first answer's `Candor-Session-Secret` header, sent back every time.
* `POST twilio` (a telephony provider's voice webhook, a URL-encoded form: `SpeechResult`,
  `CallSid`, `From`) answers TwiML that plays Candor's audio and gathers the caller's next
  utterance. Where synthesis failed the provider's own voice says the text (`<Say>`), so a caller
  never loses an answer. With `$CANDOR_TWILIO_AUTH_TOKEN` set, only requests the provider signed
  are answered. Calls are a namespace of their own, keyed by the provider's call id.
* `GET audio/<name>.wav?c=&e=&s=` serves a synthesized answer to whoever holds its URL: the
  provider fetches `<Play>` audio with no customer secret, so the URL is the permission. It is
  signed for its conversation and expires when the policy deletes the audio
  (`privacy.retention.voice_audio_minutes`); the file name is keyed with the server's secret. A
  wrong, expired or other conversation's URL gets the same 404 as a missing file.

Nothing a caller sends can stall or poison the channel: every id and text is checked for length
and encoding (`bot.channels.checks`), recordings are between a tenth of a second and
`max_audio_seconds` long, and they are heard in processes of their own
(`accessibility.speech.listening`), so decoding never holds up the server.

Care on the phone: "agent", "person", "operator" or "zero" said on its own always asks for a
person (the `contact_human_agent` intent, which no policy can override); a number picks a choice
as in every channel; the distress detector sees what the caller said like any message. Every
reply is voiced (`accessibility.speech.rendering`) and spoken at the caller's pace (the
`speech_pace` slot, which "speak slower" and "speak faster" move), the first being the disclosure.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Text
from xml.sax.saxutils import escape, quoteattr

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from accessibility.speech.audio import AudioProblem, decoded_wav
from accessibility.speech.listening import ListeningFailed, ListeningPool
from accessibility.speech.rendering import spoken_parts, voiced
from accessibility.speech.synthesis import SpeakingRate, SpeechUnavailable, Synthesizer, cached_audio, purge_audio
from accessibility.speech.transcription import HANDOFF_WORDS
from bot.channels.checks import RequestProblem, checked_identifier, checked_text, json_object, url_encoded_form
from bot.channels.choices import answering_choices_by_number
from bot.channels.limits import limited_per_request
from bot.channels.rest import refusal, replies_to, with_access
from bot.channels.voice_audio import AudioLinks, derived_key
from bot.conversation.names import SPEECH_PACE_SLOT
from bot.ownership import SECRET_HEADER, AccessRefused, conversation_id, open_conversation
from bot.policy import current_policy
from bot.settings import PROJECT_ROOT, VAR_DIR, secret_key, twilio_auth_token

logger = logging.getLogger(__name__)

HANDOFF_PAYLOAD = "/contact_human_agent"
# What a new call sends the assistant, so the caller hears the disclosure and a greeting first.
CALL_START_PAYLOAD = "/greet"
# Calls from the telephony provider are conversations of their own, apart from the JSON webhook's.
CALL_NAMESPACE = "phone"
# How often old audio is looked for (on the next request after this many seconds).
PURGE_EVERY_SECONDS = 60.0
XML_HEADER = '<?xml version="1.0" encoding="UTF-8"?>'
NO_SUCH_AUDIO = {"error": "no such audio; ask the webhook again"}

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class VoiceSettings:
    """The channel's settings in credentials.yml, each with a default."""

    voice: str = "gmw/en"
    rate: SpeakingRate = SpeakingRate()
    cache_directory: Path = VAR_DIR / "voice-cache"
    language: str = "en-GB"
    handoff_words: Sequence[str] = HANDOFF_WORDS
    public_url: str = ""
    nlu_directory: Path = PROJECT_ROOT / "data" / "nlu"
    # The provider's auth token: with it, a call webhook without the provider's signature is refused.
    # A secret, so it comes from the environment ($CANDOR_TWILIO_AUTH_TOKEN), never from a file.
    provider_token: str = ""
    # Limits (credentials.yml says why each default is what it is).
    max_audio_seconds: float = 10.0
    max_text_characters: int = 2_000
    listening_processes: int = 2
    listening_timeout_seconds: float = 20.0

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "VoiceSettings":
        given = credentials or {}
        cache = Path(given.get("cache_directory") or cls.cache_directory)
        return cls(
            voice=str(given.get("voice") or cls.voice),
            rate=SpeakingRate(
                words_per_minute=int(given.get("words_per_minute") or SpeakingRate.words_per_minute),
                step=int(given.get("pace_step") or SpeakingRate.step),
            ),
            cache_directory=cache if cache.is_absolute() else PROJECT_ROOT / cache,
            language=str(given.get("language") or cls.language),
            handoff_words=tuple(given.get("handoff_words") or HANDOFF_WORDS),
            public_url=str(given.get("public_url") or "").rstrip("/"),
            provider_token=twilio_auth_token(),
            max_audio_seconds=float(given.get("max_audio_seconds") or cls.max_audio_seconds),
            max_text_characters=int(given.get("max_text_characters") or cls.max_text_characters),
            listening_processes=int(given.get("listening_processes") or cls.listening_processes),
            listening_timeout_seconds=float(given.get("listening_timeout_seconds") or cls.listening_timeout_seconds),
        )


class VoiceOutput(CollectingOutputChannel):
    """Collects the assistant's messages; named "voice" so the NLG leaves them for this channel to
    word for the ear (`VoiceInput.spoken`), once, whoever wrote them."""

    @classmethod
    def name(cls) -> Text:
        return "voice"


def handoff_pattern(words: Sequence[str]) -> "re.Pattern[str]":
    """A whole utterance that is one of `words` (or "0"), perhaps with "an", "a" or "please"."""
    alternatives = "|".join(re.escape(word) for word in [*words, "0"])
    return re.compile(rf"^\W*(?:(?:an?|the)\s+)?(?:{alternatives})(?:\s+please)?\W*$", re.IGNORECASE)


def handing_off_on_request(on_new_message: OnNewMessage, words: Sequence[str]) -> OnNewMessage:
    """`on_new_message`, with a lone handoff word turned into an unmistakable request for a person.

    A recogniser hears "agent" or "operator" more reliably than a sentence, and a caller in
    trouble may say only that, so the channel does not leave it to the NLU's confidence.
    """
    pattern = handoff_pattern(words)

    async def handle(message: UserMessage) -> Any:
        if pattern.match(message.text or ""):
            message.text = HANDOFF_PAYLOAD
        return await on_new_message(message)

    return handle


@dataclass
class SpokenPart:
    text: str
    audio: Optional[str]  # the cache file's name; None when synthesis failed


class VoiceInput(InputChannel):
    """Rasa input channel `voice`: JSON and telephony-provider webhooks, and the audio they point to."""

    @classmethod
    def name(cls) -> Text:
        return "voice"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "VoiceInput":
        return cls(VoiceSettings.from_credentials(credentials))

    def __init__(self, settings: Optional[VoiceSettings] = None, secret: Optional[bytes] = None) -> None:
        self.settings = settings or VoiceSettings()
        secret = secret_key() if secret is None else secret
        self.synthesizer = Synthesizer(
            self.settings.cache_directory, self.settings.voice, derived_key(secret, "voice audio names")
        )
        self.audio_links = AudioLinks(derived_key(secret, "voice audio links"))
        # Recogniser processes, started on first use (accessibility/speech/listening.py says why).
        self.listening = ListeningPool(
            self.settings.nlu_directory, self.settings.listening_processes, self.settings.listening_timeout_seconds
        )
        self._next_purge = 0.0
        if not self.settings.provider_token:
            logger.warning(
                "The voice channel's call webhook accepts unsigned requests: set CANDOR_TWILIO_AUTH_TOKEN "
                "so that only your telephony provider can post calls."
            )

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        on_new_message = handing_off_on_request(answering_choices_by_number(on_new_message), self.settings.handoff_words)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.listener("before_server_stop")
        async def stop_listening(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
            self.listening.close()

        @webhook.route("/webhook", methods=["POST"])
        @limited_per_request  # a recording is big, but it is heard in processes of its own
        async def receive(request: Request) -> HTTPResponse:
            """One utterance as JSON (text or base64 WAV); the spoken answer as texts and audio URLs.

            Like REST, the first reply hands over the conversation's session secret (header
            `Candor-Session-Secret`), which every later utterance must carry; it is checked before
            any recording is listened to.
            """
            try:
                sender, text, audio = checked_voice_request(request, self.settings)
                access = open_conversation(self.name(), sender, request.headers.get(SECRET_HEADER))
                transcript = await self._transcribe(audio) if audio is not None else None
            except AccessRefused as refused:
                return refusal(refused)
            except (RequestProblem, AudioProblem) as problem:
                return response.json({"error": str(problem)}, status=problem.status)
            except ListeningFailed as failure:
                logger.error("A recording could not be transcribed: %s", failure)
                return response.json({"error": f"{failure}; send the recording again, or send text"}, status=503)
            conversation = access.conversation_id
            parts, status = await self._answer(on_new_message, conversation, transcript if audio is not None else text)
            body: Dict[str, Any] = {
                "messages": [{"text": part.text, "audio_url": self._audio_url(request, part, conversation)} for part in parts]
            }
            if transcript is not None:
                body["transcript"] = transcript
            return with_access(response.json(body, status=status), access)

        @webhook.route("/twilio", methods=["POST"])
        async def call(request: Request) -> HTTPResponse:
            """A telephony provider's voice webhook; TwiML that plays the answer and listens again.

            The provider's signature proves who is calling (with `CANDOR_TWILIO_AUTH_TOKEN` set), and its
            call id, known only to it and to Candor, keys the conversation. Signed calls are not limited
            per address: every caller's requests come from the provider's few addresses.
            """
            if self.settings.provider_token:
                return await answer_call(request)
            return await limited_per_request(answer_call)(request)

        async def answer_call(request: Request) -> HTTPResponse:
            try:
                form = url_encoded_form(request)
            except RequestProblem as problem:
                return response.text(str(problem), status=problem.status)
            if self.settings.provider_token and not self._signed_by_provider(request):
                return response.text("the X-Twilio-Signature header is missing or wrong", status=403)
            try:
                sender = checked_identifier("CallSid", form.get("CallSid"))
                said = checked_text(
                    "SpeechResult", form.get("SpeechResult"), self.settings.max_text_characters, required=False
                )
            except RequestProblem as problem:
                return response.text(str(problem), status=problem.status)
            # The caller's number (From) is personal data the assistant does not need: not kept.
            conversation = conversation_id(CALL_NAMESPACE, sender)
            parts, _ = await self._answer(on_new_message, conversation, (said or "").strip())
            twiml = self.twiml(parts, request.path, lambda part: self._audio_url(request, part, conversation))
            return response.text(twiml, content_type="text/xml; charset=utf-8")

        @webhook.route("/audio/<name>", methods=["GET"])
        async def audio(request: Request, name: str) -> HTTPResponse:
            """A synthesized reply, to whoever holds its signed URL; anything else is "no such audio"."""
            if self.audio_links.allows(name, request.args, time.time()):
                path = cached_audio(self.settings.cache_directory, name)
                if path is not None:
                    # It can hold what a caller said: no shared cache may keep it past the policy's time.
                    return await response.file(str(path), mime_type="audio/wav", headers={"Cache-Control": "no-store"})
            return response.json(NO_SUCH_AUDIO, status=404)

        return webhook

    async def _transcribe(self, audio: str) -> str:
        recording = decoded_wav(audio, self.settings.max_audio_seconds)
        return (await self.listening.transcribe(recording)).text

    async def _answer(self, on_new_message: OnNewMessage, conversation: str, text: str) -> "tuple[List[SpokenPart], int]":
        """Hand the utterance to the assistant; its replies voiced and synthesized at the caller's pace.

        The one place a conversation id (the assistant's, `bot.ownership`) reaches the assistant.
        Silence at the start of a call (a new conversation) starts the conversation, so the caller
        hears the disclosure and a greeting first.
        """
        if not text and not await _conversation_exists(conversation):
            text = CALL_START_PAYLOAD
        # The REST channel's handling exactly: a person's waiting replies first, an apology on failure.
        reply = await replies_to(UserMessage(text, VoiceOutput(), conversation, input_channel=self.name()), on_new_message)
        messages = json.loads(reply.body)
        self._purge_old_audio()
        rate = self.settings.rate.at(await _pace_of(conversation))
        return await self.spoken(messages, rate), reply.status

    async def spoken(self, messages: List[Dict[str, Any]], rate: int) -> List[SpokenPart]:
        """Every message voiced, cut into short parts, each synthesized (in parallel with the rest)."""
        texts = [part for message in messages for part in spoken_parts(voiced(message).get("text") or "")]
        results = await asyncio.gather(*(self.synthesizer.speak(text, rate) for text in texts), return_exceptions=True)
        parts = []
        for text, result in zip(texts, results):
            if isinstance(result, BaseException):
                if not isinstance(result, SpeechUnavailable):
                    logger.error("Synthesis failed unexpectedly: %r", result)
                parts.append(SpokenPart(text, None))
            else:
                parts.append(SpokenPart(text, result.name))
        return parts

    def _purge_old_audio(self) -> None:
        """Delete audio older than the policy allows, at most once a minute (a directory scan)."""
        if time.monotonic() < self._next_purge:
            return
        self._next_purge = time.monotonic() + PURGE_EVERY_SECONDS
        minutes = current_policy().privacy.retention.voice_audio_minutes
        deleted = purge_audio(self.settings.cache_directory, minutes * 60)
        if deleted:
            logger.info("Deleted %d synthesized answers older than %g minutes.", deleted, minutes)

    def _signed_by_provider(self, request: Request) -> bool:
        """Whether the request carries the provider's signature of the address it posted to and its form."""
        url = f"{self.settings.public_url or f'{request.scheme}://{request.host}'}{request.path}"
        if request.query_string:
            url += f"?{request.query_string}"
        form = {name: values[0] for name, values in (request.form or {}).items()}
        # Twilio's own validator (the twilio package comes with Rasa, for its Twilio text channel).
        validator = RequestValidator(self.settings.provider_token)
        return validator.validate(url, form, request.headers.get("X-Twilio-Signature", ""))

    def _audio_url(self, request: Request, part: SpokenPart, conversation: str) -> Optional[str]:
        """Where the part's audio is, for this conversation, until the policy has it deleted."""
        if part.audio is None:
            return None
        lifetime = current_policy().privacy.retention.voice_audio_minutes * 60
        query = self.audio_links.query(part.audio, conversation, lifetime, time.time())
        return f"{self.settings.public_url}{request.path.rsplit('/', 1)[0]}/audio/{part.audio}?{query}"

    def twiml(self, parts: List[SpokenPart], action: str, url_of: Callable[[SpokenPart], Optional[str]]) -> str:
        """TwiML: each part played (or said by the provider if it has no audio), then listen again."""
        verbs = []
        for part in parts:
            url = url_of(part)
            if url is not None:
                verbs.append(f"<Play>{escape(url)}</Play>")
            else:
                verbs.append(f"<Say language={quoteattr(self.settings.language)}>{escape(part.text)}</Say>")
        verbs.append(
            f"<Gather input=\"speech\" action={quoteattr(action)} method=\"POST\" speechTimeout=\"auto\" "
            f"actionOnEmptyResult=\"true\" language={quoteattr(self.settings.language)}/>"
        )
        return f"{XML_HEADER}<Response>{''.join(verbs)}</Response>"


def checked_voice_request(request: Request, limits: VoiceSettings) -> "tuple[str, str, Optional[str]]":
    """`(sender, text, audio)` from a JSON body with a sender and exactly one of text or audio.

    The audio's size is checked where it is decoded (`decoded_wav`), against `max_audio_seconds`.
    """
    body = json_object(request, '{"sender": "...", "text": "..."}')
    sender, text, audio = checked_identifier("sender", body.get("sender")), body.get("text"), body.get("audio")
    if (text is None) == (audio is None):
        raise RequestProblem('send exactly one of "text" (what the caller said) or "audio" (a base64 WAV)')
    text = checked_text("text", text, limits.max_text_characters, required=False)
    if audio is not None and not isinstance(audio, str):
        raise RequestProblem('"audio" must be a string: a WAV file encoded as base64')
    return sender, text or "", audio


async def _tracker_of(sender: str) -> Any:
    """The caller's conversation, read under its lock, so a turn still being saved is read whole."""
    try:
        agent = Sanic.get_app().ctx.agent
        async with agent.lock_store.lock(sender):
            return await agent.tracker_store.retrieve(sender)
    except Exception:  # no app or no store (a unit test): the conversation is new
        logger.debug("No conversation to read for %s.", sender)
        return None


async def _conversation_exists(sender: str) -> bool:
    tracker = await _tracker_of(sender)
    return tracker is not None and len(tracker.events) > 0


async def _pace_of(sender: str) -> float:
    """The caller's pace in steps from the configured rate (0 until they ask for another)."""
    tracker = await _tracker_of(sender)
    try:
        return float((tracker.get_slot(SPEECH_PACE_SLOT) if tracker is not None else 0) or 0)
    except (TypeError, ValueError):
        return 0.0
