"""Writes for linkage: importing an outside list, running the matching, a clerk's decision on a
pair, and sending non-covered listed persons to bulk enrolment as BPU registration drafts.

Lists are national data (a bank's KUR borrowers, a programme's recipients): only national
administrators (or the operator at the server's command line) import and run them. A clerk in a
branch, regency or province reviews the pairs of their own regencies.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from django.db import connection, transaction
from django.utils import timezone

from paritrana.accounts.scope import scope_for
from paritrana.core.actors import acting_user
from paritrana.core.audit import audit_record
from paritrana.core.batch import GONE
from paritrana.core.errors import NotFound, PermissionDenied, Problem, ValidationFailed
from paritrana.core.sheets import (
    cell_text,
    decode,
    delimiter_of,
    header_line_index,
    is_older_workbook,
    open_sheet,
)
from paritrana.enrolment.rules.columns import header_key
from paritrana.regions.models import Region

from .batch import link as engine
from .batch.run import scratch_prefix, workdir_root
from .models import Decision, Engine, LinkRun, ListKind, Match, OutsideList, RunStatus
from .rules.decide import Thresholds
from .rules.places import PlaceIndex

# Fields of a listed person and the headers lists use for them (compared by header_key).
FIELDS: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "noktp", "nomorktp", "nomorindukkependudukan", "niknasabah", "nikpenerima"),
    "name": ("nama", "namalengkap", "namadebitur", "namanasabah", "namapenerima", "name", "fullname"),
    "birth_date": ("tanggallahir", "tgllahir", "tgllhr", "tanggallhr", "dob", "birthdate", "dateofbirth"),
    "sex": ("jeniskelamin", "jk", "kelamin", "sex", "gender", "lp"),
    "region": ("kabupatenkota", "kabkota", "kabupaten", "kota", "domisili", "regency", "wilayah"),
    "phone": ("telepon", "notelepon", "hp", "nohp", "nomorhp", "phone", "handphone"),
    "address": ("alamat", "alamatdomisili", "address"),
    "bank": ("bank", "penyalur", "banksalur", "bankpenyalur"),
}
LIMITS = {"nik": 40, "name": 200, "birth_date": 40, "sex": 20, "region": 120, "phone": 40, "address": 255, "bank": 60}
COPY_COLUMNS = (
    "list_id, line, nik_raw, name_raw, birth_date_raw, sex_raw, region_raw, regency_code, phone, address, bank, truth"
)


def _national(actor: Any, channel: str) -> None:
    if not scope_for(actor).everything:
        raise PermissionDenied("Hanya administrator nasional yang mengelola daftar luar.")


def map_columns(headers: list[str], mapping: dict[str, str] | None = None) -> dict[str, str]:
    """field → header of the file. ``mapping`` (field → header) wins over the known names."""
    keys = {header_key(h): h for h in headers if h}
    found: dict[str, str] = {}
    for field, aliases in FIELDS.items():
        for alias in aliases:
            if alias in keys:
                found[field] = keys[alias]
                break
    problems = []
    for field, header in (mapping or {}).items():
        if field not in FIELDS and field != "truth":
            problems.append(Problem("mapping_field_unknown", f"Kolom tujuan '{field}' tidak dikenal.", "mapping"))
        elif header not in headers:
            problems.append(Problem("mapping_header_missing", f"Kolom '{header}' tidak ada di berkas.", "mapping"))
        else:
            found[field] = header
    if "name" not in found:
        problems.append(Problem("column_missing", "Kolom nama tidak ditemukan; petakan kolomnya.", "name"))
    if problems:
        raise ValidationFailed(problems)
    return found


def _read(
    duck: duckdb.DuckDBPyConnection, path: Path, file_name: str, scratch: Path, mapping: dict[str, str] | None = None
) -> tuple[list[str], int]:
    """Load the file into DuckDB table ``raw_file`` (every cell text, in file order). Returns the
    headers and the file's line the header is on: a bank's export may carry a title above its table,
    so the header is the first row that names a name column (or the mapped one)."""
    lowered = file_name.lower()
    header_line = 1
    with path.open("rb") as f:
        first_bytes = f.read(8)

    def header_found(cells: list[str]) -> bool:
        if mapping and mapping.get("name"):
            return mapping["name"] in cells
        keys = {header_key(c) for c in cells if c}
        return any(alias in keys for alias in FIELDS["name"])

    try:
        if lowered.endswith(".parquet"):
            duck.execute("CREATE OR REPLACE TABLE raw_file AS SELECT * FROM read_parquet(?)", [str(path)])
        elif lowered.endswith(".xlsx") or first_bytes[:4] == b"PK\x03\x04" or is_older_workbook(first_bytes, file_name):
            sheet = open_sheet(path.read_bytes(), file_name, header_found=header_found)
            header_line = sheet.header_line
            headers = [h or f"kolom_{i + 1}" for i, h in enumerate(sheet.headers)]
            columns: list[list[str]] = [[] for _ in headers]
            for _, cells in sheet.rows:
                for i in range(len(headers)):
                    columns[i].append(cell_text(cells[i]) if i < len(cells) else "")
            duck.register(
                "xlsx_arrow",
                pa.table({h: pa.array(c, type=pa.string()) for h, c in zip(headers, columns, strict=True)}),
            )
            duck.execute("CREATE OR REPLACE TABLE raw_file AS SELECT * FROM xlsx_arrow")
            duck.unregister("xlsx_arrow")
        else:
            # Read as the shared reader reads a CSV (core/sheets.py): the file's own encoding (a stray
            # byte of another one replaced on its line only), the delimiter of its header line and
            # standard quoting — not DuckDB's guess from a sample, which took an apostrophe before a
            # NIK for a quote and a bar inside a name for the delimiter.
            raw = path.read_bytes()
            text, encoding, _stray = decode(raw)
            skipped = header_line_index(text, header_found)
            if skipped:
                text = text.split("\n", skipped)[-1]  # a title above the table is no data
            if encoding != "utf-8" or _stray or raw.startswith(codecs.BOM_UTF8) or skipped:
                path = scratch / "list.utf8.csv"  # beside the run's own files, never the uploader's
                path.write_text(text, encoding="utf-8")
            header_line = skipped + 1
            # The path is a parameter, never pasted: the file's name comes from whoever uploaded it.
            duck.execute(
                "CREATE OR REPLACE TABLE raw_file AS SELECT * FROM read_csv(?, all_varchar = true, "
                "header = true, delim = ?, quote = '\"', escape = '\"', strict_mode = false, "
                "null_padding = true, max_line_size = 20000000)",
                [str(path), delimiter_of(text.split("\n", 1)[0])],
            )
    except duckdb.Error as exc:
        raise ValidationFailed(
            [Problem("file_unreadable", "Berkas tidak dapat dibaca sebagai CSV, XLSX atau Parquet.", "file")]
        ) from exc
    return [row[0] for row in duck.execute("DESCRIBE raw_file").fetchall()], header_line


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    """A DuckDB string literal, for the one place that takes no parameter (COPY … TO a path)."""
    return "'" + text.replace("'", "''") + "'"


@transaction.atomic
def list_import(
    *,
    actor: Any,
    path: Path,
    file_name: str,
    kind: str,
    name: str = "",
    bank: str = "",
    year: int | None = None,
    cohort: str = "",
    mapping: dict[str, str] | None = None,
    truth: str | None = None,
    channel: str = "page",
) -> OutsideList:
    """Import a CSV, XLSX or Parquet list as written, kept apart from the registry."""
    _national(actor, channel)
    if kind not in ListKind.values:
        raise ValidationFailed([Problem("kind_unknown", "Jenis daftar harus kur, prakerja atau other.", "kind")])
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    work = Path(tempfile.mkdtemp(prefix="link-import-", dir=workdir_root()))
    try:
        duck = engine.open_duck(work, memory_limit="4GB")
        # Rows kept in the file's order, so each listed person's line is the file's own line.
        duck.execute("SET preserve_insertion_order = true")
        headers, header_line = _read(duck, path, file_name, work, mapping)
        columns = map_columns(headers, {**(mapping or {}), **({"truth": truth} if truth else {})})
        places = PlaceIndex(dict(Region.objects.filter(level=2).values_list("code", "name")))
        if "region" in columns:
            written = [
                r[0] for r in duck.execute(f"SELECT DISTINCT {_quote(columns['region'])} FROM raw_file").fetchall()
            ]
            duck.register(
                "places",
                pa.table({"raw": pa.array(written, type=pa.string()), "code": [places.code(w) or "" for w in written]}),
            )
        else:
            duck.register(
                "places", pa.table({"raw": pa.array([], type=pa.string()), "code": pa.array([], type=pa.string())})
            )

        def cell(field: str) -> str:
            if field not in columns:
                return "''"
            limit = LIMITS.get(field, 16)
            return f"left(trim(coalesce(CAST({_quote(columns[field])} AS VARCHAR), '')), {limit})"

        title = name or Path(file_name).stem
        with transaction.atomic():
            # The same file imported again for the same list (``link run`` repeated after a crash, or
            # run twice at once; a page sent twice) is the list already imported, not a second copy
            # of its rows (issue 29, defect 6). Imports of one file wait for each other here, and a
            # killed import leaves nothing: its rows and its list commit together.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext('linkage_list'), hashtext(%s))", (digest.hexdigest(),)
                )
            again = (
                OutsideList.objects.filter(
                    sha256=digest.hexdigest(),
                    kind=kind,
                    name=title,
                    bank=bank,
                    year=year,
                    cohort=cohort,
                    mapping=columns,
                )
                .order_by("pk")
                .first()
            )
            if again is not None:
                duck.close()
                audit_record(
                    actor=actor,
                    action="linkage.list_import_again",
                    entity="linkage.OutsideList",
                    entity_id=again.pk,
                    channel=channel,
                    detail={"file": file_name, "sha256": again.sha256},
                )
                return again
            listed = OutsideList.objects.create(
                name=title,
                kind=kind,
                bank=bank,
                year=year,
                cohort=cohort,
                origin=file_name[:255],
                sha256=digest.hexdigest(),
                mapping=columns,
                imported_by=acting_user(actor),
            )
            out = work / "listed.csv"
            region = _quote(columns["region"]) if "region" in columns else "NULL"
            place_key = region if region != "NULL" else "rowid::VARCHAR"
            duck.execute(
                f"""
                COPY (
                  SELECT {listed.pk}, row_number() OVER (ORDER BY raw_file.rowid) + {header_line},
                         {cell("nik")}, {cell("name")}, {cell("birth_date")},
                         {cell("sex")}, {cell("region")}, coalesce(p.code, ''), {cell("phone")}, {cell("address")},
                         {cell("bank") if "bank" in columns else "CAST($bank AS VARCHAR)"}, {cell("truth")}
                  FROM raw_file LEFT JOIN places p ON p.raw = raw_file.{place_key}
                ) TO {_literal(str(out))} (FORMAT csv, HEADER false)
                """,
                {"bank": bank[:60]} if "bank" not in columns else {},
            )
            duck.close()
            with connection.cursor() as cursor, out.open("rb") as data:
                with cursor.cursor.copy(f"COPY linkage_listedperson ({COPY_COLUMNS}) FROM STDIN (FORMAT csv)") as copy:
                    while block := data.read(1 << 20):
                        copy.write(block)
                cursor.execute("SELECT count(*) FROM linkage_listedperson WHERE list_id = %s", (listed.pk,))
                listed.rows = cursor.fetchone()[0]
            listed.save(update_fields=["rows"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    audit_record(
        actor=actor,
        action="linkage.list_import",
        entity="linkage.OutsideList",
        entity_id=listed.pk,
        channel=channel,
        detail={"rows": listed.rows, "kind": kind, "file": file_name, "sha256": listed.sha256, "mapping": columns},
    )
    return listed


def run_gone(params: dict[str, Any]) -> None:
    """A matching run whose process died (its ledger row reaped, core/batch.py): said failed, with
    the stage it had reached, and its scratch files removed (issue 29, defect 6). A new run of the
    same list starts afresh."""
    run_id = params.get("run")
    if run_id is None:
        return
    LinkRun.objects.filter(pk=run_id, status__in=(RunStatus.RUNNING, RunStatus.QUEUED)).update(
        status=RunStatus.FAILED, error=GONE, finished_at=timezone.now()
    )
    for scratch in workdir_root().glob(f"{scratch_prefix(int(run_id))}*"):
        shutil.rmtree(scratch, ignore_errors=True)


def run_create(
    *,
    actor: Any,
    list_id: int,
    retrain: bool = False,
    thresholds: Thresholds | None = None,
    channel: str = "page",
    defer: bool = True,
    engine_name: str = Engine.DUCKDB,
) -> LinkRun:
    """Make a run; from a page or the API it is queued as a job (``defer``), the CLI and other
    services run it at once with ``run_execute`` (batch/run.py)."""
    _national(actor, channel)
    listed = OutsideList.objects.filter(pk=list_id).first()
    if listed is None:
        raise NotFound("Daftar")
    if engine_name not in Engine.values:
        raise ValidationFailed([Problem("engine_unknown", f"Mesin {engine_name!r} tidak dikenal.", "engine")])
    t = thresholds or Thresholds()
    run = LinkRun.objects.create(
        list=listed,
        engine=engine_name,
        thresholds={"match": t.match, "review": t.review, "lead": t.lead, "retrain": retrain},
        started_by=acting_user(actor),
    )
    audit_record(actor=actor, action="linkage.run_create", entity="linkage.LinkRun", entity_id=run.pk, channel=channel)
    if defer and channel != "cli":
        from .tasks import link_run

        transaction.on_commit(lambda: link_run.defer(run_id=run.pk))
    return run


def review_decide(*, actor: Any, match_id: int, person_id: int | None, channel: str = "page") -> Match:
    """A clerk's decision on an uncertain listed person: one of its candidates, or none of them."""
    match = Match.objects.select_related("run").filter(pk=match_id).first()
    if match is None:
        raise NotFound("Pasangan")
    scope = scope_for(actor)
    if not (scope.everything or (match.regency_code and match.regency_code in scope.regencies)):
        raise PermissionDenied("Pasangan ini di luar wilayah Anda.")
    if person_id is not None and not match.candidates.filter(person_id=person_id).exists():
        raise ValidationFailed([Problem("candidate_unknown", "Orang ini bukan kandidat pasangan tersebut.", "person")])
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match_id)
        before = {"decision": match.decision, "person": match.person_id, "outcome": match.outcome}
        if person_id is None:
            match.decision, match.person_id, match.outcome = Decision.NONE, None, "not_covered"
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    SELECT bool_or(status = 'active' AND valid_from <= current_date
                                   AND (valid_until IS NULL OR valid_until >= current_date))
                    FROM registry_membership WHERE person_id = %s
                    """,
                    (person_id,),
                )
                active = bool(cursor.fetchone()[0])
            match.decision, match.person_id = Decision.MATCH, person_id
            match.outcome = "covered_active" if active else "covered_lapsed"
        match.stage = "clerk"
        match.reviewed_by = acting_user(actor)
        match.reviewed_at = timezone.now()
        match.save(update_fields=["decision", "person", "outcome", "stage", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=actor,
            action="linkage.review",
            entity="linkage.Match",
            entity_id=match.pk,
            channel=channel,
            detail={"before": before, "person": person_id},
        )
    return match


def drafts_for_enrolment(
    *, actor: Any, run_id: int, match_ids: list[int], sponsor_code: str, channel: str = "page"
) -> Any:
    """Send selected non-covered listed persons to bulk enrolment as a BPU registration draft: an
    upload for the sponsor, validated like any other (nothing is enrolled until it is applied)."""
    from paritrana.enrolment import services as enrolment
    from paritrana.enrolment.rules.columns import COLUMNS

    scope = scope_for(actor)
    chosen = list(
        Match.objects.select_related("listed")
        .filter(run_id=run_id, pk__in=match_ids, outcome="not_covered")
        .order_by("listed__line")
    )
    chosen = [m for m in chosen if scope.everything or m.regency_code in scope.regencies]
    if not chosen:
        raise ValidationFailed([Problem("nothing_selected", "Pilih orang yang belum terlindungi.", "matches")])
    today = timezone.localdate()
    from .rules.dates import parse_birth_date
    from .rules.decide import clean_nik

    out = io.StringIO()
    writer = csv.writer(out)
    headers = [c.header for c in COLUMNS]
    writer.writerow(headers)
    for m in chosen:
        lp = m.listed
        nik = clean_nik(lp.nik_raw, today=today)
        born = parse_birth_date(lp.birth_date_raw, today=today)
        values = {
            "nik": nik.nik if nik else lp.nik_raw,
            "full_name": lp.name_raw,
            "birth_date": born.isoformat() if born else lp.birth_date_raw,
            "sex": {"l": "L", "laki-laki": "L", "p": "P", "perempuan": "P"}.get(lp.sex_raw.lower(), lp.sex_raw),
            "segment": "BPU",
            "phone": lp.phone,
            "address": lp.address,
        }
        writer.writerow([values.get(c.field, "") for c in COLUMNS])
    upload = enrolment.upload_create(
        actor=actor,
        content=out.getvalue().encode("utf-8"),
        file_name=f"pencocokan-{run_id}-bpu.csv",
        sponsor_code=sponsor_code,
        channel=channel,
    )
    audit_record(
        actor=actor,
        action="linkage.drafts_for_enrolment",
        entity="linkage.LinkRun",
        entity_id=run_id,
        channel=channel,
        detail={"matches": [m.pk for m in chosen], "upload": getattr(upload, "pk", None)},
    )
    return upload
