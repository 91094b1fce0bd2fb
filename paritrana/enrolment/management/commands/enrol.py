"""``paritrana enrol import FILE --sponsor CODE [--dry-run]``: bulk enrolment from the shell.

Prints ``{"rows","valid","invalid","applied","already_enrolled","errors_by_code","seconds"}`` (plus the
upload's id and status). ``enrol apply UPLOAD`` resumes an upload whose job stopped; ``enrol errors
UPLOAD --out F.xlsx`` writes its error report; ``enrol template --out F.xlsx`` writes the template.
``enrol cards UPLOAD --out DIR`` prints the upload's membership cards (PDF files of 2,000 cards);
``enrol certificate --sponsor CODE|--employer NPP --out F.pdf`` the payer's certificate. Their QR
codes open PARITRANA_PUBLIC_URL's verification page. ``enrol budget --sponsor CODE --year Y
[--allocation RP] [--months M] [--renew]`` shows, sets and renews a sponsor's budget year.
On a refused file prints ``{"code","message","field","errors":[...]}`` and exits 1.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from paritrana.core.actors import system_actor
from paritrana.core.commands import JsonCommand
from paritrana.core.errors import Problem
from paritrana.core.money import parse_rupiah
from paritrana.registry.models import Employer, Sponsor

from ... import proof, selectors, services
from ...models import Upload


class Command(JsonCommand):
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
        cards = sub.add_parser("cards", help="kartu peserta (PDF) dari satu unggahan")
        cards.add_argument("upload", type=int)
        cards.add_argument("--out", required=True, help="direktori tujuan")
        certificate = sub.add_parser("certificate", help="sertifikat kepesertaan (PDF) pembayar")
        who = certificate.add_mutually_exclusive_group(required=True)
        who.add_argument("--sponsor", help="kode penanggung iuran")
        who.add_argument("--employer", help="NPP pemberi kerja")
        certificate.add_argument("--out", required=True)
        budget = sub.add_parser("budget", help="pagu anggaran penanggung iuran: lihat, tetapkan, perpanjang")
        budget.add_argument("--sponsor", required=True, help="kode penanggung iuran")
        budget.add_argument("--year", type=int, required=True, help="tahun anggaran")
        budget.add_argument("--allocation", help="pagu APBD dalam rupiah, mis. 1.500.000.000")
        budget.add_argument("--months", type=int, default=None, help="bulan dibayar (bawaan: tetap, atau 12)")
        budget.add_argument("--document", default=None, help="dokumen anggaran, mis. DPA 2026 No. …")
        budget.add_argument("--renew", action="store_true", help="perpanjang seluruh daftar ke tahun ini")

    def run(self, **options: Any) -> None:
        try:
            if options["what"] == "import":
                self._import(options)
            elif options["what"] == "apply":
                upload = services.upload_run(
                    actor=system_actor(), upload_id=options["upload"], channel="cli", batch_lines=options["batch_lines"]
                )
                self.answer(services.upload_summary(upload))
            elif options["what"] == "errors":
                upload = Upload.objects.get(pk=options["upload"])
                Path(options["out"]).write_bytes(selectors.errors_xlsx(upload=upload))
                self.answer({"upload": upload.pk, "out": options["out"], "errors": upload.errors.count()})
            elif options["what"] == "cards":
                self._cards(Upload.objects.get(pk=options["upload"]), Path(options["out"]))
            elif options["what"] == "certificate":
                self._certificate(options)
            elif options["what"] == "budget":
                self._budget(options)
            else:
                Path(options["out"]).write_bytes(selectors.template_xlsx())
                self.answer({"out": options["out"]})
        except Upload.DoesNotExist:
            self.refuse([Problem("upload_unknown", "Unggahan tidak ditemukan.", "upload")])
        except (Sponsor.DoesNotExist, Employer.DoesNotExist):
            self.refuse([Problem("payer_unknown", "Penanggung iuran atau pemberi kerja tidak ditemukan.", "payer")])

    def _cards(self, upload: Upload, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        url = proof.public_verify_url("enrolment:verify_card")
        files, part = [], 1
        while result := proof.upload_cards_pdf(upload, part=part, verify_url=url):
            path = out / result[0]
            path.write_bytes(result[1])
            files.append(str(path))
            part += 1
        total = selectors.upload_card_count(upload=upload)
        self.answer({"upload": upload.pk, "cards": total, "files": files})

    def _certificate(self, options: dict[str, Any]) -> None:
        sponsor = Sponsor.objects.get(code=options["sponsor"].strip().upper()) if options["sponsor"] else None
        employer = Employer.objects.get(npp=options["employer"].strip()) if options["employer"] else None
        certificate = selectors.payer_certificate(sponsor=sponsor, employer=employer, today=timezone.localdate())
        url = proof.public_verify_url("enrolment:verify_certificate")
        Path(options["out"]).write_bytes(proof.certificate_pdf(certificate, verify_url=url))
        self.answer({"number": certificate["number"], "covered": certificate["total_count"], "out": options["out"]})

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            self.refuse([Problem("file_missing", f"Berkas {path} tidak ada.", "file")])
        try:
            mapping = json.loads(options["mapping"]) if options["mapping"] else None
            valid_from = date.fromisoformat(options["valid_from"]) if options["valid_from"] else None
        except (json.JSONDecodeError, ValueError):
            self.refuse([Problem("option_invalid", "Pemetaan harus JSON dan tanggal YYYY-MM-DD.", None)])
        if mapping is not None and not (
            isinstance(mapping, dict) and all(isinstance(v, str) for v in mapping.values())
        ):
            self.refuse(
                [Problem("mapping_invalid", "Pemetaan harus objek JSON {kolom berkas: kolom templat}.", "mapping")]
            )
        upload = services.upload_create(
            actor=system_actor(),
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
            upload = services.upload_run(
                actor=system_actor(), upload_id=upload.pk, channel="cli", batch_lines=options["batch_lines"]
            )
        summary = services.upload_summary(upload)
        if upload.detail.get("budget", {}).get("warning"):
            summary["budget_warning"] = upload.detail["budget"]["warning"]
        self.answer(summary)

    def _budget(self, options: dict[str, Any]) -> None:
        """Prints the year's status ({"allocation","persons","monthly","committed","left",…}) after
        setting the allocation and/or renewing the list, when asked."""
        sponsor = Sponsor.objects.get(code=options["sponsor"].strip().upper())
        year = options["year"]
        out: dict[str, Any] = {"sponsor": sponsor.code}
        if options["renew"]:
            out["renewed"] = services.budget_renew(
                actor=system_actor(), sponsor_id=sponsor.pk, year=year, channel="cli"
            )["renewed"]
        if options["allocation"] is not None:
            try:
                allocation = parse_rupiah(options["allocation"])
            except ValueError:
                self.refuse([Problem("amount_invalid", "Pagu harus angka rupiah, mis. 1.500.000.000.", "allocation")])
            # Unsaid, the months and document already recorded stay (12 and none for a new year).
            recorded = selectors.budget_status(sponsor=sponsor, year=year)
            services.budget_set(
                actor=system_actor(),
                sponsor_id=sponsor.pk,
                year=year,
                allocation=allocation,
                months=options["months"] or recorded["months"],
                document=recorded["document"] if options["document"] is None else options["document"],
                channel="cli",
            )
        status = selectors.budget_status(sponsor=sponsor, year=year)
        self.answer({**out, **{k: str(v) if isinstance(v, Decimal) else v for k, v in status.items()}})
