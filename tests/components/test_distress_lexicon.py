"""The lexicon finds distress phrases however they are typed, and ignores idioms, denials and possessives."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from bot.components.distress_lexicon import DistressLexicon, LexiconError, expand
from bot.settings import PROJECT_ROOT

NLP = spacy.blank("en")
LEXICON = DistressLexicon.from_file(PROJECT_ROOT / "data" / "distress" / "lexicon.yml", NLP)


def scores(text: str) -> dict:
    return LEXICON.read(NLP.make_doc(text)).scores


@pytest.mark.parametrize("text", ["I can't cope", "I cant cope", "I cannot cope", "I can not cope", "I can’t cope"])
def test_contractions_are_one_phrase_however_they_are_typed(text: str) -> None:
    assert set(scores(text)) == {"emotional_distress"}


def test_an_idiom_hides_its_words_from_the_classifier() -> None:
    doc = NLP.make_doc("I almost died laughing at your advert")

    reading = LEXICON.read(doc)

    assert reading.scores == {}
    assert {doc[i].text for i in reading.ignored} == {"died", "laughing"}


@pytest.mark.parametrize("text", ["the headphones died after two days", "my phone's dead, I'll ring later", "the kettle just died on me"])
def test_a_device_that_died_is_a_figure_of_speech(text: str) -> None:
    doc = NLP.make_doc(text)

    reading = LEXICON.read(doc)

    assert {"died", "dead"} & {doc[i].text for i in reading.ignored}


def test_a_person_who_died_is_not_a_device() -> None:
    doc = NLP.make_doc("my dad died last week")

    reading = LEXICON.read(doc)

    assert set(reading.scores) == {"bereavement"}
    assert not reading.ignored


def test_a_denied_phrase_does_not_count_and_is_hidden_too() -> None:
    doc = NLP.make_doc("I'm not suicidal, just cross")

    reading = LEXICON.read(doc)

    assert reading.scores == {}
    assert "suicidal" in {doc[i].text for i in reading.ignored}


def test_a_phrase_affirmed_after_being_denied_still_counts() -> None:
    assert "self_harm" in scores("I'm not suicidal. Actually I am suicidal")


def test_hurting_oneself_on_something_is_an_accident_and_on_purpose_is_self_harm() -> None:
    assert scores("I cut myself on the edge of your shelf") == {}
    assert scores("I hurt myself on it, the corner is sharp") == {}
    assert set(scores("I cut myself on purpose again last night")) == {"self_harm"}


def test_a_phrase_whose_denial_is_the_warning_sign_is_asked_about() -> None:
    reading = LEXICON.read(NLP.make_doc("I won't go on living like this"))

    assert reading.scores == {}
    assert reading.asks


def test_a_possessive_makes_it_about_something_else() -> None:
    assert scores("I lost my son's bus pass") == {}
    assert scores("I lost my son in the spring") == {"bereavement": 0.9}


def test_slots_stand_for_each_of_their_words() -> None:
    assert expand("lost my {relative}", {"relative": ["mum", "dad"]}) == ["lost my mum", "lost my dad"]


def test_a_phrase_with_an_undefined_slot_is_refused() -> None:
    with pytest.raises(LexiconError, match="relatve"):
        expand("lost my {relatve}", {"relative": ["mum"]})


def test_a_lexicon_with_an_unknown_category_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yml"
    path.write_text("categories:\n  sadness: {score: 0.9, phrases: [sad]}\nnegations: [not]\nnegation_window: 3\n")

    with pytest.raises(LexiconError, match="unknown categories sadness"):
        DistressLexicon.from_file(path, NLP)


def test_a_missing_lexicon_is_named(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="nowhere.yml"):
        DistressLexicon.from_file(tmp_path / "nowhere.yml", NLP)
