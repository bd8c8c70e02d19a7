"""Personal data out of text before it is kept: Microsoft Presidio, replacing each find by its type.

"Send it to 14 Larkspur Lane, my email is ada@example.com" is kept as
"Send it to <STREET_ADDRESS>, my email is <EMAIL_ADDRESS>": what kind of thing the customer said
stays readable for explanations and audits; the thing itself does not.

Names and street addresses have no pattern, so Presidio's spaCy engine runs Candor's own
named-entity model (`bot.privacy.ner`), trained by `candor train` from generated chat messages:
nothing is downloaded. Without it redaction refuses to start (`NerModelMissing`, naming `make
train`) rather than quietly missing every name. Beside it run the recognizers in
`bot.privacy.recognizers`: patterns, checksums and word lists. What the model finds that names
nobody (a date, a name in code, an everyday word in lower case) is kept as written
(`bot.privacy.not_personal_data`). The model has a lemmatizer with an
empty table, so each word is its own lemma, which is what lets Presidio's context words ("card",
"phone") raise a score.

What is redacted, and from what score, is policy (`privacy.redaction` in `bot/policy.yml`).
Building the engine takes a second or two, so each process builds it once (`default_redactor`).

Presidio's time grows with the square of the findings in one text (20,000 characters of
postcodes took 11 s), and spaCy's with the square of a run without spaces. So a long text is
analysed piece by piece (`bot.bounded_text`), each piece with some of its neighbours' text around
it, so personal data that crosses a cut is seen whole; and the analyzer's tokenizer never sees a
long run at once. A message no longer than one piece is redacted exactly as before.
"""

from __future__ import annotations

import os

# Presidio's email recognizer asks tldextract whether a domain is real; without this, tldextract
# would fetch the public suffix list from the internet. Empty means its bundled snapshot.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

import contextlib  # noqa: E402
import functools  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
from contextvars import ContextVar  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple  # noqa: E402

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult  # noqa: E402
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngineProvider  # noqa: E402
from presidio_analyzer.predefined_recognizers import (  # noqa: E402
    IbanRecognizer,
    IpRecognizer,
    SpacyRecognizer,
    UkNinoRecognizer,
    UsSsnRecognizer,
)
from presidio_anonymizer import AnonymizerEngine  # noqa: E402
from presidio_anonymizer.entities import ConflictResolutionStrategy  # noqa: E402

from bot.bounded_text import BoundedTokenizer, TextBounds, pieces  # noqa: E402
from bot.policy import current_policy  # noqa: E402
from bot.policy_sections import PolicyError, Redaction  # noqa: E402
from bot.privacy.ner import require_model  # noqa: E402
from bot.privacy.ner.generator import LABELS as NER_LABELS  # noqa: E402
from bot.privacy.not_personal_data import everyday_words, found_by_the_model, not_personal_data  # noqa: E402
from bot.privacy.recognizers import candor_recognizers  # noqa: E402

logger = logging.getLogger(__name__)

LANGUAGE = "en"
# Text without a letter or a digit cannot name anyone; skipping it saves a Presidio call.
_MAY_HOLD_PERSONAL_DATA = re.compile(r"[^\W_]")
# A placeholder already stored in place of personal data ("<PHONE_NUMBER>").
PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*>")
# How much text Presidio analyses at once (chosen with `candor bench-inputs`). Each piece is
# analysed with up to `context_chars` of the text on either side, so personal data that crosses a
# cut is seen whole by one of the two pieces, with the words before it that raise its score.
DEFAULT_BOUNDS = TextBounds(max_piece_chars=500, max_run_chars=64, context_chars=50)
# Texts the named-entity model has read ahead, together (`Redactor.reading_together`).
_READ_AHEAD: ContextVar[Mapping[str, NlpArtifacts]] = ContextVar("candor_read_ahead", default={})


@dataclass(frozen=True)
class Finding:
    """One span of personal data, in the coordinates of the text it was found in."""

    entity_type: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class RedactedText:
    """A text with its personal data replaced, and where that data was in the original."""

    text: str
    findings: Tuple[Finding, ...]


