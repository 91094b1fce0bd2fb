"""Reads of the region tables."""

from __future__ import annotations

import threading
from functools import lru_cache

from django.db.models import Count, QuerySet

from .models import Branch, HistoricalRegionCode, Region, WorkforceFigure
from .rules.nik import StaticRegionLookup

_lock = threading.Lock()


@lru_cache(maxsize=1)
def region_lookup() -> StaticRegionLookup:
    """Provinces, regencies and districts (7,837 names) and retired regency codes, held in memory.

    Regions change by decree a few times a decade; a process that must see a new decree restarts.
    """
    with _lock:
        names = dict(Region.objects.filter(level__lte=3).values_list("code", "name"))
        successors = {
            h.old_code: (h.current_id, h.current.name) for h in HistoricalRegionCode.objects.select_related("current")
        }
        return StaticRegionLookup(names=names, successors=successors)


def region_stats() -> dict[str, int]:
    levels = dict(Region.objects.values_list("level").annotate(n=Count("code")).values_list("level", "n"))
    return {
        "provinces": levels.get(1, 0),
        "regencies": levels.get(2, 0),
        "districts": levels.get(3, 0),
        "villages": levels.get(4, 0),
        "historical_codes": HistoricalRegionCode.objects.count(),
        "branches": Branch.objects.count(),
        "workforce_figures": WorkforceFigure.objects.count(),
    }


def region_get(code: str, *, levels: tuple[int, ...] = (1, 2, 3, 4)) -> Region | None:
    """The region with this Kepmendagri code at one of ``levels`` (1 province … 4 village), or None."""
    return Region.objects.filter(code=code, level__in=levels).first()


def provinces() -> QuerySet[Region]:
    """The 38 provinces, by code."""
    return Region.objects.filter(level=1).order_by("code")


def children(code: str) -> list[tuple[str, str]]:
    """The regions directly under ``code`` (a province's regencies/cities, a regency's districts, a
    district's villages), as (code, name) by name: the steps of a village picker. "" gives the
    provinces."""
    if not code:
        return [(r.code, r.name) for r in provinces()]
    return list(Region.objects.filter(parent_id=code).order_by("name").values_list("code", "name"))
