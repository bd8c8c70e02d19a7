"""Candor's own named-entity model: people's names and street addresses as customers type them.

Presidio finds structured identifiers with patterns and checksums, but names and addresses have
no pattern: "priya", "ta, kemi x", "flat 3 22 quayside walk fernbridge". No trained spaCy model can
be downloaded where Candor runs, so Candor trains a small one of its own (`candor train`), from
chat messages it generates (`generator`, `templates.yml`) with Faker's names and addresses from
many locales, and Presidio's spaCy engine loads it (`bot.privacy.redaction`).

- `templates.yml`: the messages, written for Candor, with slots for names and addresses.
- `config.cfg`: the spaCy pipeline, the training settings and the generator's locales.
- `generator.py`: fills the templates, typed as people type.
- `training.py`: trains the model under `models/ner-<fingerprint>/`, once per set of inputs.
"""

from bot.privacy.ner.training import NerModelMissing, fingerprint, model_path, require_model, train

__all__ = ["NerModelMissing", "fingerprint", "model_path", "require_model", "train"]
