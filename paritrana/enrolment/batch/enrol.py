"""Stage, validate and apply an uploaded list, set-based (enrol.sql; decision 0005).

``stage_and_validate`` sends every row through one COPY and checks them all with a handful of
statements; ``apply_upload`` inserts the valid rows in committed batches, two side by side, each
row's outcome committed with its batch, so a job killed mid-way resumes at the first line without
one, and running it again (or uploading the same file again) adds nothing.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from paritrana.core.distribute import is_distributed
from paritrana.core.money import format_rupiah
from paritrana.core.rules.cells import amount_cell, date_cell, nik_cell, sex_cell
from paritrana.core.sheets import Sheet, cell_text
from paritrana.law.selectors import parameters_on
from paritrana.notifications.selectors import user_recipients
from paritrana.notifications.services import Kind, notify
from paritrana.registry.rules.codes import DEFAULT_PROGRAMMES, MEMBERSHIP_TAGS
from paritrana.registry.rules.names import normalise_spaces, split_titles

from ..models import Upload, UploadStatus
from ..rules.columns import PLACE_AND_DATE, HeaderMap, header_key, split_place_and_date

log = logging.getLogger("paritrana.enrolment")

_SQL = Path(__file__).with_name("enrol.sql").read_text(encoding="utf-8")
_PARTS = re.split(r"^-- step: (\w+)\s*$", _SQL, flags=re.MULTILINE)
STEPS = {name: body.strip().rstrip(";") for name, body in zip(_PARTS[1::2], _PARTS[2::2], strict=True)}
# The apply's one statement: its head on one server, or on a Citus cluster (issue 32), then the rest.
APPLY = {
    False: STEPS["apply_batch"] + "\n" + STEPS["apply_numbered"],
    True: STEPS["apply_batch_cluster"] + "\n" + STEPS["apply_numbered"],
}

# Lines per committed batch: large enough that per-statement costs vanish, small enough that a
# killed job loses little work and the progress bar moves.
BATCH_LINES = 25_000
# Lines staged per statement: the reader thread reads the next part while the server stages one.
# Measured at 100,000 rows: a smaller first part (10,000) or larger parts (33,000, 50,000) were
# slower, since each statement pays its fixed costs (hash tables of NIK dates) again.
PART_LINES = 25_000
# Batches applied side by side, each in its own connection: one per core of the reference machine.
APPLY_WORKERS = 2
SEGMENTS = ("PU", "BPU", "JAKON", "PMI")
RAW_COLUMNS = (
    "line",
    "nik",
    "full_name",
    "title_prefix",
    "title_suffix",
    "birth_date",
    "sex",
    "village_code",
    "segment",
    "tags",
    "programmes",
    "wage",
    "declared_income",
    "valid_from",
    "phone",
    "address",
    "birth_place",
    "nik_numeric",
)


@dataclass(frozen=True)
class PayerContext:
    """Who pays for the upload's rows, and where they may come from."""

    sponsor_id: int | None
    employer_id: int | None  # the upload's employer, or the sponsor's own institution as employer
    jurisdiction: str  # region code every village must start with ("" = anywhere in Indonesia)
    jurisdiction_name: str
    payer_regency: str | None  # where the memberships are administered (None: the person's regency)
    default_segment: str


def _tag_vocabulary() -> str:
    """Each tag's key and Indonesian label, folded as header_key folds them, to the key (JSON)."""
    return json.dumps(
        {alias: key for key, label in MEMBERSHIP_TAGS.items() for alias in (header_key(key), header_key(label))}
    )


_SPACES = re.compile(r"\s+")


# COPY's text format: a backslash, tab, newline or carriage return inside a cell is written escaped.
_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_TABS = len(RAW_COLUMNS) - 1


def _copy_line(cells: list[str]) -> str:
    """One row in COPY's text format. Most rows hold no character COPY must escape: they are joined
    as they are, and only a row with one is escaped cell by cell."""
    text = "\t".join(cells)
    if text.count("\t") != _COPY_TABS or "\\" in text or "\n" in text or "\r" in text:
        text = "\t".join(cell.translate(_COPY_ESCAPE) for cell in cells)
    return text + "\n"