class Redactor:
    """Finds personal data with a Presidio analyzer and replaces each span with `<TYPE>`."""

    def __init__(
        self,
        analyzer: AnalyzerEngine,
        entities: Sequence[str],
        score_threshold: float,
        bounds: TextBounds = DEFAULT_BOUNDS,
    ) -> None:
        unknown = sorted(set(entities) - set(analyzer.get_supported_entities(LANGUAGE)))
        if unknown:
            raise PolicyError(
                f"policy.yml asks to redact {', '.join(unknown)}, which no recognizer finds; remove it from "
                f"privacy.redaction.entities or add a recognizer in bot/privacy/recognizers/"
            )
        self.analyzer = analyzer
        self.entities = list(entities)
        self.score_threshold = score_threshold
        self.bounds = bounds
        self._anonymizer = AnonymizerEngine()

    def redact(self, text: str) -> RedactedText:
        """`text` with every span Presidio is sure enough about replaced by its type."""
        if not _MAY_HOLD_PERSONAL_DATA.search(text):
            return RedactedText(text, ())
        if len(text) <= self.bounds.max_piece_chars:
            return self._replace(text, self._analyze(text))
        return self._redact_in_pieces(text)

    @contextlib.contextmanager
    def reading_together(self, texts: Iterable[str]) -> Iterator[None]:
        """Within the block, `redact` finds `texts` already read by the named-entity model.

        spaCy reads a batch of short texts about three times faster per text than one at a time,
        and one save of a conversation redacts five or six. What is found is the same either way.
        """
        ahead = list(dict.fromkeys(text for text in texts if self._read_whole(text)))
        try:
            read = dict(self.analyzer.nlp_engine.process_batch(ahead, LANGUAGE, batch_size=max(len(ahead), 1)))
        except Exception as error:  # noqa: BLE001 - each text is then read alone, and fails closed alone
            logger.warning("Could not read %d text(s) together (%s); reading each alone.", len(ahead), type(error).__name__)
            read = {}
        token = _READ_AHEAD.set(read)
        try:
            yield
        finally:
            _READ_AHEAD.reset(token)

    def _read_whole(self, text: str) -> bool:
        """Whether the analyzer reads `text` in one go (not skipped, not cut into pieces)."""
        return bool(_MAY_HOLD_PERSONAL_DATA.search(text)) and len(text) <= self.bounds.max_piece_chars

    def _analyze(self, text: str) -> List[RecognizerResult]:
        """Presidio's findings in `text`, without surrounding spaces; at most one piece's worth."""
        if not _MAY_HOLD_PERSONAL_DATA.search(text):
            return []
        results = self.analyzer.analyze(
            text=text, language=LANGUAGE, entities=self.entities, score_threshold=self.score_threshold,
            nlp_artifacts=_READ_AHEAD.get().get(text),
        )
        trim = _without_surrounding_space(text)
        results = [result for result in map(trim, results) if result.end > result.start]
        # The NER model's findings, cut back where a pattern recognizer found something, are trimmed again.
        results = [trim(result) for result in _deferring_to_patterns(_outside_placeholders(text, results))]
        return [
            result for result in results
            if result.end > result.start and not not_personal_data(text, result)
        ]

    def _replace(self, text: str, results: List[RecognizerResult]) -> RedactedText:
        """Each finding replaced by its type; `results` are in `text`'s coordinates."""
        if not results:
            return RedactedText(text, ())
        findings = tuple(sorted((Finding(r.entity_type, r.start, r.end, r.score) for r in results), key=_position))
        # Overlapping finds (a postcode inside an address) are merged or trimmed, so every
        # character any recognizer found ends up inside exactly one placeholder.
        anonymized = self._anonymizer.anonymize(
            text=text, analyzer_results=results, conflict_resolution=ConflictResolutionStrategy.REMOVE_INTERSECTIONS
        )
        return RedactedText(anonymized.text, findings)

    def _redact_in_pieces(self, text: str) -> RedactedText:
        """A long text: each piece analysed with its surroundings, then replaced piece by piece."""
        spans = pieces(text, self.bounds.max_piece_chars)
        found: Dict[Tuple[str, int, int], float] = {}
        for start, end in spans:
            low, high = _with_context(text, start, end, self.bounds.context_chars)
            for result in self._analyze(text[low:high]):
                # Neighbouring pieces see the text between them twice: keep each finding once.
                key = (result.entity_type, result.start + low, result.end + low)
                found[key] = max(found.get(key, 0.0), result.score)
        results = [RecognizerResult(kind, start, end, score) for (kind, start, end), score in sorted(found.items(), key=_by_start)]
        redacted: List[str] = []
        findings: List[Finding] = []
        for start, end, inside in _replacement_pieces([end for _, end in spans], results, self.bounds.max_piece_chars):
            piece = self._replace(text[start:end], inside)
            redacted.append(piece.text)
            findings.extend(Finding(f.entity_type, f.start + start, f.end + start, f.score) for f in piece.findings)
        return RedactedText("".join(redacted), tuple(findings))

    def redact_text(self, text: str) -> str:
        return self.redact(text).text

    def redact_value(self, value: Any, memo: Optional[Dict[str, str]] = None) -> Any:
        """A redacted copy of a JSON-like value: every string inside it, however deeply nested.

        Numbers, booleans and None pass unchanged; containers are rebuilt, never modified, so the
        caller's value (a live tracker's slot) stays as it was. `memo` avoids redacting the same
        string twice within one piece of work (a message's text recurs in its parse data).
        """
        if isinstance(value, str):
            if memo is None:
                return self.redact_text(value)
            if value not in memo:
                memo[value] = self.redact_text(value)
            return memo[value]
        if isinstance(value, dict):
            return {key: self.redact_value(item, memo) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.redact_value(item, memo) for item in value)
        return value


