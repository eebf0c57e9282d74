"""Language identification with the real fastText model, and the hint rule with a fake one."""

from __future__ import annotations

from typing import Any

import pytest
from wirestream.enrich.language import LanguageDetector, iso_code

SENTENCES = [
    ("en", "The government announced on Monday that it would raise taxes on fuel to pay for new hospitals."),
    ("fr", "Le gouvernement a annoncé lundi qu'il augmenterait les taxes sur le carburant pour financer les hôpitaux."),
    ("es", "El Gobierno anunció el lunes que subirá los impuestos sobre el combustible para pagar nuevos hospitales."),
    ("de", "Die Regierung kündigte am Montag an, die Steuern auf Kraftstoff zu erhöhen, um neue Krankenhäuser zu bezahlen."),
    ("it", "Il governo ha annunciato lunedì che aumenterà le tasse sul carburante per pagare nuovi ospedali."),
    ("pt", "O governo anunciou na segunda-feira que vai aumentar os impostos sobre os combustíveis para pagar novos hospitais."),
    ("ru", "Правительство объявило в понедельник, что повысит налоги на топливо, чтобы оплатить новые больницы."),
    ("ar", "أعلنت الحكومة يوم الاثنين أنها سترفع الضرائب على الوقود لتمويل مستشفيات جديدة."),
    ("fa", "دولت روز دوشنبه اعلام کرد که مالیات بر سوخت را برای ساخت بیمارستان‌های جدید افزایش می‌دهد."),
    ("tr", "Hükümet pazartesi günü yeni hastanelerin finansmanı için akaryakıt vergilerini artıracağını açıkladı."),
    ("zh", "政府周一宣布，将提高燃油税，用于支付新医院的建设费用。"),
    ("ja", "政府は月曜日、新しい病院の建設費用に充てるため燃料税を引き上げると発表した。"),
    ("ko", "정부는 월요일 새 병원 건설 비용을 마련하기 위해 연료세를 인상하겠다고 발표했다."),
    ("hi", "सरकार ने सोमवार को घोषणा की कि वह नए अस्पतालों के लिए ईंधन पर कर बढ़ाएगी।"),
    ("nl", "De regering kondigde maandag aan dat zij de belasting op brandstof verhoogt om nieuwe ziekenhuizen te betalen."),
    ("pl", "Rząd ogłosił w poniedziałek, że podniesie podatki na paliwo, aby sfinansować nowe szpitale."),
    ("uk", "Уряд оголосив у понеділок, що підвищить податки на пальне, щоб оплатити нові лікарні."),
]


@pytest.mark.parametrize(("code", "text"), SENTENCES, ids=[f"{code} is detected" for code, _ in SENTENCES])
def test_detects_the_language(language_detector: LanguageDetector, code: str, text: str) -> None:
    language = language_detector.detect(text)
    assert language.code == code
    assert language.confidence > 0.5
    assert language.source == "detected"
    assert len(language.alternatives) == 2
    assert all(alt.confidence <= language.confidence for alt in language.alternatives)


def test_all_caps_text_is_not_mistaken(language_detector: LanguageDetector) -> None:
    assert language_detector.detect("THE GOVERNMENT ANNOUNCED NEW TAXES ON FUEL TODAY").code == "en"


@pytest.mark.parametrize("text", ["", "   ", "12345 67.89 %%% !!!", "—— 2026 ——"], ids=["empty", "blank", "digits", "dashes"])
def test_text_without_letters_is_undetermined(language_detector: LanguageDetector, text: str) -> None:
    language = language_detector.detect(text)
    assert (language.code, language.confidence, language.alternatives) == ("und", 0.0, [])


class FakeLanguageModel:
    def __init__(self, answer: list[dict[str, Any]]) -> None:
        self.answer = answer
        self.seen: list[str] = []

    def detect(self, text: str, *, model: Any = None, k: int = 1, threshold: float = 0.0) -> list[dict[str, Any]]:
        self.seen.append(text)
        return self.answer[:k]


def test_hint_wins_only_when_detection_is_unsure() -> None:
    unsure = FakeLanguageModel([{"lang": "en", "score": 0.3}, {"lang": "fr", "score": 0.25}, {"lang": "es", "score": 0.1}])
    language = LanguageDetector(unsure, min_confidence=0.5).detect("Bon", hint="fr")
    assert (language.code, language.confidence, language.source) == ("fr", 0.25, "hint")

    sure = FakeLanguageModel([{"lang": "en", "score": 0.9}, {"lang": "fr", "score": 0.05}])
    assert LanguageDetector(sure, min_confidence=0.5).detect("Good morning", hint="fr").code == "en"


def test_model_reads_one_line() -> None:
    model = FakeLanguageModel([{"lang": "en", "score": 0.9}])
    LanguageDetector(model).detect("first line\n\nsecond   line")
    assert model.seen == ["first line second line"]


@pytest.mark.parametrize(("label", "code"), [("en", "en"), ("EN", "en"), ("fra", "fr"), ("ceb", "ceb"), ("deu", "de")])
def test_labels_become_iso_639_1_where_one_exists(label: str, code: str) -> None:
    assert iso_code(label) == code
