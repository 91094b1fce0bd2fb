"""The true choropleth: province and regency boundaries (TopoJSON) drawn as SVG paths, when a
boundary folder is configured (settings.PARITRANA_BOUNDARIES). The paths are computed once per file
and kept; a page only colours them, so the map costs the dashboard no database time.

TopoJSON stores each shared border once as a quantized, delta-encoded "arc"; a polygon lists its
arcs by index (a negative index ~i is arc i reversed). Indonesia straddles the equator, so a plain
longitude/latitude projection distorts it little; y is flipped so that north is up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

FILES = {1: "provinces_2025_simpl.topo.json", 2: "regencies_2025_simpl.topo.json"}
WIDTH = 1000.0


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    d: str  # SVG path data in the map's own coordinates


@dataclass(frozen=True)
class Map:
    width: float
    height: float
    shapes: tuple[Shape, ...]


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    move_x, move_y = topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        out.append(points)
    return out


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])  # consecutive arcs share their joining point
    return points


def _polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[list[dict[str, Any]], list[list[tuple[float, float]]]]:
    topology = json.loads(Path(path).read_text(encoding="utf-8"))
    (collection,) = topology["objects"].values()
    return collection["geometries"], _arcs(topology)


def _path(level: int) -> Path | None:
    folder = getattr(settings, "PARITRANA_BOUNDARIES", "")
    if not folder:
        return None
    path = Path(folder) / FILES[level]
    return path if path.is_file() else None


@lru_cache(maxsize=64)
def boundary_map(level: int, within: str = "") -> Map | None:
    """The shapes of one level (1 provinces, 2 regencies/cities), all or those whose code starts with
    ``within``, fitted to a WIDTH-wide box; None when no boundary file is configured."""
    path = _path(level)
    if path is None:
        return None
    geometries, arcs = _load(str(path))
    chosen = [g for g in geometries if str(g["properties"]["kode"]).startswith(within)]
    rings = {
        str(g["properties"]["kode"]): [_ring(ring, arcs) for polygon in _polygons(g) for ring in polygon]
        for g in chosen
    }
    xs = [x for shape in rings.values() for ring in shape for x, _ in ring]
    ys = [y for shape in rings.values() for ring in shape for _, y in ring]
    if not xs:
        return None
    left, top = min(xs), max(ys)
    k = WIDTH / ((max(xs) - left) or 1)
    shapes = []
    for g in chosen:
        code = str(g["properties"]["kode"])
        d = " ".join(
            "M" + "L".join(f"{(x - left) * k:.1f},{(top - y) * k:.1f}" for x, y in ring) + "Z"
            for ring in rings[code]
            if len(ring) > 2
        )
        shapes.append(Shape(code, str(g["properties"].get("nama", code)), d))
    return Map(WIDTH, round((top - min(ys)) * k, 1), tuple(shapes))