def _copy_lines(sheet: Sheet, header_map: HeaderMap) -> Iterator[str]:
    """The sheet's rows as staging rows (RAW_COLUMNS), each a line of COPY text."""
    positions = header_map.positions
    # A field the file lacks reads the last cell, which the padding below always leaves empty.
    width = max(positions.values(), default=0) + 2
    at = {field: positions.get(field, -1) for field in RAW_COLUMNS[1:-1]}
    nik_at = positions["nik"]
    place_and_date = positions.get(PLACE_AND_DATE)
    for line, cells in sheet.rows:
        texts = [cell_text(c) for c in cells]
        if not any(texts):
            continue  # a blank line in the sheet is not a row
        texts += [""] * (width - len(texts))
        texts[-1] = ""
        raw_nik = cells[nik_at] if nik_at < len(cells) else None
        # Cells cleaned as people type them (core/rules/cells.py, issue 28 §2): a NIK with dots, dashes,
        # an apostrophe or ".0"; rupiah with "Rp" and ",-"; a date with the time an export adds; sex
        # as L/P, words or 1/2.
        nik, exponent = nik_cell(texts[at["nik"]])
        prefix, name, suffix = split_titles(texts[at["full_name"]])
        born, place = texts[at["birth_date"]], texts[at["birth_place"]]
        if place_and_date is not None and place_and_date < len(cells):
            place, born = split_place_and_date(texts[place_and_date])
            place = texts[at["birth_place"]] or place
        yield _copy_line(
            [
                str(line),
                nik,
                name,
                prefix,
                suffix,
                date_cell(born),
                sex_cell(texts[at["sex"]]),
                _SPACES.sub("", texts[at["village_code"]]),
                texts[at["segment"]],
                texts[at["tags"]],
                texts[at["programmes"]],
                amount_cell(texts[at["wage"]]),
                amount_cell(texts[at["declared_income"]]),
                date_cell(texts[at["valid_from"]]),
                normalise_spaces(texts[at["phone"]]),
                normalise_spaces(texts[at["address"]]),
                normalise_spaces(place),
                # An Excel number cell has already lost a NIK's last digits (15 significant digits),
                # and so has one it wrote in scientific notation.
                "t" if exponent or (isinstance(raw_nik, int | float) and not isinstance(raw_nik, bool)) else "f",
            ]
        )


def _parts(sheet: Sheet, header_map: HeaderMap, size: int) -> Iterator[bytes]:
    """The staging rows in parts of ``size`` rows, each part the bytes of one COPY: built by the
    reader thread, so that the connection's thread only sends them."""
    part: list[str] = []
    for text in _copy_lines(sheet, header_map):
        part.append(text)
        if len(part) == size:
            yield "".join(part).encode()
            part = []
    if part:
        yield "".join(part).encode()


_END = object()


