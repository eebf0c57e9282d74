"""Language identification: the real ensemble on news sentences, and its rules with fake models."""

from __future__ import annotations

import pytest
from wirestream.enrich.language.close import cue_points, family_of
from wirestream.enrich.language.detector import CLOSE_CALL_CONFIDENCE, LanguageDetector
from wirestream.enrich.language.models import Guess, iso_code
from wirestream.enrich.language.sample import language_sample
from wirestream.enrich.language.scripts import read_script

SENTENCES = [
    ("en", "The government announced on Monday that it would raise taxes on fuel to pay for new hospitals."),
    ("fr", "Le gouvernement a annoncé lundi qu'il augmenterait les taxes sur le carburant pour financer les hôpitaux."),
    ("es", "El Gobierno anunció el lunes que subirá los impuestos sobre el combustible para pagar nuevos hospitales."),
    ("de", "Die Regierung kündigte am Montag an, die Steuern auf Kraftstoff zu erhöhen, um neue Krankenhäuser zu bezahlen."),
    ("it", "Il governo ha annunciato lunedì che aumenterà le tasse sul carburante per pagare nuovi ospedali."),
    ("pt", "O governo anunciou na segunda-feira que vai aumentar os impostos sobre os combustíveis para pagar novos hospitais."),
    ("ru", "Правительство объявило в понедельник, что повысит налоги на топливо, чтобы оплатить новые больницы."),
    ("uk", "Уряд оголосив у понеділок, що підвищить податки на пальне, щоб оплатити нові лікарні."),
    ("sr", "Влада је у понедељак најавила да ће повећати порезе на гориво како би платила нове болнице."),
    ("ar", "أعلنت الحكومة يوم الاثنين أنها سترفع الضرائب على الوقود لتمويل مستشفيات جديدة."),
    ("fa", "دولت روز دوشنبه اعلام کرد که مالیات بر سوخت را برای ساخت بیمارستان‌های جدید افزایش می‌دهد."),
    ("tr", "Hükümet pazartesi günü yeni hastanelerin finansmanı için akaryakıt vergilerini artıracağını açıkladı."),
    ("zh", "政府周一宣布，将提高燃油税，用于支付新医院的建设费用。"),
    ("ja", "政府は月曜日、新しい病院の建設費用に充てるため燃料税を引き上げると発表した。"),
    ("ko", "정부는 월요일 새 병원 건설 비용을 마련하기 위해 연료세를 인상하겠다고 발표했다."),
    ("hi", "सरकार ने सोमवार को घोषणा की कि वह नए अस्पतालों के लिए ईंधन पर कर बढ़ाएगी।"),
    ("nl", "De regering kondigde maandag aan dat zij de belasting op brandstof verhoogt om nieuwe ziekenhuizen te betalen."),
    ("pl", "Rząd ogłosił w poniedziałek, że podniesie podatki na paliwo, aby sfinansować nowe szpitale."),
    ("sk", "Vláda v pondelok oznámila, že zvýši dane z pohonných látok, aby mohla zaplatiť nové nemocnice."),
    ("cs", "Vláda v pondělí oznámila, že zvýší daně z pohonných hmot, aby mohla zaplatit nové nemocnice."),
    ("da", "Regeringen meddelte mandag, at den vil hæve afgifterne på brændstof for at betale for nye hospitaler."),
    ("nb", "Regjeringen kunngjorde mandag at den vil øke avgiftene på drivstoff for å betale for nye sykehus."),
    ("ms", "Kerajaan mengumumkan pada hari Isnin bahawa ia akan menaikkan cukai bahan api untuk membiayai hospital baharu."),
    ("id", "Pemerintah mengumumkan pada hari Senin bahwa mereka akan menaikkan pajak bahan bakar untuk membiayai rumah sakit baru."),
    ("hr", "Vlada je u ponedjeljak najavila da će povećati poreze na gorivo kako bi platila nove bolnice, tijekom tjedna."),
    ("sw", "Serikali ilitangaza Jumatatu kwamba itaongeza kodi ya mafuta ili kulipia hospitali mpya."),
    # Languages outside the evaluated 44 are reported too, not bent to the nearest one.
    ("is", "Ríkisstjórnin tilkynnti á mánudag að hún myndi hækka skatta á eldsneyti til að greiða fyrir ný sjúkrahús."),
    ("sl", "Vlada je v ponedeljek napovedala, da bo zvišala davke na gorivo, da bi plačala nove bolnišnice."),
    ("cy", "Cyhoeddodd y llywodraeth ddydd Llun y byddai'n codi trethi ar danwydd i dalu am ysbytai newydd."),
]


@pytest.mark.parametrize(("code", "text"), SENTENCES, ids=[f"{code} is detected" for code, _ in SENTENCES])
def test_detects_the_language(language_detector: LanguageDetector, code: str, text: str) -> None:
    language = language_detector.detect(text)
    assert language.code == code
    assert language.source == "detected"
    assert all(alt.confidence <= language.confidence for alt in language.alternatives)
    assert len(language.alternatives) <= 2