def _without_surrounding_space(text: str) -> Callable[[RecognizerResult], RecognizerResult]:
    """Some patterns take a space with them (Presidio's NINO pattern starts with " ?"): give it back."""

    def trim(result: RecognizerResult) -> RecognizerResult:
        span = text[result.start : result.end]
        result.start += len(span) - len(span.lstrip())
        result.end -= len(span) - len(span.rstrip())
        return result

    return trim


def _outside_placeholders(text: str, results: List[RecognizerResult]) -> List[RecognizerResult]:
    """Findings with something besides placeholders in them: "<PHONE_NUMBER>" is what was stored,
    not a name, so text redacted once comes out of redaction unchanged."""
    if "<" not in text:
        return results
    outside = PLACEHOLDER.sub(lambda match: " " * len(match.group()), text)
    return [r for r in results if _MAY_HOLD_PERSONAL_DATA.search(outside[r.start : r.end])]


def _deferring_to_patterns(results: List[RecognizerResult]) -> List[RecognizerResult]:
    """The NER model's findings, less what a pattern or checksum recognizer found.

    The model knows names and addresses, not "QQ 12 34 56 C" or an email in a run of dashes;
    where a recognizer that knows the shape found some of the same text, its type is the one
    stored there, and the model's finding keeps the parts outside it.
    """
    patterns = sorted((r for r in results if not found_by_the_model(r)), key=lambda r: r.start)
    kept = list(patterns)
    for result in results:
        if not found_by_the_model(result):
            continue
        start = result.start
        for pattern in patterns:
            if pattern.start < result.end and start < pattern.end:
                if pattern.start > start:
                    kept.append(_part(result, start, pattern.start))
                start = max(start, pattern.end)
        if start < result.end:
            kept.append(_part(result, start, result.end))
    return kept


def _part(result: RecognizerResult, start: int, end: int) -> RecognizerResult:
    return RecognizerResult(
        result.entity_type, start, end, result.score, result.analysis_explanation, result.recognition_metadata
    )


def _position(finding: Finding) -> Tuple[int, int]:
    return finding.start, finding.end


def _by_start(item: Tuple[Tuple[str, int, int], float]) -> Tuple[int, int]:
    (_, start, end), _ = item
    return start, end


def _with_context(text: str, start: int, end: int, context: int) -> Tuple[int, int]:
    """text[start:end] widened by up to `context` characters each side, without cutting a word."""
    low, high = max(0, start - context), min(len(text), end + context)
    if 0 < low < start and not text[low - 1].isspace():  # mid-word: start after the next space
        low = next((i + 1 for i in range(low, start) if text[i].isspace()), low)
    if end < high < len(text) and not text[high].isspace():  # mid-word: end at the last space
        high = next((i for i in range(high - 1, end - 1, -1) if text[i].isspace()), high)
    return low, high