def _read_ahead(parts: Iterator[bytes], depth: int = 2) -> Iterator[bytes]:
    """The parts as a reader thread produces them, at most ``depth`` ahead of the consumer. The
    reader touches no database; its failure (a damaged XLSX) is raised here, and a consumer that stops
    early stops the reader."""
    ready: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: Any) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for part in parts:
                if not offer(part):
                    return
            offer(_END)
        except BaseException as exc:  # raised again in the consumer
            offer(exc)

    reader = threading.Thread(target=read, name="enrol-read", daemon=True)
    reader.start()
    try:
        while (item := ready.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


def _limits(on: date) -> dict[str, Any]:
    params = parameters_on(on)
    income_min, income_max = params.get("bpu.income.min"), params.get("bpu.income.max")
    age_min = [
        int(params.get(f"enrolment.age_min.{s}")) if params.has(f"enrolment.age_min.{s}") else None for s in SEGMENTS
    ]
    age_max = [
        int(params.get(f"enrolment.age_max.{s}")) if params.has(f"enrolment.age_max.{s}") else None for s in SEGMENTS
    ]
    return {
        "income_min": income_min,
        "income_max": income_max,
        "income_min_text": format_rupiah(income_min),
        "income_max_text": format_rupiah(income_max),
        "income_basis": params.basis("bpu.income.min"),
        "age_segment": list(SEGMENTS),
        "age_min": age_min,
        "age_max": age_max,
    }


def stage_and_validate(*, upload: Upload, sheet: Sheet, header_map: HeaderMap, payer: PayerContext) -> dict[str, float]:
    """COPY the sheet's rows into staging and record every problem of every row; fills the upload's
    counts. Runs inside the caller's transaction. Returns seconds per step."""
    today = timezone.localdate()
    params = {
        "upload": upload.pk,
        "today": today,
        "valid_from": upload.valid_from,
        "default_segment": payer.default_segment,
        "tag_map": _tag_vocabulary(),
        "jurisdiction": payer.jurisdiction,
        "jurisdiction_name": payer.jurisdiction_name,
        "has_employer": payer.employer_id is not None,
        "sponsor": payer.sponsor_id,
        "employer": payer.employer_id,
        # check_registry over the whole file (the apply runs it again on one batch's pending lines).
        "after": 0,
        "through": 2**31 - 1,
        "pending_only": False,
        **_limits(upload.valid_from),
    }
    laps: dict[str, float] = {}
    started = time.perf_counter()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor: COPY
        # One partition per upload: its own statistics, and purged with one DROP (migration 0006).
        # Uploads are never deleted, so a partition left under this id can only be a test database's.
        cursor.execute(f"DROP TABLE IF EXISTS enrolment_row_{int(upload.pk)}")
        cursor.execute(
            f"CREATE TABLE enrolment_row_{int(upload.pk)} PARTITION OF enrolment_row FOR VALUES IN ({int(upload.pk)})"
            " WITH (autovacuum_enabled = false, fillfactor = 60)"
        )
        cursor.execute(
            "CREATE TEMP TABLE enrol_raw (line int, "
            + ", ".join(f"{c} text" for c in RAW_COLUMNS[1:-1])
            + ", nik_numeric boolean) ON COMMIT DROP"
        )
        laps["read_and_copy"] = laps["stage"] = 0.0
        waited = time.perf_counter()
        laps["prepare"] = waited - started
        # The file is staged a part at a time while a thread reads the next part: Python's reading
        # and the server's checking, each on one core, overlap instead of following each other.
        for part in _read_ahead(_parts(sheet, header_map, PART_LINES)):
            t = time.perf_counter()
            laps["read_wait"] = laps.get("read_wait", 0.0) + t - waited
            cursor.execute("TRUNCATE enrol_raw")
            with cursor.copy(f"COPY enrol_raw ({', '.join(RAW_COLUMNS)}) FROM STDIN") as copy:
                copy.write(part)
            # The staging joins the raw rows to lookups and to the registry: the planner needs their count.
            cursor.execute("ANALYZE enrol_raw (line)")
            staging = time.perf_counter()
            laps["read_and_copy"] += staging - t
            cursor.execute(STEPS["stage"], params)
            waited = time.perf_counter()
            laps["stage"] += waited - staging
        partition = f"enrolment_row_{int(upload.pk)}"
        if sheet.problems:
            # Lines the reader could not read as written (a byte not in the file's encoding, a cell cut
            # short): reported with their line and never enrolled, before the file-wide checks.
            lines = sorted(sheet.problems)
            cursor.execute(
                "INSERT INTO enrolment_error (upload_id, line, field, code, message)"
                " SELECT %s, t.line, 'line', t.code, t.message"
                " FROM unnest(%s::int[], %s::text[], %s::text[]) AS t(line, code, message)",
                (
                    upload.pk,
                    lines,
                    [sheet.problems[n].code for n in lines],
                    [sheet.problems[n].message[:300] for n in lines],
                ),
            )
            cursor.execute(f"UPDATE {partition} SET invalid = true WHERE line = ANY(%s)", (lines,))
        for step in ("check_duplicates", "note_districts", "check_registry", "analyze"):
            t = time.perf_counter()
            if step == "analyze":
                # A new partition has no statistics until analysed: without them the planner takes an
                # apply batch's valid rows for one and joins them by nested loops, quadratic at 100,000
                # rows. The columns the apply filters and joins on are enough.
                cursor.execute(f"ANALYZE {partition} (upload_id, line, nik, invalid, outcome)")
            else:
                cursor.execute(STEPS[step], params)
            laps[step] = time.perf_counter() - t
        t = time.perf_counter()
        cursor.execute("DROP TABLE enrol_raw")
        cursor.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE invalid), count(*) FILTER (WHERE outcome = 'already'),
              coalesce(max(line), 0)
            FROM enrolment_row WHERE upload_id = %s
            """,
            (upload.pk,),
        )
        rows, invalid, already, last_line = cursor.fetchone()
        cursor.execute(
            "SELECT code, count(*) FROM enrolment_error WHERE upload_id = %s GROUP BY code ORDER BY 2 DESC, 1",
            (upload.pk,),
        )
        errors_by_code = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM enrolment_note WHERE upload_id = %s", (upload.pk,))
        warnings = cursor.fetchone()[0]
        laps["count"] = time.perf_counter() - t
    upload.rows, upload.invalid, upload.valid = rows, invalid, rows - invalid
    upload.already_enrolled, upload.last_line = already, last_line
    upload.errors_by_code = errors_by_code
    upload.seconds = Decimal(f"{time.perf_counter() - started:.3f}")
    upload.detail = {
        **upload.detail,
        "warnings": warnings,
        "validate_steps": {k: round(v, 3) for k, v in laps.items()},
    }
    upload.save()
    log.info("enrolment upload %s staged: %s rows, %s invalid in %.2fs", upload.pk, rows, invalid, upload.seconds)
    return laps


def payer_context_params(upload: Upload, payer: PayerContext) -> dict[str, Any]:
    return {
        "upload": upload.pk,
        "sponsor": payer.sponsor_id,
        "employer": payer.employer_id,
        "payer_regency": payer.payer_regency,
        "default_pu": DEFAULT_PROGRAMMES["PU"],
        "default_other": DEFAULT_PROGRAMMES["BPU"],
    }


# Rounds of recheck and apply for lines another job's writes left unsettled (see _apply_batch).
RECHECK_ROUNDS = 3


def _first_pending(upload_id: int) -> int | None:
    """The first valid line without an outcome: where a stopped apply resumes. Counted from the rows,
    not from the upload's ``applied_through``, because batches applied side by side may commit out
    of order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(line) FROM enrolment_row WHERE upload_id = %s AND NOT invalid AND outcome = ''", (upload_id,)
        )
        first = cursor.fetchone()[0]
    return int(first) if first is not None else None