def test_all_caps_text_is_not_mistaken(language_detector: LanguageDetector) -> None:
    assert language_detector.detect("THE GOVERNMENT ANNOUNCED NEW TAXES ON FUEL TODAY").code == "en"


@pytest.mark.parametrize("text", ["", "   ", "12345 67.89 %%% !!!", "—— 2026 ——", "x y z", "NATO", "AP",
                                  "https://example.com/news/2026/11/26/story.html", "press@example.org 555 0100"],
                         ids=["empty", "blank", "digits", "dashes", "three letters", "an acronym", "an agency",
                              "a link", "an address"])
def test_too_few_letters_are_undetermined(language_detector: LanguageDetector, text: str) -> None:
    language = language_detector.detect(text)
    assert (language.code, language.confidence, language.alternatives, language.source) == ("und", 0.0, [], "none")


@pytest.mark.parametrize(("code", "text"), [("el", "Η κυβέρνηση ανακοίνωσε νέους φόρους."), ("he", "הממשלה הודיעה"),
                                            ("th", "รัฐบาลประกาศขึ้นภาษี"), ("ko", "정부는 발표했다"), ("ja", "東京の株価"),
                                            ("hy", "Կառավարությունը հայտարարեց"), ("ka", "მთავრობამ გამოაცხადა")])
def test_a_script_one_language_writes_decides_without_the_models(code: str, text: str) -> None:
    never = FakeModel("never", [])
    language = LanguageDetector([never]).detect(text)
    if code == "he":  # Hebrew letters are also Yiddish: the models choose
        assert read_script(text).candidates == {"he", "yi"}
        return
    assert (language.code, language.alternatives) == (code, [])
    assert language.confidence > 0.9
    assert never.seen == []


def test_a_shared_script_narrows_what_the_models_may_say() -> None:
    # A model that reads Cyrillic as Swedish is not listened to; Russian is.
    confused = FakeModel("confused", [("sv", 0.7), ("ru", 0.3)])
    language = LanguageDetector([confused]).detect("Правительство объявило о новых налогах")
    assert language.code == "ru"
    assert all(alt.code != "sv" for alt in language.alternatives)


def test_a_latin_text_is_never_a_language_without_latin_letters() -> None:
    confused = FakeModel("confused", [("el", 0.9), ("sr", 0.1)])
    assert LanguageDetector([confused]).detect("Kako ti se dopao Boston danas?").code == "sr"


def test_a_close_call_lowers_confidence_and_names_the_rival() -> None:
    torn = FakeModel("torn", [("id", 0.55), ("ms", 0.45)])
    language = LanguageDetector([torn]).detect("Saya suka makan nasi goreng setiap pagi.")
    assert language.code == "id"
    assert language.confidence == CLOSE_CALL_CONFIDENCE
    assert language.alternatives[0].code == "ms"
    assert language.alternatives[0].confidence <= language.confidence


def test_a_clear_lead_over_a_close_language_is_not_a_close_call() -> None:
    sure = FakeModel("sure", [("id", 0.95), ("ms", 0.05)])
    assert LanguageDetector([sure]).detect("Pemerintah mengumumkan pajak baru.").confidence > 0.9


@pytest.mark.parametrize(("text", "winner"), [
    ("Kerajaan akan menaikkan cukai kerana wang tidak cukup, kata pejabat itu.", "ms"),
    ("Pemerintah akan menaikkan pajak karena uang tidak cukup, kata kantor itu.", "id"),
    ("Ne znam gde je reč koju je hteo da kaže.", "sr"),
    ("Tko zna gdje je riječ koju je htio reći tijekom tjedna.", "hr"),
    ("Čo tam robíš? Nerozumiem ti, lebo hovoríš veľmi rýchlo.", "sk"),
    ("Co tam děláš? Nerozumím ti, protože mluvíš příliš rychle.", "cs"),
    ("Hva gjør du? Jeg vet ikke hvorfor han snakker med meg.", "nb"),
    ("Hvad gør du? Jeg ved ikke hvorfor han taler med mig.", "da"),
])
def test_cues_decide_between_close_languages(text: str, winner: str) -> None:
    family = family_of(winner)
    rival = sorted(family - {winner})[0]
    # The model leans the wrong way; the spelling and words of the text turn it.
    leaning = FakeModel("leaning", [(rival, 0.55), (winner, 0.45)])
    assert LanguageDetector([leaning]).detect(text).code == winner
    points = cue_points(text, family)
    assert max(points, key=points.__getitem__) == winner


