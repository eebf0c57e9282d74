"""The one place where the enrichers' heavy dependencies are built: fastText, spaCy, the gazetteer.

Every `make_*` is called once per process by an entry point (the worker, `wirestream enrich`,
the benchmark); the results are passed in as `Enrichers`, whose parts are typed by Protocol, so
tests hand in fakes or the real thing.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Mapping, Sequence

from wirestream.enrich.dateline import DatelineParser
from wirestream.enrich.entities import EntityRecognizer, Span
from wirestream.enrich.geo.gazetteer import Gazetteer
from wirestream.enrich.geo.geonames import load_gazetteer
from wirestream.enrich.label_check import NameLists
from wirestream.enrich.labels import label_map
from wirestream.enrich.language.detector import (
    EVALUATED_LANGUAGES,
    MODEL_WEIGHTS,
    LanguageDetector,
)
from wirestream.enrich.language.models import load_models
from wirestream.enrich.pipeline import Enrichers
from wirestream.enrich.stories import StoryIndex
from wirestream.errors import ConfigError
from wirestream.settings import Settings

log = logging.getLogger(__name__)

# Components NER never reads. tok2vec is only dropped when NER has its own embedding layer.
_NOT_FOR_NER = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer", "textcat",
                "textcat_multilabel", "trainable_lemmatizer", "entity_linker")


def make_language_detector(settings: Settings) -> LanguageDetector:
    detector = LanguageDetector(load_models(EVALUATED_LANGUAGES), MODEL_WEIGHTS,
                                min_confidence=settings.language_min_confidence)
    detector.detect("warm up the models")
    return detector


def make_gazetteer(settings: Settings) -> Gazetteer:
    started = time.monotonic()
    gazetteer = load_gazetteer(settings.cache_dir)
    log.info("gazetteer of %d places ready in %.1fs", gazetteer.size, time.monotonic() - started)
    return gazetteer


def make_dateline_parser(settings: Settings, gazetteer: Gazetteer | None = None) -> DatelineParser:
    return DatelineParser(gazetteer or make_gazetteer(settings))


# Pipelines shipped inside this package ('wirestream:ner_multi'), trained by `make models`.
PACKAGED_MODELS = Path(__file__).parent / "models"
_PACKAGED = "wirestream:"


def _packaged_path(name: str) -> Path | None:
    path = PACKAGED_MODELS / name.removeprefix(_PACKAGED)
    return path if name.startswith(_PACKAGED) and (path / "meta.json").is_file() else None


def resolve_model_package(choices: str) -> str | None:
    """The first installed spaCy package (or packaged pipeline) among 'a|b|c', or None."""
    for name in (c.strip() for c in choices.split("|")):
        if name.startswith(_PACKAGED):
            if _packaged_path(name) is not None:
                return name
        elif name and importlib.util.find_spec(name) is not None:
            return name
    return None


def _model_path(package: str) -> Path:
    import spacy

    return _packaged_path(package) or Path(spacy.util.get_package_path(package))


def _ner_listens_to_shared_tok2vec(package: str) -> bool:
    import spacy

    path = _model_path(package)
    config_path = next(iter(sorted(path.glob("*/config.cfg"))), None) or path / "config.cfg"
    config = spacy.util.load_config(config_path, interpolate=False)
    architecture = config["components"]["ner"]["model"]["tok2vec"].get("@architectures", "")
    return "Listener" in architecture


class SpacyRecognizer:
    """spaCy NER with only the components it needs, speaking our label vocabulary."""

    def __init__(self, nlp: Any, model_name: str) -> None:
        self._nlp = nlp
        self.model_name = model_name
        self._labels = label_map(nlp.get_pipe("ner").labels)

    def spans(self, text: str) -> list[Span]:
        return self._spans(self._nlp(text))

    def spans_batch(self, texts: Sequence[str]) -> list[list[Span]]:
        return [self._spans(doc) for doc in self._nlp.pipe(texts, batch_size=max(1, len(texts)))]

    def _spans(self, doc: Any) -> list[Span]:
        return [(ent.start_char, ent.end_char, self._labels[ent.label_]) for ent in doc.ents if ent.label_ in self._labels]


def make_spacy_recognizer(package: str) -> SpacyRecognizer:
    import spacy

    exclude = list(_NOT_FOR_NER)
    if not _ner_listens_to_shared_tok2vec(package):
        exclude.append("tok2vec")
    packaged = _packaged_path(package)
    nlp = spacy.load(packaged if packaged is not None else package, exclude=exclude)
    if "ner" not in nlp.pipe_names:
        raise ConfigError(f"spaCy package {package!r} has no 'ner' component; set WIRESTREAM_NER_MODELS")
    meta = nlp.meta
    name = f"{meta['lang']}_{meta['name']}-{meta.get('version', '?')}" if packaged else f"{package}-{meta.get('version', '?')}"
    log.info("loaded spaCy %s with components %s", name, nlp.pipe_names)
    return SpacyRecognizer(nlp, name)


class EntityRecognizers:
    """NER per language, each model loaded on first use and kept for the life of the process."""

    def __init__(self, packages: Mapping[str, str]) -> None:
        self._choices = dict(packages)
        self._loaded: dict[str, EntityRecognizer | None] = {}
        self._by_package: dict[str, EntityRecognizer] = {}  # one multilingual model serves many languages
        self._lock = threading.Lock()

    @property
    def languages(self) -> list[str]:
        """The languages entities are extracted for (those whose model is installed)."""
        return sorted(language for language, choices in self._choices.items() if resolve_model_package(choices))

    def for_language(self, language: str) -> EntityRecognizer | None:
        if language in self._loaded:
            return self._loaded[language]
        with self._lock:
            if language not in self._loaded:
                package = resolve_model_package(self._choices.get(language, ""))
                if package is not None and package not in self._by_package:
                    self._by_package[package] = make_spacy_recognizer(package)
                self._loaded[language] = self._by_package[package] if package else None
        return self._loaded[language]

    def loaded(self) -> dict[str, str]:
        """Language -> name and version of the model loaded for it (none are loaded by this call)."""
        return {language: r.model_name for language, r in sorted(self._loaded.items()) if r is not None}

    def preload(self) -> None:
        for language in self._choices:
            self.for_language(language)


def make_entity_recognizers(settings: Settings) -> EntityRecognizers:
    for language, choices in settings.ner_model_choices.items():
        if resolve_model_package(choices) is None:
            log.warning("no spaCy model installed for %s (%s): its articles get no entities", language, choices)
    return EntityRecognizers(settings.ner_model_choices)


def make_name_lists() -> NameLists:
    """First names of every locale Faker (MIT) ships: ~31,000 names of 86 locales, in 0.05 s."""
    import importlib
    import pkgutil

    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            found = provider.__dict__.get(attribute)
            if isinstance(found, (dict, list, tuple, set, frozenset)):
                names.update(found)
    return NameLists(first_names=frozenset(names))


def make_story_index(settings: Settings) -> StoryIndex:
    """A story index with the settings' window and thresholds (the stories stage's, `wirestream enrich`'s,
    the evaluation's)."""
    return StoryIndex(window=timedelta(seconds=settings.story_window), story_threshold=settings.story_threshold,
                      duplicate_threshold=settings.story_duplicate_threshold,
                      key_term_threshold=settings.story_key_term_threshold)


def make_enrichers(settings: Settings, *, preload: bool = True) -> Enrichers:
    """All enrichers for one process; `preload` loads the spaCy models now rather than on first use."""
    recognizers = make_entity_recognizers(settings)
    if preload:
        recognizers.preload()
    gazetteer = make_gazetteer(settings)
    return Enrichers(
        language=make_language_detector(settings),
        dateline=make_dateline_parser(settings, gazetteer),
        entities=recognizers,
        places=gazetteer,
        max_article_bytes=settings.max_article_bytes,
        ner_max_chars=settings.ner_max_chars,
        max_mentions_per_entity=settings.max_mentions_per_entity,
        names=make_name_lists(),
    )