def _apply(cursor: Any, params: dict[str, Any], cluster: bool) -> int:
    """The apply's statement on the batch's pending lines; returns memberships written. On a Citus
    cluster the new NIKs are first claimed in the NIK directory and their persons written (enrol.sql,
    claim_niks): the directory's key is what keeps a NIK to one person there."""
    if cluster:
        cursor.execute(STEPS["claim_niks"], params)
        claimed = cursor.fetchall()
        params = {**params, "claimed_niks": [nik for nik, _ in claimed], "claimed_ids": [id_ for _, id_ in claimed]}
        cursor.execute(STEPS["claim_persons"], params)
    cursor.execute(APPLY[cluster], params)
    return int(cursor.rowcount)


def _apply_batch(
    upload: Upload, payer: PayerContext, after: int, through: int, laps: dict[str, float], *, cluster: bool = False
) -> int:
    """One committed batch: lines after ``after`` up to ``through``. Returns memberships written."""
    params = {**payer_context_params(upload, payer), "after": after, "through": through, "pending_only": True}
    t = time.perf_counter()

    def lap(step: str, since: float) -> float:
        now = time.perf_counter()
        laps[step] = laps.get(step, 0.0) + now - since
        return now

    with transaction.atomic():
        with connection.cursor() as cursor:
            # Foreign keys checked inside the statements rather than at commit: the progress update
            # below then holds the upload's row lock only for the commit itself, so a batch applied
            # beside this one does not wait on this one's checks.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            applied = _apply(cursor, params, cluster)
            t = lap("apply_batch", t)
            # Lines left without an outcome met another job's writes (enrol.sql, check_registry):
            # checked again and applied again, each time in a statement that sees more. Another
            # job's person is committed before the apply that waited on it goes on, so one more
            # round settles them; a few more cover a third job racing the same people.
            for _ in range(RECHECK_ROUNDS):
                cursor.execute(STEPS["left_over"], params)
                if not cursor.fetchone()[0]:
                    break
                cursor.execute(STEPS["check_registry"], params)
                applied += _apply(cursor, params, cluster)
            else:
                cursor.execute(STEPS["left_over"], params)
                if cursor.fetchone()[0]:
                    raise RuntimeError(f"enrolment upload {upload.pk}: lines {after + 1}–{through} still unsettled")
            t = lap("apply_recheck", t)
        Upload.objects.filter(pk=upload.pk).update(
            applied=F("applied") + applied,
            applied_through=Greatest(F("applied_through"), through),
            status=UploadStatus.APPLYING,
        )
    lap("commit", t)
    log.info("enrolment upload %s: lines %s–%s applied (+%s)", upload.pk, after + 1, through, applied)
    return applied


