"""``paritrana enrol import FILE --sponsor CODE [--dry-run]``: bulk enrolment from the shell.

Prints ``{"rows","valid","invalid","applied","already_enrolled","errors_by_code","seconds"}`` (plus the
upload's id and status). ``enrol apply UPLOAD`` resumes an upload whose job stopped; ``enrol errors
UPLOAD --out F.xlsx`` writes its error report; ``enrol template --out F.xlsx`` writes the template.
On a refused file prints ``{"code","message","field","errors":[...]}`` and exits 1.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paritrana.core.errors import DomainError, Problem, ValidationFailed

from ... import selectors, services
from ...models import Upload


class Command(BaseCommand):
    help = "Pendaftaran massal dari CSV/XLSX / bulk enrolment"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        take = sub.add_parser("import", help="periksa dan daftarkan satu berkas")
        take.add_argument("file")
        payer = take.add_mutually_exclusive_group(required=True)
        payer.add_argument("--sponsor", help="kode penanggung iuran, mis. APBD-64.02")
        payer.add_argument("--employer", help="NPP pemberi kerja")
        take.add_argument("--dry-run", action="store_true", help="hanya periksa; tidak ada yang didaftarkan")
        take.add_argument("--mapping", help='pemetaan kolom JSON, mis. {"No KTP": "nik"}')
        take.add_argument("--valid-from", help="tanggal mulai kepesertaan (YYYY-MM-DD); bawaan hari ini")
        take.add_argument("--batch-lines", type=int, default=None, help="baris per batch yang di-commit")
        resume = sub.add_parser("apply", help="lanjutkan unggahan yang terhenti")
        resume.add_argument("upload", type=int)
        resume.add_argument("--batch-lines", type=int, default=None)
        report = sub.add_parser("errors", help="laporan kesalahan sebagai XLSX")
        report.add_argument("upload", type=int)
        report.add_argument("--out", required=True)
        template = sub.add_parser("template", help="templat XLSX")
        template.add_argument("--out", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["what"] == "import":
                self._import(options)
            elif options["what"] == "apply":
                upload = services.upload_run(
                    upload_id=options["upload"], channel="cli", batch_lines=options["batch_lines"]
                )
                self._print(services.upload_summary(upload))
            elif options["what"] == "errors":
                upload = Upload.objects.get(pk=options["upload"])
                Path(options["out"]).write_bytes(selectors.errors_xlsx(upload=upload))
                self._print({"upload": upload.pk, "out": options["out"], "errors": upload.errors.count()})
            else:
                Path(options["out"]).write_bytes(selectors.template_xlsx())
                self._print({"out": options["out"]})
        except ValidationFailed as exc:
            self._fail(exc.problems)
        except DomainError as exc:
            self._fail(exc.problems)
        except Upload.DoesNotExist:
            self._fail([Problem("upload_unknown", "Unggahan tidak ditemukan.", "upload")])

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            self._fail([Problem("file_missing", f"Berkas {path} tidak ada.", "file")])
        try:
            mapping = json.loads(options["mapping"]) if options["mapping"] else None
            valid_from = date.fromisoformat(options["valid_from"]) if options["valid_from"] else None
        except (json.JSONDecodeError, ValueError):
            self._fail([Problem("option_invalid", "Pemetaan harus JSON dan tanggal YYYY-MM-DD.", None)])
        if mapping is not None and not (
            isinstance(mapping, dict) and all(isinstance(v, str) for v in mapping.values())
        ):
            self._fail(
                [Problem("mapping_invalid", "Pemetaan harus objek JSON {kolom berkas: kolom templat}.", "mapping")]
            )
        upload = services.upload_create(
            actor=None,
            content=path.read_bytes(),
            file_name=path.name,
            sponsor_code=options["sponsor"],
            employer_npp=options["employer"],
            mapping=mapping,
            valid_from=valid_from,
            dry_run=options["dry_run"],
            channel="cli",
        )
        if not options["dry_run"]:
            upload = services.upload_run(upload_id=upload.pk, channel="cli", batch_lines=options["batch_lines"])
        summary = services.upload_summary(upload)
        if upload.detail.get("budget", {}).get("warning"):
            summary["budget_warning"] = upload.detail["budget"]["warning"]
        self._print(summary)

    def _print(self, data: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False))

    def _fail(self, problems: list[Problem]) -> None:
        errors = [p.as_dict() for p in problems]
        self.stdout.write(json.dumps({**errors[0], "errors": errors}, ensure_ascii=False))
        sys.exit(1)
