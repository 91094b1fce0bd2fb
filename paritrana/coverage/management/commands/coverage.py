"""``paritrana coverage``: the monthly rollup, official figures, and a region's report.

- ``coverage refresh --period YYYY-MM [--until YYYY-MM]`` rebuilds the rollup of each month;
- ``coverage report --region CODE --period YYYY-MM [--denominator employed|labour_force|potential]
  --json`` prints the region's indicators (CODE: ID for Indonesia, 64, 64.02);
- ``coverage finance --region CODE --period YYYY-MM --json`` prints employers covered, contributions
  and claims paid per programme (and, for ID, each programme's fund flow);
- ``coverage monev --province 64 [--period YYYY-MM] --out F.pdf`` writes the province's monev report;
- ``coverage inpres-report --semester 2026-2 --out F.pdf`` writes the six-monthly Inpres report;
- ``coverage denominators FILE.csv`` imports workforce figures (region,year,kind,value,source);
- ``coverage target --year Y --value N --source TEXT [--region CODE] [--segment BPU]``.
On an error prints ``{"code","message","field","errors":[...]}`` and exits 1.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from paritrana.core.actors import system_actor
from paritrana.core.commands import JsonCommand
from paritrana.core.errors import Problem
from paritrana.core.periods import Period, Semester

from ... import inpres, selectors, services
from ...batch.rollup import refresh_since
from ...report import monev_pdf


class Command(JsonCommand):
    help = "Cakupan kepesertaan: rollup bulanan, penyebut, target, laporan wilayah"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        refresh = sub.add_parser("refresh", help="bangun ulang rollup bulanan")
        refresh.add_argument("--period", required=True, help="YYYY-MM")
        refresh.add_argument("--until", help="YYYY-MM (bawaan: sama dengan --period)")
        report = sub.add_parser("report", help="indikator satu wilayah untuk satu bulan")
        report.add_argument("--region", default="ID", help="ID, kode provinsi (64) atau kabupaten/kota (64.02)")
        report.add_argument("--period", help="YYYY-MM (bawaan: bulan terakhir yang dihitung)")
        report.add_argument("--denominator", default="employed", choices=("employed", "labour_force", "potential"))
        report.add_argument("--json", action="store_true", help="cetak JSON (satu-satunya format saat ini)")
        money = sub.add_parser("finance", help="iuran, klaim dibayar dan arus dana satu wilayah")
        money.add_argument("--region", default="ID", help="ID, kode provinsi (64) atau kabupaten/kota (64.02)")
        money.add_argument("--period", help="YYYY-MM (bawaan: bulan terakhir yang dihitung)")
        money.add_argument("--json", action="store_true", help="cetak JSON (satu-satunya format saat ini)")
        monev = sub.add_parser("monev", help="laporan monev provinsi (PDF)")
        monev.add_argument("--province", required=True, help="kode provinsi, mis. 64")
        monev.add_argument("--period", help="YYYY-MM (bawaan: bulan terakhir yang dihitung)")
        monev.add_argument("--denominator", default="employed", choices=("employed", "labour_force", "potential"))
        monev.add_argument("--out", required=True)
        follow = sub.add_parser("inpres-report", help="laporan enam bulanan Inpres 2/2021 (PDF)")
        follow.add_argument("--semester", required=True, help="TTTT-1 (Jan–Jun) atau TTTT-2 (Jul–Des)")
        follow.add_argument("--out", required=True)
        figures = sub.add_parser("denominators", help="impor penyebut dari CSV")
        figures.add_argument("file")
        target = sub.add_parser("target", help="tetapkan target peserta aktif")
        target.add_argument("--year", type=int, required=True)
        target.add_argument("--value", type=int, required=True)
        target.add_argument("--source", required=True)
        target.add_argument("--region", default="")
        target.add_argument("--segment", default="")

    def run(self, **options: Any) -> None:
        if options["what"] == "refresh":
            first = Period.parse(options["period"]).sql
            last = Period.parse(options["until"], field="until").sql if options["until"] else first
            self.answer({"months": refresh_since(first, last)})
        elif options["what"] == "report":
            period = self._period(options)
            report = selectors.region_report(
                user=system_actor(), region=options["region"], period=period, kind=options["denominator"]
            )
            self.answer(report)
        elif options["what"] == "finance":
            period = self._period(options)
            self.answer(selectors.finance_report(user=system_actor(), region=options["region"], period=period))
        elif options["what"] == "monev":
            period = self._period(options)
            data = selectors.monev_report(
                user=system_actor(), province=options["province"], period=period, kind=options["denominator"]
            )
            Path(options["out"]).write_bytes(monev_pdf(data))
            self.answer({"out": options["out"], "province": data["name"], "not_budgeted": data["not_budgeted"]})
        elif options["what"] == "inpres-report":
            semester = Semester.parse(options["semester"])
            Path(options["out"]).write_bytes(inpres.report_pdf(user=system_actor(), semester=semester))
            self.answer({"out": options["out"], "semester": options["semester"]})
        elif options["what"] == "denominators":
            path = Path(options["file"])
            if not path.is_file():
                self.refuse([Problem("file_missing", f"Berkas {path} tidak ada.", "file")])
            self.answer(services.denominators_import(actor=system_actor(), content=path.read_bytes(), channel="cli"))
        else:
            t = services.target_set(
                actor=system_actor(),
                year=options["year"],
                value=options["value"],
                source=options["source"],
                region=options["region"],
                segment=options["segment"],
                channel="cli",
            )
            self.answer({"target": t.pk, "year": t.year, "region": t.region_id or "ID", "value": t.value})

    def _period(self, options: dict[str, Any]) -> date:
        """The month asked for, or the latest month rolled up."""
        period = Period.parse(options["period"]).sql if options["period"] else selectors.latest_period()
        if period is None:
            self.refuse([Problem("no_rollup", "Belum ada rollup; jalankan 'coverage refresh'.", "period")])
        assert period is not None  # refuse() exits
        return period
