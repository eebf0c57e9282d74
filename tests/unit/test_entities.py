"""Entity tidying and grouping: with a fake NER for exact cases, and real spaCy for the seed."""

from __future__ import annotations

import re

import pytest
from wirestream.contracts import Entity
from wirestream.enrich.entities import (
    entities_from_spans,
    group_mentions,
    ner_input,
    repair_broken_hyphens,
    tidy_span,
)
from wirestream.enrich.pipeline import Enrichers, enrich

from tests.fakes import FakeRecognizer


def spans_of(text: str, *marked: tuple[str, str]) -> list[tuple[int, int, str]]:
    """Spans for every occurrence of each (surface, label)."""
    found = []
    for surface, label in marked:
        found += [(m.start(), m.end(), label) for m in re.finditer(re.escape(surface), text)]
    return sorted(found)


def test_full_name_short_name_and_broken_hyphen_are_one_person() -> None:
    text = "Hossein Amir-Abdollahian spoke. Later Amir-Abdollahian left. Amir- Abdollahian returned."
    spans = spans_of(text, ("Hossein Amir-Abdollahian", "PERSON"), ("Later Amir-Abdollahian", "X"), ("Amir- Abdollahian", "NORP"))
    spans = [(s + 6, e, "PERSON") if label == "X" else (s, e, label) for s, e, label in spans]
    entities = group_mentions(text, spans)
    assert [(e.name, e.label, e.count) for e in entities] == [("Hossein Amir-Abdollahian", "PERSON", 3)]
    assert [m.text for m in entities[0].mentions] == ["Hossein Amir-Abdollahian", "Amir-Abdollahian", "Amir- Abdollahian"]


def test_leading_the_and_possessive_are_not_part_of_the_name() -> None:
    text = "the Islamic Republic of Iran's policy and The United Nations' view"
    org = text.index("The United")
    entities = group_mentions(text, [(0, 30, "GPE"), (org, org + len("The United Nations'"), "ORG")])
    assert [(e.name, e.mentions[0].text) for e in entities] == [
        ("Islamic Republic of Iran", "Islamic Republic of Iran"),
        ("United Nations", "United Nations"),
    ]
    assert entities[0].mentions[0].start == 4


def test_numbers_and_dates_are_left_out() -> None:
    text = "On Monday 5,000 people met Keir Starmer."
    spans = [(3, 9, "DATE"), (10, 15, "CARDINAL"), (27, 39, "PERSON")]
    assert [e.name for e in group_mentions(text, spans)] == ["Keir Starmer"]


def test_organisation_with_and_without_its_designator_is_one() -> None:
    text = "Palestinian Islamic Jihad said. The Palestinian Islamic Jihad Movement agreed."
    entities = group_mentions(text, spans_of(text, ("Palestinian Islamic Jihad Movement", "ORG")) + [(0, 25, "ORG")])
    assert [(e.name, e.count) for e in entities] == [("Palestinian Islamic Jihad Movement", 2)]


def test_surname_mislabelled_as_a_place_joins_the_person_but_a_country_does_not() -> None:
    text = "Maria Delgado spoke. Delgado left. Michael Jordan visited Jordan."
    spans = [(0, 13, "PERSON"), (21, 28, "GPE"), (35, 49, "PERSON"), (58, 64, "GPE")]
    entities = {e.name: (e.label, e.count) for e in group_mentions(text, spans)}
    assert entities == {"Maria Delgado": ("PERSON", 2), "Michael Jordan": ("PERSON", 1), "Jordan": ("PLACE", 1)}


def test_ambiguous_short_name_stays_on_its_own() -> None:
    text = "Ali Khan and Imran Khan met. Khan said no."
    spans = [(0, 8, "PERSON"), (13, 23, "PERSON"), (29, 33, "PERSON")]
    assert sorted(e.name for e in group_mentions(text, spans)) == ["Ali Khan", "Imran Khan", "Khan"]


def test_order_is_by_count_then_first_mention() -> None:
    text = "Alpha Beta Gamma Beta Gamma"
    spans = [(0, 5, "ORG"), (6, 10, "ORG"), (11, 16, "ORG"), (17, 21, "ORG"), (22, 27, "ORG")]
    assert [e.name for e in group_mentions(text, spans)] == ["Beta", "Gamma", "Alpha"]


def test_same_name_with_different_labels_takes_the_majority_label() -> None:
    text = "Hamas said. Hamas agreed. Hamas left."
    spans = [(0, 5, "ORG"), (12, 17, "NORP"), (26, 31, "ORG")]
    entities = group_mentions(text, spans)
    assert [(e.name, e.label, e.count) for e in entities] == [("Hamas", "ORG", 3)]