def _apply_side_by_side(
    upload: Upload,
    payer: PayerContext,
    ranges: list[tuple[int, int]],
    workers: int,
    laps: dict[str, float],
    *,
    cluster: bool,
) -> int:
    """Apply the batches in ``workers`` threads, each with its own database connection, so that the
    server uses every core (one statement runs on one core; INSERT … SELECT is never parallel). The
    batches are independent: their lines differ, the file's duplicate NIKs are already invalid, and
    every step skips rows that have an outcome. The first failure stops the others taking new batches
    and is raised once they have finished."""
    pending = queue.SimpleQueue[tuple[int, int]]()
    for batch in ranges:
        pending.put(batch)
    failures: list[BaseException] = []
    written: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        mine: dict[str, float] = {}
        try:
            while not failures:
                try:
                    after, through = pending.get_nowait()
                except queue.Empty:
                    break
                count = _apply_batch(upload, payer, after, through, mine, cluster=cluster)
                with lock:
                    written.append(count)
        except BaseException as exc:  # raised again in the calling thread below
            failures.append(exc)
        finally:
            connection.close()  # this thread's own connection
            with lock:
                for step, seconds in mine.items():
                    laps[step] = laps.get(step, 0.0) + seconds

    threads = [threading.Thread(target=work, name=f"enrol-apply-{upload.pk}-{n}") for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return sum(written)


@dataclass(frozen=True)
class Applied:
    """An apply's answer: the upload as it now stands, and the memberships this apply itself wrote
    (an apply that found the upload applied by another, or resumed it, wrote fewer than the upload's
    count; the ledger records this number, so two overlapping applies never both claim the rows)."""

    upload: Upload
    written: int


def _tell_uploader(upload: Upload) -> None:
    """Whoever uploaded the file hears by e-mail that it is enrolled, with its counts: in the
    transaction that marks it applied, so once, and only if that commits."""
    payer = upload.sponsor if upload.sponsor_id else upload.employer
    notify(
        kind=Kind.ENROLMENT_APPLIED,
        fact=str(upload.pk),
        recipients=user_recipients(user_id=upload.created_by_id),
        context={
            "upload": upload.pk,
            "filename": upload.file_name,
            "payer": str(getattr(payer, "name", "")),
            "rows": upload.rows,
            "applied": upload.applied,
            "already_enrolled": upload.already_enrolled,
            "invalid": upload.invalid,
        },
    )


def apply_upload(
    *, upload_id: int, payer: PayerContext, batch_lines: int = BATCH_LINES, workers: int = APPLY_WORKERS
) -> Applied:
    """Insert the upload's valid rows, one committed batch of lines at a time, from the first line not
    yet applied. Safe to run again at any moment: it finishes what is left and adds nothing twice.

    Outside a transaction the batches run side by side in ``workers`` connections; inside one (a
    caller's ``atomic`` block, a test) they run one after another in it, since other connections
    could not see its rows."""
    started = time.perf_counter()
    laps: dict[str, float] = {}
    written = 0
    with connection.cursor() as cursor:
        # One apply per upload at a time (two queued jobs, a job and the CLI): the second waits, then
        # finds the upload applied or resumes what the first left.
        cursor.execute("SELECT pg_advisory_lock(hashtext('enrolment_apply'), %s)", (upload_id,))
        cluster = is_distributed(cursor, "registry_person")
    try:
        upload = Upload.objects.get(pk=upload_id)
        if upload.status == UploadStatus.APPLIED:
            return Applied(upload, 0)
        first = _first_pending(upload_id)
        if first is not None:
            # Batches on a fixed grid of lines (1–N, N+1–2N, …), whatever run draws them.
            start = (first - 1) // batch_lines * batch_lines
            ranges = [
                (after, min(after + batch_lines, upload.last_line))
                for after in range(start, upload.last_line, batch_lines)
            ]
            if workers > 1 and len(ranges) > 1 and not connection.in_atomic_block:
                written = _apply_side_by_side(upload, payer, ranges, workers, laps, cluster=cluster)
            else:
                for after, through in ranges:
                    written += _apply_batch(upload, payer, after, through, laps, cluster=cluster)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT count(*) FILTER (WHERE outcome = 'applied'), count(*) FILTER (WHERE outcome = 'already'),
                  count(*) FILTER (WHERE invalid), count(*)
                FROM enrolment_row WHERE upload_id = %s
                """,
                (upload_id,),
            )
            applied, already, invalid, rows = cursor.fetchone()
            cursor.execute(
                "SELECT code, count(*) FROM enrolment_error WHERE upload_id = %s GROUP BY code ORDER BY 2 DESC, 1",
                (upload_id,),
            )
            errors_by_code = dict(cursor.fetchall())
        upload = Upload.objects.get(pk=upload_id)
        upload.applied, upload.already_enrolled = applied, already
        # A recheck may have found a person recorded since the upload's check with another birth
        # date or sex: that line is now invalid, and counted so.
        upload.invalid, upload.valid, upload.errors_by_code = invalid, rows - invalid, errors_by_code
        upload.applied_through = upload.last_line
        upload.status = UploadStatus.APPLIED
        upload.finished_at = timezone.now()
        upload.apply_seconds = upload.apply_seconds + Decimal(f"{time.perf_counter() - started:.3f}")
        upload.detail = {**upload.detail, "apply_steps": {k: round(v, 3) for k, v in laps.items()}}
        with transaction.atomic():
            upload.save()
            _tell_uploader(upload)
        return Applied(upload, written)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext('enrolment_apply'), %s)", (upload_id,))
