"""``paritrana demo``: migrate, reference data, demo population and one user per role. Idempotent."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from paritrana.accounts.models import Profile
from paritrana.accounts.services import user_provision
from paritrana.benefits.models import Heir
from paritrana.core.actors import system_actor
from paritrana.core.models import BatchRun
from paritrana.coverage.models import CoverageMonth
from paritrana.demo.claims import demo_claims
from paritrana.demo.coverage import demo_coverage
from paritrana.demo.enrolment import demo_upload
from paritrana.demo.pensions import demo_pensions
from paritrana.demo.synth.load import synth_run
from paritrana.regions.models import Branch, BranchArea, Region
from paritrana.registry.models import Employer, Person, Sponsor
from paritrana.subsidies.models import Round
from paritrana.subsidies.services import round_compute

# Six or more provinces, with Kalimantan Timur and Kalimantan Utara (scenarios S3, S5) and DKI
# Jakarta (the ministry of scenario S1).
DEMO_PROVINCES = ["12", "31", "32", "33", "35", "51", "64", "65"]
DEMO_PERSONS = 50_000
DEMO_EMPLOYERS = 4_000
DEMO_SEED = 2021  # the year of Inpres 2/2021

# The demo's own branch mapping (a deployment loads its real one). Kalimantan Timur is split
# between two offices so that branch scoping can be seen; elsewhere one office per province.
KALTIM_BRANCHES = {
    "KC-SMD": ("Kantor Cabang Samarinda", "64.72", ["64.72", "64.02", "64.07", "64.08", "64.74", "64.11"]),
    "KC-BPN": ("Kantor Cabang Balikpapan", "64.71", ["64.71", "64.01", "64.09", "64.03"]),
}


class Command(BaseCommand):
    help = "Siapkan data demo / prepare the demo"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=DEMO_PERSONS)

    def handle(self, *args: Any, **options: Any) -> None:
        t = time.perf_counter()
        self._step("Migrasi basis data (wilayah Kepmendagri 2025 dimuat saat pertama kali)")
        call_command("migrate", verbosity=0, interactive=False)
        self._step("Kantor cabang demo")
        self._branches()
        done = BatchRun.objects.filter(job="synth", status="done", params__seed=DEMO_SEED).exists()
        if done:
            self._step("Populasi demo sudah ada — dilewati")
        else:
            self._step(f"Populasi sintetis: {options['persons']:,} orang di {len(DEMO_PROVINCES)} provinsi")
            # Employers enough for a Paritrana Award field the size of 2020's (about 150 large and 150
            # medium enterprises standing; scenarios.md S8).
            report = synth_run(
                persons=options["persons"],
                seed=DEMO_SEED,
                provinces=DEMO_PROVINCES,
                progress=self._progress,
                employers=DEMO_EMPLOYERS,
            )
            self.stdout.write("    " + json.dumps(report.as_dict()))
        self._step("Pengguna demo per peran")
        users = self._users()
        self._step("Klaim demo (iuran APBD Kutai Kartanegara bulan lalu dibayar; klaim di tiap tahap)")
        self._claims()
        self._step("Pensiun demo (janda, anak, orang tua peserta yang meninggal; pensiun cacat; payroll bulan lalu)")
        users += self._pensions()
        self._step("Pendaftaran massal demo (daftar pekerja rentan APBD Kutai Kartanegara, pagu tahun ini)")
        self._enrolment()
        self._step("Cakupan demo (tagihan bulan lalu dibayar lewat rekening koran, kecuali sebagian; rollup bulanan)")
        self._coverage()
        self._step("BSU 2025: penetapan penerima dihitung oleh admin (disetujui oleh admin2 di /bsu/)")
        self._subsidy()
        self._step("Pencocokan daftar KUR sintetis (5.000 baris berderau) dengan registri (/pencocokan/)")
        self._linkage()
        self._step("Paritrana Award demo: kandidat dari registri, seleksi provinsi, verifikasi, wawancara, pemenang")
        self._award()
        self.stdout.write("")
        self.stdout.write("  Pengguna demo (kata sandi hanya untuk demo lokal):")
        self.stdout.write(f"  {'peran':<22} {'nama pengguna':<22} {'kata sandi':<26} lingkup")
        for role, username, password, scope in users:
            self.stdout.write(f"  {role:<22} {username:<22} {password:<26} {scope}")
        self.stdout.write(f"\n  Selesai dalam {time.perf_counter() - t:.1f} detik.")

    def _step(self, text: str) -> None:
        self.stdout.write(f"==> {text}")

    def _progress(self, step: str, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r    {step:<12} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    @transaction.atomic
    def _branches(self) -> None:
        for code, (name, seat_code, regencies) in KALTIM_BRANCHES.items():
            branch, _ = Branch.objects.update_or_create(code=code, defaults={"name": name, "region_id": seat_code})
            for regency in regencies:
                BranchArea.objects.update_or_create(regency_id=regency, defaults={"branch": branch})
        for province in DEMO_PROVINCES:
            if province == "64":
                continue
            areas: list[Region] = list(Region.objects.filter(parent_id=province).order_by("code"))
            seat = next((r for r in areas if r.kind == "kota"), areas[0])
            branch, _ = Branch.objects.update_or_create(
                code=f"KC-{province}",
                defaults={"name": f"Kantor Cabang {seat.name.replace('Kota ', '')}", "region": seat},
            )
            for area in areas:
                BranchArea.objects.get_or_create(regency=area, defaults={"branch": branch})
        # Employers and sponsors loaded before the mapping existed get their branch now.
        for mapping in BranchArea.objects.all():
            unassigned = {"regency_id": mapping.regency_id, "branch__isnull": True}
            Employer.objects.filter(**unassigned).update(branch_id=mapping.branch_id)
            Sponsor.objects.filter(**unassigned).update(branch_id=mapping.branch_id)

    def _claims(self) -> None:
        sponsor = Sponsor.objects.filter(code="APBD-64.02").first()
        admin = User.objects.filter(username="admin").first()
        if sponsor is None or admin is None:
            return
        # The demo participant (user "peserta") stays alive: their own page shows no claim of their death.
        participants = tuple(Profile.objects.filter(person__isnull=False).values_list("person_id", flat=True))
        with transaction.atomic():
            made = demo_claims(actor=admin, sponsor=sponsor, exclude_person_ids=participants)
        self.stdout.write("    " + json.dumps(made))

    def _pensions(self) -> list[tuple[str, str, str, str]]:
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            return []
        with transaction.atomic():
            made = demo_pensions(actor=admin)
        self.stdout.write("    " + json.dumps(made))
        # The widow, a registered person, follows her pension from her own login (issue 31 §4).
        widow = Person.objects.filter(pk=made.get("widow_person") or 0).first() or (
            Person.objects.filter(nik__in=Heir.objects.filter(pensions__kind="spouse").values("nik")).first()
        )
        if widow is None:
            return []
        username = "janda"
        password = f"demo-{username}-2021"
        if not User.objects.filter(username=username).exists():
            user = user_provision(
                actor=system_actor(), username=username, password=password, role="participant", person=widow
            )
            user.email = f"{username}@demo.paritrana.test"
            user.save(update_fields=["email"])
        return [("participant", username, password, f"{widow.full_name} (penerima pensiun janda)")]

    def _enrolment(self) -> None:
        sponsor = Sponsor.objects.filter(code="APBD-64.02").first()
        if sponsor is None:
            return
        self.stdout.write("    " + json.dumps(demo_upload(actor=system_actor(), sponsor=sponsor)))

    def _coverage(self) -> None:
        admin = User.objects.filter(username="admin").first()
        if admin is None or CoverageMonth.objects.exists():
            self.stdout.write("    sudah ada — dilewati")
            return
        self.stdout.write("    " + json.dumps(demo_coverage(actor=admin)))

    def _subsidy(self) -> None:
        admin = User.objects.filter(username="admin").first()
        round_ = Round.objects.filter(code="BSU-2025").first()
        if admin is None or round_ is None or round_.status != "draft":
            self.stdout.write("    sudah ada — dilewati")
            return
        computed = round_compute(actor=admin, code=round_.code, channel="cli")
        self.stdout.write("    " + json.dumps({k: computed.counts[k] for k in ("decided", "eligible", "amount")}))

    def _linkage(self) -> None:
        import tempfile
        from pathlib import Path

        from paritrana.demo.synth.outside_lists import generate_list
        from paritrana.linkage import services as linkage
        from paritrana.linkage.batch.run import run_execute
        from paritrana.linkage.models import OutsideList

        if OutsideList.objects.filter(name="KUR BRI 2021 (demo)").exists():
            self.stdout.write("    sudah ada — dilewati")
            return
        admin = User.objects.filter(username="admin").first()
        with tempfile.TemporaryDirectory() as work:
            listed_file = Path(work) / "kur-bri-2021-demo.csv"
            generate_list(listed_file, records=5_000, profile="hard", seed=DEMO_SEED)
            listed = linkage.list_import(
                actor=admin, path=listed_file, file_name=listed_file.name, kind="kur", name="KUR BRI 2021 (demo)",
                bank="BRI", year=2021, channel="cli",
            )  # fmt: skip
        run = run_execute(linkage.run_create(actor=admin, list_id=listed.pk, channel="cli").pk)
        self.stdout.write("    " + json.dumps(run.counts))

    def _award(self) -> None:
        from django.utils import timezone

        from paritrana.demo.award import demo_edition

        admin = User.objects.filter(username="admin").first()
        made = demo_edition(actor=admin, today=timezone.localdate())
        self.stdout.write("    " + json.dumps(made.get("categories", made)))

    def _users(self) -> list[tuple[str, str, str, str]]:
        ministry = Employer.objects.filter(name="Kementerian Koordinator Bidang Perekonomian").first()
        kukar_sponsor = Sponsor.objects.filter(code="APBD-64.02").first()
        participant = (
            Person.objects.filter(regency_id="64.02", memberships__sponsor=kukar_sponsor).order_by("id").first()
        )
        plan: list[tuple[str, str, dict[str, Any], str]] = [
            ("national_admin", "admin", {}, "Nasional"),
            ("national_admin", "admin2", {}, "Nasional (orang kedua yang menyetujui BSU)"),
            ("coordination_viewer", "koordinasi", {}, "Nasional, agregat saja"),
            ("branch_officer", "cabang.samarinda", {"branch_id": "KC-SMD"}, "Kantor Cabang Samarinda"),
            ("province_officer", "prov.kaltim", {"region_id": "64"}, "Provinsi Kalimantan Timur"),
            ("regency_officer", "kab.kukar", {"region_id": "64.02"}, "Kabupaten Kutai Kartanegara"),
            ("regency_officer", "kota.balikpapan", {"region_id": "64.71"}, "Kota Balikpapan"),
            ("award_jury", "juri", {}, "Paritrana Award"),
        ]
        if ministry:
            plan.append(("employer_hr", "hr.kemenko", {"employer": ministry}, ministry.name))
        if kukar_sponsor:
            plan.append(("sponsor_operator", "apbd.kukar", {"sponsor": kukar_sponsor}, kukar_sponsor.name))
        if participant:
            plan.append(("participant", "peserta", {"person": participant}, participant.full_name))
        rows = []
        for role, username, assignment, scope in plan:
            password = f"demo-{username}-2021"
            defaults = {
                "region_id": None,
                "branch_id": None,
                "employer": None,
                "sponsor": None,
                "person": None,
            }
            user = user_provision(
                actor=system_actor(), username=username, password=password, role=role, **{**defaults, **assignment}
            )
            # An address under .test (RFC 2606: never delivered anywhere), so the demo's notifications are
            # written: to var/mail/ on a developer's machine (settings: PARITRANA_EMAIL_URL unset).
            user.email = f"{username}@demo.paritrana.test"
            user.save(update_fields=["email"])
            rows.append((role, username, password, scope))
        return rows
