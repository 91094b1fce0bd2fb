"""``paritrana bsu``: wage subsidy rounds from the shell.

- ``bsu define CODE [--copy-of BSU-2025] [--active-on YYYY-MM-DD] [--monthly-amount RP] …`` defines
  a round or changes one not yet approved (lists comma-separated: ``--regions-included 31,32.01``);
- ``bsu rounds`` lists the rounds; ``bsu status ROUND`` prints a round's counts and payments.
- ``bsu run ROUND [--user NAME]`` decides every person in the registry; ``bsu approve ROUND --user
  NAME`` is the second person's approval (not the user who ran it; a run without a user cannot be
  approved).
- ``bsu exclude ROUND --kind pkh FILE`` loads an outside exclusion list (CSV/XLSX with a NIK column).
- ``bsu minimum-wage --region CODE --year Y --amount RP --basis TEXT`` records a UMP/UMK.
- ``bsu batch ROUND --channel BRI [--instalment N] [--region CODE] [--limit N] --out F.csv`` makes a
  payment batch and writes its file; ``bsu results FILE`` imports a channel's returned results.
- ``bsu check NIK`` prints whether the person qualifies in each round, and why not.
Output is JSON; a refusal prints ``{"code","message","field","errors":[...]}`` and exits 1.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandParser

from paritrana.core.actors import system_actor
from paritrana.core.commands import JsonCommand
from paritrana.core.exports import write_csv
from paritrana.core.money import parse_rupiah

from ... import selectors, services

LIST_FLAGS = (
    "segments",
    "provinces-excluded",
    "regions-included",
    "sectors",
    "employer-kinds-excluded",
    "exclusion-kinds",
    "channels",
)


class Command(JsonCommand):
    help = "Bantuan Subsidi Upah (BSU) / wage subsidy rounds"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("rounds", help="daftar putaran")
        define = sub.add_parser("define", help="tetapkan putaran baru atau ubah syarat putaran yang belum disetujui")
        define.add_argument("round")
        define.add_argument("--copy-of", default=None, help="salin syarat putaran lain, mis. BSU-2025")
        for flag in ("name", "legal-basis", "source", "note", "active-on"):
            define.add_argument(f"--{flag}", default=None)
        for flag in ("monthly-amount", "wage-ceiling"):
            define.add_argument(f"--{flag}", default=None, help="rupiah, mis. 300.000")
        for flag in ("months", "instalments", "minimum-wage-year"):
            define.add_argument(f"--{flag}", type=int, default=None)
        define.add_argument("--ceiling-exclusive", action="store_true", help="upah harus di bawah batas")
        for flag in LIST_FLAGS:
            define.add_argument(f"--{flag}", default=None, help="dipisah koma")
        sub.add_parser("status", help="ringkasan putaran").add_argument("round")
        run = sub.add_parser("run", help="hitung penetapan penerima")
        run.add_argument("round")
        run.add_argument("--user", default=None, help="nama pengguna yang menghitung (untuk persetujuan orang kedua)")
        approve = sub.add_parser("approve", help="persetujuan orang kedua")
        approve.add_argument("round")
        approve.add_argument("--user", required=True, help="nama pengguna yang menyetujui")
        exclude = sub.add_parser("exclude", help="daftar pengecualian dari luar (kolom NIK)")
        exclude.add_argument("round")
        exclude.add_argument("file")
        exclude.add_argument("--kind", required=True, help="asn, tni, polri, pkh, prakerja, bpum, other")
        exclude.add_argument("--origin", default="", help="asal daftar, mis. Kemensos 2025")
        wage = sub.add_parser("minimum-wage", help="catat UMP/UMK")
        wage.add_argument("--region", required=True)
        wage.add_argument("--year", type=int, required=True)
        wage.add_argument("--amount", required=True)
        wage.add_argument("--basis", required=True, help="dasar hukum, mis. Kepgub Banten 561/2021")
        batch = sub.add_parser("batch", help="buat batch pembayaran dan tulis berkasnya")
        batch.add_argument("round")
        batch.add_argument("--channel", required=True)
        batch.add_argument("--instalment", type=int, default=1)
        batch.add_argument("--region", default="")
        batch.add_argument("--limit", type=int, default=None)
        batch.add_argument("--out", required=True)
        results = sub.add_parser("results", help="impor hasil penyaluran (reference, status[, date])")
        results.add_argument("file")
        check = sub.add_parser("check", help="status BSU seorang peserta")
        check.add_argument("nik")

    indent = 1

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            self.fail("user_unknown", f"Pengguna {username!r} tidak dikenal.", "user")
        return user

    def run(self, **options: Any) -> Any:
        what = options["what"]
        if what == "rounds":
            return [
                {
                    "code": r.code,
                    "name": r.name,
                    "status": r.status,
                    "active_on": r.active_on,
                    "legal_basis": r.legal_basis,
                }
                for r in selectors.round_list(actor=system_actor(), channel="cli")
            ]
        if what == "define":
            terms: dict[str, Any] = {
                name.replace("-", "_"): options[name.replace("-", "_")]
                for name in ("copy-of", "name", "legal-basis", "source", "note", "active-on", "months", "instalments",
                             "minimum-wage-year")
            }  # fmt: skip
            for name in ("monthly-amount", "wage-ceiling"):
                raw = options[name.replace("-", "_")]
                terms[name.replace("-", "_")] = parse_rupiah(raw) if raw else None
            for flag in LIST_FLAGS:
                raw = options[flag.replace("-", "_")]
                terms[flag.replace("-", "_")] = raw.split(",") if raw is not None else None
            if options["ceiling_exclusive"]:
                terms["ceiling_inclusive"] = False
            round_ = services.round_define(actor=system_actor(), code=options["round"], terms=terms, channel="cli")
            return {f: getattr(round_, f) for f in ("code", "status", *services.ROUND_FIELDS)}
        if what == "status":
            summary = selectors.round_summary(actor=system_actor(), code=options["round"], channel="cli")
            round_ = summary.pop("round")
            summary["batches"] = [
                {
                    "number": b.number,
                    "channel": b.channel,
                    "payments": b.payments,
                    "amount": b.amount,
                    "status": b.status,
                }
                for b in summary["batches"]
            ]
            return {"round": round_.code, "status": round_.status, **summary}
        if what == "run":
            # Without --user the shell's own actor runs it, as every other job here; such a run has
            # no person to tell the approver apart from, so it cannot be approved (round_approve).
            actor = self._user(options["user"]) if options["user"] else system_actor()
            round_ = services.round_compute(actor=actor, code=options["round"], channel="cli")
            return {"round": round_.code, "status": round_.status, **round_.counts}
        if what == "approve":
            round_ = services.round_approve(actor=self._user(options["user"]), code=options["round"], channel="cli")
            return {"round": round_.code, "status": round_.status, "approved_by": options["user"]}
        if what == "exclude":
            path = Path(options["file"])
            listed = services.exclusion_import(
                actor=system_actor(),
                code=options["round"],
                kind=options["kind"],
                content=path.read_bytes(),
                file_name=path.name,
                origin=options["origin"],
                channel="cli",
            )
            return {
                "list": listed.pk,
                "rows": listed.rows,
                "invalid": listed.invalid,
                "in_registry": listed.in_registry,
            }
        if what == "minimum-wage":
            services.minimum_wage_set(
                actor=system_actor(),
                region=options["region"],
                year=options["year"],
                amount=parse_rupiah(options["amount"]),
                legal_basis=options["basis"],
                channel="cli",
            )
            return {"region": options["region"], "year": options["year"]}
        if what == "batch":
            batch = services.batch_create(
                actor=system_actor(),
                code=options["round"],
                channel_code=options["channel"].upper(),
                instalment=options["instalment"],
                region=options["region"],
                limit=options["limit"],
                channel="cli",
            )
            _, rows = selectors.batch_file_rows(
                actor=system_actor(), code=batch.round.code, number=batch.number, channel="cli"
            )
            write_csv(options["out"], rows[0], rows[1:], bom=False)  # a bank's system reads it
            return {"batch": str(batch), "payments": batch.payments, "amount": batch.amount, "file": options["out"]}
        if what == "results":
            path = Path(options["file"])
            return services.results_import(
                actor=system_actor(), content=path.read_bytes(), file_name=path.name, channel="cli"
            )
        return selectors.participant_status(actor=system_actor(), nik=options["nik"], channel="cli")

    def plain(self, value: Any) -> Any:
        # Whole rupiah print as numbers, as the bank files carry them.
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else str(value)
        return super().plain(value)
