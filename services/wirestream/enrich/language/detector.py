"""Language identification: a script check, then an ensemble of three models, then close languages.

Consumes an article's body (without its dateline, credit and byline) and title; produces a
`Language`. A script that one language alone writes decides at once; otherwise fastText, CLD3 and
langid each rank the sample, their probabilities are averaged (over the script's languages when
the script narrows them), and a winner from a family of close languages (Malay/Indonesian,
Croatian/Serbian/Bosnian, ...) is checked against the spelling and words that tell the family
apart. A close call is reported as one: lower confidence and the rival in `alternatives`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Final, Sequence

from wirestream.contracts import Language, LanguageGuess
from wirestream.enrich.language.close import cue_points, family_of
from wirestream.enrich.language.models import LanguageModel, iso_code
from wirestream.enrich.language.sample import language_sample
from wirestream.enrich.language.scripts import ScriptReading, min_letters, read_script

UNDETERMINED: Final = "und"
ENSEMBLE_NAME: Final = "wirestream-langid-ensemble-1"

# The languages accuracy is measured on (`make eval`), which include every language an entity
# model covers. langid is restricted to them: its other languages cost it more than they add.
EVALUATED_LANGUAGES: Final = frozenset(
    "ar bg bn bs ca cs da de el en es et fa fi fr he hi hr hu id it ja ko lt lv ms nb nl pl pt ro ru sk sr "
    "sv sw ta th tl tr uk ur vi zh".split())
# The other national and official languages of the news, which fastText and CLD3 both know.
NEWS_LANGUAGES: Final = EVALUATED_LANGUAGES | frozenset(
    "af am az be ckb cy eu ga gl gu ha hy is ka kk km kn ku ky lb lo mk ml mn mr mt my ne nn pa ps si sl "
    "so sq tg tt uz xh yo zu".split())

# Any other language fastText or CLD3 knows (regional, historical, constructed: Latin, Esperanto,
# Cebuano, Low German, ...) is reported too, but needs more of the models' agreement to win: these
# are what a model names for a short sentence it cannot read.
OTHER_LANGUAGE_PRIOR: Final = 0.4
# fastText, CLD3, langid: langid leans to one member of each close family (Croatian, Indonesian).
MODEL_WEIGHTS: Final = (1.2, 1.0, 0.8)
# One point of a close-language cue is worth this much averaged probability.
CUE_WEIGHT: Final = 0.35
# A winner less than this ahead of a close rival is a close call, reported with at most this
# confidence (below the default WIRESTREAM_LANGUAGE_MIN_CONFIDENCE, so a publisher's hint decides it).
CLOSE_MARGIN: Final = 0.3
CLOSE_CALL_CONFIDENCE: Final = 0.45
_ALTERNATIVES: Final = 2


def _undetermined() -> Language:
    return Language(code=UNDETERMINED, confidence=0.0, alternatives=[], source="none")


def _guesses(scores: dict[str, float]) -> list[LanguageGuess]:
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    return [LanguageGuess(code=code, confidence=round(min(max(score, 0.0), 1.0), 4)) for code, score in ranked]


class LanguageDetector:
    """The language of a text, with the next guesses, and an optional publisher hint for unsure cases."""

    def __init__(self, models: Sequence[LanguageModel], weights: Sequence[float] | None = None,
                 min_confidence: float = 0.5) -> None:
        self._models = list(models)
        self._weights = list(weights) if weights is not None else [1.0] * len(self._models)
        self._min_confidence = min_confidence
        parts = ", ".join(f"{model.name} {model.version}" for model in self._models)
        self.model_name = f"{ENSEMBLE_NAME} ({parts})"
        self.model_versions = {model.name: model.version for model in self._models}

    @property
    def models(self) -> list[LanguageModel]:
        return list(self._models)

    def detect(self, text: str, hint: str | None = None, title: str | None = None) -> Language:
        """The language of `text` (a body; `title` is read with it when it is short)."""
        sample = language_sample(text, title)
        script = read_script(sample)
        if script.letters < min_letters(script.script):
            return self._with_hint(_undetermined(), [], hint)
        candidates = script.candidates
        if candidates is not None and len(candidates) == 1:
            (code,) = candidates
            return Language(code=code, confidence=round(min(script.share, 0.99), 4), alternatives=[],
                            source="detected")
        scores = self._scores(sample, script)
        if not scores:
            return self._with_hint(_undetermined(), [], hint)
        best, *others = _guesses(scores)
        confidence = best.confidence
        if others and others[0].code in family_of(best.code) and best.confidence - others[0].confidence < CLOSE_MARGIN:
            # A close call: below the confidence at which a publisher's hint gives way, and no guess
            # listed above the one reported.
            confidence = min(confidence, CLOSE_CALL_CONFIDENCE)
            others = [guess.model_copy(update={"confidence": min(guess.confidence, confidence)}) for guess in others]
        language = Language(code=best.code, confidence=confidence, alternatives=others[:_ALTERNATIVES],
                            source="detected")
        return self._with_hint(language, [best, *others], hint)

    def _scores(self, sample: str, script: ScriptReading) -> dict[str, float]:
        """The models' weighted average probability per language the script allows, plus the cue
        points of the family of close languages the leader belongs to. A model is not asked when
        the models before it lead by more than it could overturn (and no close language is near)."""
        scores: dict[str, float] = defaultdict(float)
        total, asked = sum(self._weights), 0.0
        for model, weight in zip(self._models, self._weights):
            if len(scores) and self._settled(scores, (total - asked) / total):
                break
            asked += weight
            for code, probability in model.rank(sample):
                if code != UNDETERMINED and script.allows(code):
                    prior = 1.0 if code in NEWS_LANGUAGES else OTHER_LANGUAGE_PRIOR
                    scores[code] += prior * weight * probability / total
        if not scores:
            return scores
        leader = max(scores, key=scores.__getitem__)
        family = frozenset(code for code in family_of(leader) if script.allows(code))
        for code, points in (cue_points(sample, family) if family else {}).items():
            scores[code] += CUE_WEIGHT * points * asked / total
        # Shares of what the models (and cues) named: the models asked are weighed, the others not.
        named = sum(scores.values())
        return {code: score / named for code, score in scores.items()}

    @staticmethod
    def _settled(scores: dict[str, float], unasked: float) -> bool:
        (leader, first), *rest = sorted(scores.items(), key=lambda item: -item[1])[:2]
        second = rest[0][1] if rest else 0.0
        return not family_of(leader) and first - second > unasked

    def _with_hint(self, language: Language, guesses: list[LanguageGuess], hint: str | None) -> Language:
        if not hint or language.confidence >= self._min_confidence:
            return language
        hinted = iso_code(hint)
        if hinted == language.code:
            return language
        confidence = next((guess.confidence for guess in guesses if guess.code == hinted), 0.0)
        alternatives = [guess for guess in guesses if guess.code != hinted][:_ALTERNATIVES]
        return Language(code=hinted, confidence=confidence, alternatives=alternatives, source="hint")
