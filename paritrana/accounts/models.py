"""Roles, region scopes, login lockout and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", "Administrator nasional"
    COORDINATION_VIEWER = "coordination_viewer", "Tim koordinasi (agregat)"
    BRANCH_OFFICER = "branch_officer", "Petugas kantor cabang"
    PROVINCE_OFFICER = "province_officer", "Petugas provinsi"
    REGENCY_OFFICER = "regency_officer", "Petugas kabupaten/kota"
    EMPLOYER_HR = "employer_hr", "HR pemberi kerja"
    SPONSOR_OPERATOR = "sponsor_operator", "Operator penanggung iuran"
    AWARD_JURY = "award_jury", "Juri Paritrana Award"
    PARTICIPANT = "participant", "Peserta"


class Profile(models.Model):
    """What a user is and where: the only input to scoping (``accounts/scope.py``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=24, choices=Role.choices)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey("regions.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey("registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sponsor = models.ForeignKey("registry.Sponsor", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="province_officer") | models.Q(region__isnull=False),
                name="profile_province_officer_has_region",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="regency_officer") | models.Q(region__isnull=False),
                name="profile_regency_officer_has_region",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="branch_officer") | models.Q(branch__isnull=False),
                name="profile_branch_officer_has_branch",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="employer_hr") | models.Q(employer__isnull=False),
                name="profile_employer_hr_has_employer",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="sponsor_operator") | models.Q(sponsor__isnull=False),
                name="profile_sponsor_operator_has_sponsor",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="participant") | models.Q(person__isnull=False),
                name="profile_participant_has_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class Throttle(models.Model):
    """Failed attempts counted under a key, so that repeated guessing locks the key for a while
    (``accounts/throttle.py``): a username from one client, a client across every username, a
    username across every client, a user's refused NIK registrations.

    Kept by text, not user, so that a name that does not exist behaves like one that does.
    """

    key = models.CharField(max_length=255, primary_key=True)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once. It stops
    working when revoked or at ``expires_at``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
