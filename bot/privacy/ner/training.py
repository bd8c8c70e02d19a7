"""Training the NER model, cached by a fingerprint of everything that shapes it.

Like the Rasa model (`bot.model`), the model is stored under a name made from a hash of its
inputs: the spaCy config, the templates, this package's code, and the Faker and spaCy versions
(Faker's names and addresses change between versions). An unchanged project is never trained
twice; a changed one never loads a stale model. `candor train` (and so `make train`) builds it.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional, TextIO

import spacy
from spacy.language import Language
from spacy.training import Example

from bot.settings import PROJECT_ROOT, SEED_DIR

NER_DIR = Path(__file__).parent
CONFIG = NER_DIR / "config.cfg"
MODELS_DIR = PROJECT_ROOT / "models"
# Candor's own messages, learnt alongside the generated ones (`own_messages`): what customers ask
# (the NLU examples), what the assistant answers (the domain's responses and the policy's notices)
# and what the shop sells.
NLU_DIR = PROJECT_ROOT / "data" / "nlu"
DOMAIN_DIR = PROJECT_ROOT / "bot" / "domain"
CATALOGUE = SEED_DIR / "products.yml"
POLICY_FILE = PROJECT_ROOT / "bot" / "policy.yml"
NLU_EXAMPLES, RESPONSES = "candor_nlu_examples", "candor_responses"
# The versions of the libraries whose behaviour is part of the model.
LIBRARIES = ("Faker", "spacy")


class NerModelMissing(RuntimeError):
    """Redaction needs the NER model, and it has not been trained for the current inputs."""


def training_inputs() -> List[Path]:
    """Every file whose whole content changes the trained model, in a stable order.

    The policy, the NLU examples and the domain are not among them: only the sentences the model
    learns from them count (`learnt_texts`), so a new threshold, a comment, a slot or an intent's
    order does not retrain the model (and reshuffle what it catches).
    """
    own = sorted(p for p in NER_DIR.rglob("*") if p.is_file() and p.suffix in (".py", ".yml", ".cfg"))
    return own + [CATALOGUE]


def learnt_texts(policy_file: Path = POLICY_FILE) -> List[str]:
    """The sentences of Candor's own that the model learns from: examples, responses, the policy's."""
    from bot.privacy.ner.own_messages import nlu_lines, policy_texts, response_texts

    return [*nlu_lines(NLU_DIR), *response_texts(DOMAIN_DIR), *policy_texts(policy_file)]


def fingerprint(files: Optional[Iterable[Path]] = None, policy_file: Path = POLICY_FILE) -> str:
    """A hash of the inputs' names and contents, the sentences learnt, and the Faker and spaCy versions."""
    versions = "".join(f"{library} {metadata.version(library)}\n" for library in LIBRARIES)
    digest = hashlib.sha256(versions.encode())
    for path in files if files is not None else training_inputs():
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    digest.update("\n".join(learnt_texts(policy_file)).encode())
    return digest.hexdigest()


def model_path(models_dir: Optional[Path] = None) -> Path:
    """Where the model for the current inputs is (or will be) stored."""
    return (models_dir or MODELS_DIR) / f"ner-{fingerprint()[:16]}"


def require_model(path: Optional[Path] = None) -> Path:
    """The trained model's folder, or a clear error saying how to build it."""
    path = path or model_path()
    if not (path / "config.cfg").is_file():
        raise NerModelMissing(
            f"the named-entity model that redaction needs is missing ({_shown(path)}); "
            f"run `make train` (or `candor train`) to build it"
        )
    return path


def train(force: bool = False, models_dir: Optional[Path] = None, stdout: TextIO = sys.stdout) -> Path:
    """Train unless a model for exactly these inputs exists; returns the model's folder.

    The model is written to a temporary folder and renamed into place, so a process loading it
    never sees half a model.
    """
    path = model_path(models_dir)
    if (path / "config.cfg").is_file() and not force:
        return path
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    config = spacy.util.load_config(CONFIG, interpolate=False)
    nlp = init_nlp(config)
    nlp, _ = train_loop(nlp, None, stdout=stdout, stderr=stdout)
    with_words_as_lemmas(nlp)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
    nlp.to_disk(staging)
    if path.exists():  # --force: replace the old one
        shutil.rmtree(path)
    staging.rename(path)
    return path


def with_words_as_lemmas(nlp: Language) -> None:
    """Add a lemmatizer with an empty table, so every word is its own lemma.

    Presidio raises a recognizer's score when one of its context words ("card", "phone") is
    near, comparing lemmas; without a lemmatizer every lemma is empty and context never counts.
    """
    from spacy.lookups import Lookups

    lemmas = Lookups()
    lemmas.add_table("lemma_lookup", {})
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"}, first=True).initialize(lookups=lemmas)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


@spacy.registry.readers("candor.synthetic_chat.v1")
def synthetic_chat(
    templates: str,
    count: int,
    seed: int,
    categories: Dict[str, float],
    name_locales: Dict[str, float],
    address_locales: Dict[str, float],
    name_shapes: Dict[str, float],
    lower_case_share: float,
    typo_rate: float,
    strip_accents_share: float,
    join_share: float,
    nlu_leave_out: List[str],
) -> Callable[[Language], Iterator[Example]]:
    """spaCy corpus reader `candor.synthetic_chat.v1`: generated messages as training examples.

    The messages are generated once; each epoch makes its examples from the same list. Faker is
    imported only here, so loading the trained model does not need it.
    """
    from bot.privacy.ner.generator import INSERTED, ChatMessageGenerator, Settings, read_templates
    from bot.privacy.ner.own_messages import assistant_responses, nlu_examples, policy_texts, product_names

    settings = Settings(
        seed=seed, categories=categories, name_locales=name_locales, address_locales=address_locales,
        name_shapes=name_shapes, lower_case_share=lower_case_share, typo_rate=typo_rate,
        strip_accents_share=strip_accents_share, join_share=join_share,
    )
    data = read_templates(NER_DIR / templates)
    # The shop's own products fill some {product} slots: the model must leave them alone.
    data["fillers"]["catalogue"] = product_names(CATALOGUE)
    requests = nlu_examples(NLU_DIR, nlu_leave_out)
    own = {
        NLU_EXAMPLES: requests,
        INSERTED: requests,
        RESPONSES: assistant_responses(DOMAIN_DIR, data.get("assistant_placeholders") or {}) + policy_texts(POLICY_FILE),
    }
    messages = ChatMessageGenerator(data, settings, own).messages(count)

    def examples(nlp: Language) -> Iterator[Example]:
        for message in messages:
            reference = nlp.make_doc(message.text)
            reference.ents = [
                reference.char_span(start, end, label=label, alignment_mode="expand")
                for start, end, label in message.entities
            ]
            yield Example(nlp.make_doc(message.text), reference)

    return examples

