"""Administrative regions (Kepmendagri 300.2.2-2138/2025), historical codes, branches, workforce."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Left


class Region(models.Model):
    """A province, regency/city, district or village, keyed by its dotted Kemendagri code.

    Codes are the key because they are what every outside list carries (``64.02`` = Kutai
    Kartanegara); a child's code always starts with its parent's code and a dot.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, "provinsi"
        REGENCY = 2, "kabupaten/kota"
        DISTRICT = 3, "kecamatan"
        VILLAGE = 4, "desa/kelurahan"

    code = models.CharField(max_length=13, primary_key=True)
    name = models.CharField(max_length=120)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    kind = models.CharField(max_length=16)  # provinsi, kabupaten, kota, kecamatan, distrik, desa, kelurahan, desa_adat
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    postal_code = models.CharField(max_length=5, blank=True, default="")

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True) | models.Q(level__gt=1, parent__isnull=False),
                name="region_parent_by_level",
            ),
            # Each level's code has its own shape (11, 11.01, 11.01.01, 11.01.01.2001) and its parent
            # is its own prefix: so a village that exists implies its district, regency and province
            # exist, which the registry relies on instead of a foreign key per level (decision 0005).
            models.CheckConstraint(
                condition=models.Q(level=1, code__regex=r"^[0-9]{2}$")
                | models.Q(level=2, code__regex=r"^[0-9]{2}\.[0-9]{2}$", parent=Left("code", 2))
                | models.Q(level=3, code__regex=r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$", parent=Left("code", 5))
                | models.Q(level=4, code__regex=r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$", parent=Left("code", 8)),
                name="region_code_by_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def regency_code(self) -> str | None:
        return self.code[:5] if self.level >= 2 else None


class HistoricalRegionCode(models.Model):
    """A regency code no longer in use, and the code that replaced it.

    A NIK keeps the prefix of the place where it was first issued, for life, so NIKs issued in
    Merauke before 2022 start 91.01 although Merauke is 93.01 today (data-sources.md § NIK).
    """

    old_code = models.CharField(max_length=8, primary_key=True)
    name = models.CharField(max_length=120)
    current = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="former_codes")
    changed_in = models.PositiveSmallIntegerField()
    legal_basis = models.TextField()
    certainty = models.CharField(max_length=2)  # P, O, S, C, U as in regulation.md

    class Meta:
        ordering = ["old_code"]

    def __str__(self) -> str:
        return f"{self.old_code} → {self.current_id}"


class Branch(models.Model):
    """A BPJS Ketenagakerjaan branch office (Kantor Cabang) and the regencies/cities it serves.

    The mapping is configuration, not law: a deployment loads its own; the demo defines one.
    """

    code = models.CharField(max_length=16, primary_key=True)
    name = models.CharField(max_length=120)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", help_text="where the office is")
    regencies: models.ManyToManyField[Region, BranchArea] = models.ManyToManyField(
        Region, through="BranchArea", related_name="branches"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "kantor cabang"
        verbose_name_plural = "kantor cabang"

    def __str__(self) -> str:
        return self.name


class BranchArea(models.Model):
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE)
    regency = models.OneToOneField(
        Region, on_delete=models.PROTECT, related_name="branch_area", limit_choices_to={"level": 2}
    )

    def __str__(self) -> str:
        return f"{self.branch_id}: {self.regency_id}"


class WorkforceFigure(models.Model):
    """Workforce denominators per region and Sakernas round (BPS), with their source.

    ``region`` empty means national. ``illustrative`` marks figures made up for the demo, which every
    page showing them must say.
    """

    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="workforce")
    period = models.CharField(max_length=7, help_text="YYYY-MM of the Sakernas round, e.g. 2024-08")
    labour_force = models.BigIntegerField(null=True, blank=True)
    employed = models.BigIntegerField(null=True, blank=True)
    formal = models.BigIntegerField(null=True, blank=True)
    informal = models.BigIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300)
    illustrative = models.BooleanField(default=False)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period"], name="workforce_one_per_region_period", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=models.Q(period__regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
                name="workforce_period_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id or 'ID'} {self.period}"