def test_the_hint_wins_over_a_low_confidence_guess_only() -> None:
    unsure = FakeModel("unsure", [("en", 0.3), ("fr", 0.25), ("es", 0.2), ("it", 0.15), ("pt", 0.1)])
    language = LanguageDetector([unsure], min_confidence=0.5).detect("Bonjour tout le monde", hint="fr")
    assert (language.code, language.source) == ("fr", "hint")
    assert language.confidence == 0.25
    assert [alt.code for alt in language.alternatives] == ["en", "es"]

    sure = FakeModel("sure", [("en", 0.9), ("fr", 0.1)])
    language = LanguageDetector([sure], min_confidence=0.5).detect("Good morning everyone", hint="fr")
    assert (language.code, language.source) == ("en", "detected")


def test_the_hint_decides_a_close_call_and_undetermined_text() -> None:
    torn = FakeModel("torn", [("id", 0.55), ("ms", 0.45)])
    assert LanguageDetector([torn]).detect("Saya suka makan nasi goreng.", hint="ms").code == "ms"
    language = LanguageDetector([torn]).detect("Bon", hint="fr-FR")
    assert (language.code, language.confidence, language.source) == ("fr", 0.0, "hint")


def test_models_after_a_decisive_lead_are_not_asked() -> None:
    first, second = FakeModel("first", [("de", 0.99)]), FakeModel("second", [("de", 0.98)])
    third = FakeModel("third", [("nl", 1.0)])
    language = LanguageDetector([first, second, third]).detect("Die Regierung kündigte neue Steuern an.")
    assert language.code == "de" and third.seen == []
    # A close language near the lead: every model is asked.
    first, second = FakeModel("first", [("id", 0.99)]), FakeModel("second", [("id", 0.98)])
    third = FakeModel("third", [("ms", 1.0)])
    LanguageDetector([first, second, third]).detect("Pemerintah mengumumkan pajak baru.")
    assert third.seen


def test_the_sample_drops_noise_and_reads_the_title_with_a_short_body() -> None:
    body = "Read https://example.com/a?b=1 or write to desk@example.org at 10:30 on 26.11.2026, #budget @finance"
    assert language_sample(body) == "Read or write to at on , budget finance"
    assert language_sample("Short body.", title="A headline") == "A headline Short body."
    assert language_sample("x " * 2000).count("x") <= 250  # bounded


def test_the_sample_leaves_out_boilerplate() -> None:
    body = "Le gouvernement a annoncé de nouvelles taxes.\n\nRead more:\nOther story one\nOther story two"
    assert "Other story" not in language_sample(body)


def test_a_long_article_is_read_by_its_opening(language_detector: LanguageDetector) -> None:
    article = "The government announced new taxes on fuel to pay for hospitals. " * 2000
    assert language_detector.detect(article).code == "en"


@pytest.mark.parametrize(("label", "code"), [("en", "en"), ("EN", "en"), ("fra", "fr"), ("ceb", "ceb"), ("deu", "de"),
                                             ("no", "nb"), ("iw", "he"), ("fil", "tl"), ("hi-Latn", "hi"), ("zh_Hant", "zh")])
def test_labels_become_iso_639_1_where_one_exists(label: str, code: str) -> None:
    assert iso_code(label) == code


def test_the_model_name_lists_each_model_and_version(language_detector: LanguageDetector) -> None:
    assert set(language_detector.model_versions) == {"fasttext-lid.176-lite", "cld3", "langid"}
    assert all(version != "unknown" for version in language_detector.model_versions.values())
    for name, version in language_detector.model_versions.items():
        assert f"{name} {version}" in language_detector.model_name


class FakeModel:
    def __init__(self, name: str, answer: list[Guess]) -> None:
        self.name, self.version = name, "0"
        self.answer = answer
        self.seen: list[str] = []

    def rank(self, text: str) -> list[Guess]:
        self.seen.append(text)
        return list(self.answer)


def test_the_pipeline_reads_the_body_not_the_dateline_and_the_title_with_a_short_body(enrichers) -> None:  # type: ignore[no-untyped-def]
    from wirestream.enrich.pipeline import enrich
    from wirestream.serialization import dumps

    # Names alone say little; the French title decides.
    article = enrich(dumps({"title": "Le président français rencontre le chancelier allemand à Paris",
                            "text": "PARIS (AFP) - Emmanuel Macron, Olaf Scholz."}), enrichers)
    assert article.language.code == "fr"  # type: ignore[union-attr]
    # An English credit and dateline in front of a German story do not make it English.
    article = enrich(dumps({"text": "BERLIN, Nov 24 (Reuters) - Die Bundesregierung hat am Montag neue Steuern auf "
                                    "Kraftstoff angekündigt, um die Krankenhäuser zu finanzieren."}), enrichers)
    assert article.language.code == "de"  # type: ignore[union-attr]
    assert article.enrichment.models.language_models.keys() == {"fasttext-lid.176-lite", "cld3", "langid"}  # type: ignore[union-attr]
    # A body that is only a link is undetermined, whatever its dateline says.
    article = enrich(dumps({"text": "LONDON (Reuters) - https://www.reuters.com/world/uk/story-2026-11-24/"}), enrichers)
    assert (article.language.code, article.language.source) == ("und", "none")  # type: ignore[union-attr]
