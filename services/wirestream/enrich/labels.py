"""One label vocabulary for every language, whatever tag set each NER model was trained with.

Consumes a model's own labels; produces the contract's: a coarse `label` that is the same in every
language (PERSON, ORG, PLACE, MISC) and, where the model tells more, a fine `type` (GPE, LOC, FAC,
NORP, EVENT, ...). Inside the pipeline a span carries its most specific label (`GPE`, or `PLACE`
when the model only says "a place"); `coarse` and `fine` split it for the contract.
"""

from __future__ import annotations

from typing import Final, Iterable

COARSE: Final = ("PERSON", "ORG", "PLACE", "MISC")

# OntoNotes (the English models): every label is fine; numbers and dates are not entities.
_ONTONOTES: Final = {
    "PERSON": "PERSON", "ORG": "ORG",
    "GPE": "GPE", "LOC": "LOC", "FAC": "FAC",
    "NORP": "NORP", "EVENT": "EVENT", "PRODUCT": "PRODUCT", "WORK_OF_ART": "WORK_OF_ART", "LAW": "LAW",
    "LANGUAGE": "LANGUAGE",
}
# WikiNER / CoNLL (the French model, our multilingual one): coarse only.
_CONLL: Final = {"PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG", "LOC": "PLACE", "MISC": "MISC"}

_COARSE_OF: Final = {
    "PERSON": "PERSON", "ORG": "ORG",
    "PLACE": "PLACE", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE",
    "MISC": "MISC", "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
    "LANGUAGE": "MISC",
}


def label_map(model_labels: Iterable[str]) -> dict[str, str]:
    """A model's labels -> our most specific labels; labels left out (DATE, CARDINAL, ...) are dropped."""
    labels = set(model_labels)
    scheme = _ONTONOTES if "GPE" in labels else _CONLL
    return {label: scheme[label] for label in labels if label in scheme}


def coarse(label: str) -> str:
    return _COARSE_OF.get(label, "MISC")


def fine(label: str) -> str | None:
    return None if label in COARSE else label
