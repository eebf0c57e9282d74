"""A seeded test set for near-duplicates and stories, written here (no outside data).

- Originals: wire articles of the benchmark corpus (five languages, sentence templates filled
  with names and places: many share whole sentences, as wire copy does), and three families of
  template stories that share most of their words but are different stories: quarterly
  earnings, football results and weather reports.
- Copies (30% of the stream): an original republished under a new id, each with one or more of
  what outlets do: a new title, a byline or a credit added, the last paragraph trimmed, a few
  words changed.
Every original is its own story; a copy belongs to its original's story.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from wirestream.serialization import loads

from bench.corpus import republish

SEED = 20261126


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    title: str | None
    original: str  # the id of the original (itself for an original)
    kind: str  # "wire", "earnings", "results", "weather" or "copy"
    edits: tuple[str, ...] = ()


COMPANIES = ["Siemens", "Airbus", "Nestlé", "Unilever", "Philips", "Volvo", "Renault", "Bayer", "Heineken",
             "Ericsson", "Nokia", "Danone", "Adidas", "Carlsberg", "Repsol", "Iberdrola", "Telefónica", "Inditex"]
CLUBS = ["Arsenal", "Chelsea", "Liverpool", "Everton", "Fulham", "Brentford", "Wolves", "Burnley", "Leeds",
         "Newcastle", "Brighton", "Aston Villa", "Tottenham", "West Ham", "Bournemouth", "Nottingham Forest"]
CITIES = ["London", "Paris", "Berlin", "Madrid", "Rome", "Vienna", "Prague", "Warsaw", "Lisbon", "Dublin",
          "Oslo", "Helsinki", "Athens", "Budapest", "Brussels", "Amsterdam", "Copenhagen", "Stockholm"]
PEOPLE = ["Anna Berg", "Lukas Meyer", "Sofia Rossi", "James Hall", "Maria Lopez", "Tom Novak", "Eva Lind"]


def earnings(rng: random.Random) -> str:
    company, city = rng.choice(COMPANIES), rng.choice(CITIES)
    revenue, profit, change = rng.randint(2, 40), rng.uniform(0.1, 5), rng.uniform(-15, 25)
    quarter = rng.choice(["first", "second", "third", "fourth"])
    return (f"{company} reported {quarter}-quarter revenue of {revenue}.{rng.randint(0, 9)} billion euros on "
            f"{rng.choice(['Tuesday', 'Wednesday', 'Thursday'])}, {abs(change):.1f} percent "
            f"{'up' if change > 0 else 'down'} on a year earlier, and a net profit of {profit:.2f} billion euros.\n\n"
            f"The company, based in {city}, said demand in its {rng.choice(['industrial', 'consumer', 'energy'])} "
            f"division had been {rng.choice(['stronger', 'weaker', 'steadier'])} than expected and that it "
            f"{rng.choice(['confirmed', 'raised', 'cut'])} its forecast for the full year.\n\n"
            f"Chief executive {rng.choice(PEOPLE)} told analysts that costs had risen by {rng.randint(2, 9)} percent "
            f"and that the company would {rng.choice(['cut', 'add'])} about {rng.randint(1, 9) * 500} jobs.\n\n"
            f"Shares in {company} {rng.choice(['rose', 'fell'])} {rng.uniform(0.5, 8):.1f} percent in early trading.")


def results(rng: random.Random) -> str:
    home, away = rng.sample(CLUBS, 2)
    goals = rng.randint(0, 4), rng.randint(0, 4)
    scorer, minute = rng.choice(PEOPLE), rng.randint(5, 89)
    return (f"{home} {'beat' if goals[0] > goals[1] else 'drew with' if goals[0] == goals[1] else 'lost to'} "
            f"{away} {max(goals)}-{min(goals)} on {rng.choice(['Saturday', 'Sunday'])} in front of "
            f"{rng.randint(20, 60)},{rng.randint(100, 999)} fans.\n\n"
            f"{scorer} opened the scoring in the {minute}th minute, and {rng.choice(PEOPLE)} added a "
            f"{rng.choice(['header', 'penalty', 'free kick'])} after {minute + rng.randint(1, 10)} minutes.\n\n"
            f"The result leaves {home} {rng.randint(1, 20)}th in the table with {rng.randint(10, 60)} points, "
            f"{rng.randint(1, 15)} behind the leaders.\n\n"
            f"{away} play {rng.choice(CLUBS)} next {rng.choice(['Wednesday', 'weekend'])}.")


def weather(rng: random.Random) -> str:
    city = rng.choice(CITIES)
    high, low, rain = rng.randint(-5, 35), rng.randint(-15, 20), rng.randint(0, 60)
    return (f"Forecasters expect {rng.choice(['sunshine', 'heavy rain', 'snow', 'thunderstorms', 'fog'])} in "
            f"{city} on {rng.choice(['Monday', 'Tuesday', 'Friday'])}, with temperatures between {low} and {high} "
            f"degrees Celsius.\n\n"
            f"Up to {rain} millimetres of rain could fall in {rng.choice(['the north', 'the south', 'the east'])} "
            f"of the region, and winds of {rng.randint(10, 90)} kilometres per hour are likely along the coast.\n\n"
            f"The national weather service issued a {rng.choice(['yellow', 'orange', 'red'])} warning for "
            f"{rng.choice(CITIES)} and advised drivers to take care.")


def copy_of(original: Item, index: int, rng: random.Random) -> Item:
    text, title, edits = republish(original.text, original.title, rng)
    return Item(f"copy-{index:05d}-of-{original.id}", text, title, original.id, "copy", edits)


def story_set(originals: int = 700, seed: int = SEED) -> list[Item]:
    """The stream in the order articles arrive: originals, each copy some time after its original."""
    from bench.corpus import make_corpus

    rng = random.Random(seed)
    families = {"earnings": earnings, "results": results, "weather": weather}
    wire_count = originals - 3 * (originals // 5)
    items = [Item(f"wire-{i:05d}", loads(a.value)["text"], None, f"wire-{i:05d}", "wire")
             for i, a in enumerate(make_corpus(wire_count, seed=seed))]
    for kind, make in families.items():
        items += [Item(f"{kind}-{i:05d}", make(rng), f"{kind} {i}", f"{kind}-{i:05d}", kind)
                  for i in range(originals // 5)]
    rng.shuffle(items)
    copies = [copy_of(rng.choice(items), i, rng) for i in range(int(len(items) * 0.3 / 0.7))]
    stream = list(items)
    for item in copies:  # somewhere after its original
        after = next(i for i, s in enumerate(stream) if s.id == item.original)
        stream.insert(rng.randint(after + 1, len(stream)), item)
    return stream