def test_french_person_label_becomes_person() -> None:
    text = "Emmanuel Macron a parlé."
    assert group_mentions(text, [(0, 15, "PER")])[0].label == "PERSON"


def test_span_cut_inside_a_hyphenated_word_takes_the_word() -> None:
    text = "Minister Ahn Duk-geun met him."
    assert tidy_span(text, 9, 17) == (9, 21)


@pytest.mark.parametrize("surface", ["the", "'s", "...", "  "], ids=["article only", "possessive only", "dots", "spaces"])
def test_mention_of_nothing_is_dropped(surface: str) -> None:
    assert tidy_span(surface, 0, len(surface)) is None


def test_broken_hyphens_are_repaired_with_an_offset_map() -> None:
    repaired, removed = repair_broken_hyphens("Amir- Abdollahian and al- Nakhalah")
    assert repaired == "Amir-Abdollahian and al-Nakhalah"
    assert removed == [5, 24]


def extract_entities(text: str, recognizer: FakeRecognizer, *, start: int = 0,
                     max_chars: int | None = None) -> tuple[list[Entity], int | None]:
    """What the pipeline does around NER: the input it reads, then its spans mapped back and grouped."""
    ner = ner_input(text, start=start, max_chars=max_chars)
    return entities_from_spans(text, ner, recognizer.spans(ner.text)), ner.truncated_at


def test_offsets_point_into_the_original_text_after_repair_and_start() -> None:
    text = "DATELINE - Amir- Abdollahian spoke with Amir- Abdollahian."
    fake = FakeRecognizer(lambda view: spans_of(view, ("Amir-Abdollahian", "PERSON")))
    entities, truncated = extract_entities(text, fake, start=11)
    assert truncated is None
    assert fake.calls == ["Amir-Abdollahian spoke with Amir-Abdollahian."]
    assert [(m.start, m.end, m.text) for m in entities[0].mentions] == [
        (11, 28, "Amir- Abdollahian"),
        (40, 57, "Amir- Abdollahian"),
    ]


def test_ner_input_is_truncated_and_the_cut_reported() -> None:
    text = "Keir Starmer " * 100
    fake = FakeRecognizer(lambda view: spans_of(view, ("Keir Starmer", "PERSON")))
    entities, truncated = extract_entities(text, fake, max_chars=130)
    assert truncated == 130
    assert len(fake.calls[0]) == 130
    assert entities[0].count == 10


def test_read_more_trailer_and_site_label_are_skipped() -> None:
    text = "Iran PressIran news: Oman met Iran.\n\nMore text about Oman here.\n\nRead more:\n\nIran's president speaks"
    fake = FakeRecognizer(lambda view: spans_of(view, ("PressIran", "ORG"), ("Oman", "GPE"), ("Iran", "GPE")))
    entities, _ = extract_entities(text, fake)
    counts = {e.name: e.count for e in entities}
    assert counts == {"Oman": 2, "Iran": 1}


def test_seed_article_entities_with_real_spacy(enrichers: Enrichers, seed_path) -> None:  # type: ignore[no-untyped-def]
    article = enrich(seed_path.read_bytes(), enrichers)
    by_name = {e.name: e for e in article.entities}
    amir = by_name["Hossein Amir-Abdollahian"]
    assert amir.label == "PERSON"
    assert {m.text for m in amir.mentions} == {"Hossein Amir-Abdollahian", "Amir- Abdollahian"}
    assert amir.count == 3
    assert by_name["Ziyad al-Nakhalah"].label == "PERSON" and by_name["Ziyad al-Nakhalah"].count == 3
    pij = [e for e in article.entities if e.name.startswith("Palestinian Islamic Jihad")]
    assert len(pij) == 1 and pij[0].label == "ORG" and pij[0].count == 3
    assert not [e for e in article.entities if e.name.lower().startswith("the ") or e.name.endswith("'s")]
    assert "PressIran" not in by_name


