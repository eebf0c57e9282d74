"""The page's world map: Natural Earth land (public domain), from the npm package `world-atlas`
(ISC), drawn once into `static/land.svg` in an equirectangular projection (x = longitude + 180,
y = 90 - latitude), so the page needs no map library, tile server or CDN.

`python -m wirestream.web.world_map PATH/land-110m.json` rewrites it (`make map` fetches the
package with npm and runs this); the page only reads the SVG.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from wirestream.serialization import loads

STATIC = Path(__file__).parent / "static"
WIDTH, HEIGHT = 360, 180


def _decoded_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs as (longitude, latitude) points: quantised and delta-encoded in the file."""
    (scale_x, scale_y), (move_x, move_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]  # ~i: arc i walked backwards
        points.extend(arc if not points else arc[1:])  # consecutive arcs share their end point
    return points


def land_path(topology: dict[str, Any]) -> str:
    """The SVG path data of every land polygon of the topology's `land` object."""
    arcs = _decoded_arcs(topology)
    parts = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                points = [(round(lon + 180, 1), round(90 - lat, 1)) for lon, lat in _ring(arcs, ring)]
                path = f"M{points[0][0]:g},{points[0][1]:g}"
                for (last_x, _), (x, y) in zip(points, points[1:]):
                    # A ring that crosses the antimeridian jumps across the map: move, do not draw.
                    path += ("M" if abs(x - last_x) > 180 else "L") + f"{x:g},{y:g}"
                parts.append(path + "Z")
    return "".join(parts)


def render_svg(topology: dict[str, Any]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
            f'height="{HEIGHT}"><!-- Natural Earth land 1:110m (public domain), via world-atlas (ISC) -->'
            f'<path fill="#d9dee4" d="{land_path(topology)}"/></svg>\n')


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -m wirestream.web.world_map PATH/land-110m.json (from the npm package world-atlas)")
    (STATIC / "land.svg").write_text(render_svg(loads(Path(sys.argv[1]).read_bytes())), encoding="utf-8")


if __name__ == "__main__":
    main()