def _replacement_pieces(
    cuts: Sequence[int], results: Sequence[RecognizerResult], limit: int
) -> Iterator[Tuple[int, int, List[RecognizerResult]]]:
    """(start, end, findings in the piece's coordinates) for consecutive pieces ending at `cuts`.

    A cut that falls inside a finding (a card number across two pieces) moves to where the
    finding ends, so it is replaced whole, as long as the piece stays within twice `limit`;
    past that, the finding is replaced in two parts. `results` are sorted by start.
    """
    start, index = 0, 0
    reaching: List[RecognizerResult] = []  # findings that began in an earlier piece and go on
    for cut in cuts:
        if cut <= start:
            continue
        inside = reaching
        while index < len(results) and results[index].start < cut:
            inside.append(results[index])
            index += 1
        reach = max((result.end for result in inside), default=cut)
        while cut < reach <= start + 2 * limit:
            cut = reach
            while index < len(results) and results[index].start < cut:
                inside.append(results[index])
                reach = max(reach, results[index].end)
                index += 1
        reaching = [result for result in inside if result.end > cut]
        yield start, cut, [
            RecognizerResult(r.entity_type, max(r.start, start) - start, min(r.end, cut) - start, r.score) for r in inside
        ]
        start = cut


def presidio_recognizers() -> List[EntityRecognizer]:
    """Presidio's own recognizers for the identifiers every shop sees (emails, cards and phone
    numbers: see recognizers). Presidio's phone recognizer is not among them: Candor's phone
    recognizers find every number it finds, in any region, and it cost most of the time spent on
    a long text full of numbers (`candor bench-inputs`)."""
    return [
        # Typed in lower case too ("gb82west1234..."); the checksum is computed in capitals either way.
        IbanRecognizer(regex_flags=re.DOTALL | re.MULTILINE | re.IGNORECASE),
        UsSsnRecognizer(),
        UkNinoRecognizer(),
        IpRecognizer(),
    ]


def build_redactor(policy: Redaction, model: Optional[Path] = None, bounds: Optional[TextBounds] = None) -> Redactor:
    """A redactor for `policy`: Presidio's and Candor's recognizers, and Candor's NER model (the
    one trained for the current inputs, or `model`), reading long texts in the pieces the policy
    sets (or `bounds`). Raises `NerModelMissing` if the model has not been trained."""
    bounds = bounds or TextBounds(
        max_piece_chars=policy.max_piece_chars, max_run_chars=policy.max_run_chars, context_chars=policy.context_chars
    )
    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": LANGUAGE, "model_name": str(require_model(model))}],
            # The model's labels are Presidio's entity names already; none is scored down.
            "ner_model_configuration": {
                "model_to_presidio_entity_mapping": {label: label for label in NER_LABELS},
                "low_score_entity_names": [],
                "labels_to_ignore": [],
            },
        }
    ).create_engine()
    nlp = nlp_engine.get_nlp(LANGUAGE)
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer, bounds.max_run_chars)
    registry = RecognizerRegistry(
        recognizers=[
            *presidio_recognizers(),
            *candor_recognizers(),
            SpacyRecognizer(supported_language=LANGUAGE, supported_entities=list(NER_LABELS)),
        ],
        supported_languages=[LANGUAGE],
    )
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE])
    redactor = Redactor(analyzer, policy.entities, policy.score_threshold, bounds)
    # Recognizers load some data on first use (tldextract's suffix list, phone metadata, the
    # dictionaries): do it now, so the first customer's message is not the slow one, and a missing
    # dictionary stops the start, not a message.
    everyday_words()
    redactor.redact("warm-up: sam@example.com, +44 20 7946 0000, 1 High Street")
    return redactor


@functools.lru_cache(maxsize=1)
def default_redactor() -> Redactor:
    """The redactor for the policy in force, built once per process."""
    return build_redactor(current_policy().privacy.redaction)