def test_every_model_speaks_one_label_vocabulary() -> None:
    from wirestream.enrich.labels import coarse, fine, label_map

    english = label_map(["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "DATE", "CARDINAL"])
    assert english == {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "FAC", "NORP": "NORP",
                       "EVENT": "EVENT"}  # numbers and dates are not entities
    french = label_map(["PER", "ORG", "LOC", "MISC"])
    assert french == {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE", "MISC": "MISC"}  # LOC is any place there
    assert [(coarse(x), fine(x)) for x in ("GPE", "PLACE", "NORP", "PERSON")] == [
        ("PLACE", "GPE"), ("PLACE", None), ("MISC", "NORP"), ("PERSON", None)]


def test_salience_orders_entities_by_frequency_position_title_and_lead() -> None:
    text = "BERLIN (Reuters) - Olaf Scholz met Emmanuel Macron.\n\nLater, Scholz spoke. A word on Siemens. Scholz left."
    body_start = text.index("Olaf")
    spans = [(text.index("Olaf"), text.index("Olaf") + 11, "PERSON"),
             (text.index("Emmanuel"), text.index("Emmanuel") + 15, "PERSON"),
             (text.index("Scholz spoke"), text.index("Scholz spoke") + 6, "PERSON"),
             (text.index("Siemens"), text.index("Siemens") + 7, "ORG"),
             (text.rindex("Scholz"), text.rindex("Scholz") + 6, "PERSON")]
    title = "Siemens chief warns"
    entities = group_mentions(text, spans, title=title, title_spans=[(0, 7, "ORG")], body_start=body_start)
    assert [e.name for e in entities] == ["Olaf Scholz", "Siemens", "Emmanuel Macron"]
    scholz, siemens, macron = entities
    assert scholz.salience == round(0.4 * 3 / 3 + 0.25 * 1 + 0.15, 3)  # most mentioned, first, in the lead
    assert siemens.count == 2 and [m.text for m in siemens.title_mentions] == ["Siemens"]
    assert siemens.salience > macron.salience  # the title outweighs one early mention
    assert all(0 <= e.salience <= 1 for e in entities)


def test_an_entity_only_the_title_names_is_kept_with_its_title_mentions() -> None:
    entities = group_mentions("The talks went on.", [], title="MERKEL RETURNS", title_forms="Merkel Returns",
                              title_spans=[(0, 6, "PERSON")])
    [merkel] = entities
    assert (merkel.name, merkel.count, merkel.mentions) == ("Merkel", 1, [])
    assert merkel.title_mentions[0].text == "MERKEL"  # as written in the title


@pytest.mark.parametrize(("title", "read"), [
    ("MACRON MEETS SCHOLZ IN BERLIN", "Macron Meets Scholz In Berlin"),
    ("Macron meets Scholz in Berlin", "Macron meets Scholz in Berlin"),
    ("NATO summit opens", "NATO summit opens"),
    ("2026", None), (None, None)])
def test_an_all_caps_headline_is_read_in_mixed_case(title: str | None, read: str | None) -> None:
    from wirestream.enrich.entities import headline_for_ner

    assert headline_for_ner(title) == read


def test_news_agencies_are_organisations_even_when_ner_misses_them() -> None:
    from wirestream.enrich.entities import NerInput, entities_from_spans

    text = "PARIS (AFP) - Xinhua and Agence France-Presse reported it; reuters.com did not."
    start = text.index("Xinhua")
    entities = entities_from_spans(text, NerInput(text[start:], start, [], None), [])
    assert {(e.name, e.label) for e in entities} == {("Xinhua", "ORG"), ("Agence France-Presse", "ORG")}


@pytest.mark.parametrize(("full", "short"), [("Siemens AG", "Siemens"), ("Inditex SA", "Inditex"),
                                             ("Volvo AB", "Volvo"), ("Shell plc", "Shell")])
def test_a_company_with_and_without_its_legal_form_is_one(full: str, short: str) -> None:
    text = f"{full} said profits rose. {short} expects more."
    spans = [(0, len(full), "ORG"), (text.index(short, len(full)), text.index(short, len(full)) + len(short), "ORG")]
    assert [(e.name, e.count) for e in group_mentions(text, spans)] == [(full, 2)]


@pytest.mark.parametrize(("span", "label", "name"), [
    ("Bundeskanzler Olaf Scholz", "PERSON", "Olaf Scholz"),
    ("Premier Dick Schoof", "PERSON", "Dick Schoof"),
    ("Prime Minister Keir Starmer", "PERSON", "Keir Starmer"),
    ("Chipmachinemaker ASML", "ORG", "ASML"),
    ("Österreichs Bundeskanzler", "PERSON", None),  # a role, no name
    ("Tennisprofi", "PERSON", None),
    ("Olaf Scholz. Ambos", "PERSON", "Olaf Scholz"),  # the next sentence
    ("Premier League", "ORG", "Premier League"),  # a role word inside a name stays
    ("Billie Jean King", "PERSON", "Billie Jean King"),
    ("J. K. Rowling", "PERSON", "J. K. Rowling"),
    ("Dr. Angela Merkel", "PERSON", "Dr. Angela Merkel"),
    ("Ursula von der Leyen", "PERSON", "Ursula von der Leyen"),
    ("Bundeskanzler", "LOC", "Bundeskanzler"),  # roles are looked for in people and organisations only
])
def test_what_a_model_takes_along_with_a_name_is_left_out(span: str, label: str, name: str | None) -> None:
    tidied = tidy_span(span, 0, len(span), label)
    assert (span[tidied[0]:tidied[1]] if tidied else None) == name
