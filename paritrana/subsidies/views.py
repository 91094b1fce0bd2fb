"""Pages for wage subsidy rounds: the list, a round (run, approve, exclusion lists, batches, results)
and a participant's own answer."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from paritrana.accounts.scope import scope_for
from paritrana.core.errors import DomainError, PermissionDenied, Problem, ValidationFailed
from paritrana.core.exports import Table, table_response
from paritrana.core.forms import read_form
from paritrana.core.sheets import MAX_BYTES
from paritrana.core.uploads import read_upload
from paritrana.registry.selectors import person_get

from . import selectors, services
from .models import Channel, ListKind
from .rules.rounds import REASONS
from .schemas import BATCH_LABELS, ROUND_LABELS, BatchIn, ExclusionIn, RoundIn


def _terms_from(post: Any) -> RoundIn:
    """The define form as the API's ``RoundIn``: empty boxes keep their term; the page asks whether the
    ceiling is exclusive, the schema whether it is inclusive."""
    return read_form(RoundIn, post, labels=ROUND_LABELS, ceiling_inclusive="ceiling_exclusive" not in post)


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if scope.person_id is not None:
        return redirect("subsidies:check")  # a participant: their own answer
    problems: list[Problem] = []
    if request.method == "POST":
        try:
            made = services.round_define(
                actor=request.user, code=request.POST.get("code", ""), terms=_terms_from(request.POST)
            )
            return redirect("subsidies:round", code=made.code)
        except ValidationFailed as exc:
            problems = exc.problems
        except ValueError:
            problems = [Problem("input_invalid", "Bulan, tahap, tahun dan rupiah harus angka.", None)]
        except PermissionDenied as exc:
            problems = exc.problems
    found = selectors.round_list(actor=request.user)
    return render(
        request, "subsidies/rounds.html", {"rounds": found, "problems": problems, "can_write": scope.everything}
    )


@login_required
def round_detail(request: HttpRequest, code: str) -> HttpResponse:
    problems: list[Problem] = []
    results: dict[str, Any] | None = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "define":
                services.round_define(actor=request.user, code=code, terms=_terms_from(request.POST))
            elif action == "compute":
                services.round_compute(actor=request.user, code=code)
            elif action == "approve":
                services.round_approve(actor=request.user, code=code)
            elif action == "exclude":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationFailed([Problem("file_required", "Pilih berkas daftar.", "file")])
                listed = read_form(ExclusionIn, request.POST, labels={"kind": "Jenis daftar", "origin": "Asal"})
                services.exclusion_import(
                    actor=request.user,
                    code=code,
                    kind=listed.kind,
                    content=read_upload(upload, max_bytes=MAX_BYTES),
                    file_name=upload.name or "daftar.csv",
                    origin=listed.origin,
                )
            elif action == "batch":
                batch = read_form(BatchIn, request.POST, labels=BATCH_LABELS)
                services.batch_create(
                    actor=request.user,
                    code=code,
                    channel_code=batch.channel,
                    instalment=batch.instalment,
                    region=batch.region,
                    limit=batch.limit,
                )
            elif action == "results":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationFailed([Problem("file_required", "Pilih berkas hasil penyaluran.", "file")])
                results = services.results_import(
                    actor=request.user,
                    content=read_upload(upload, max_bytes=MAX_BYTES),
                    file_name=upload.name or "hasil.csv",
                )
            else:
                raise ValidationFailed([Problem("action_unknown", "Tindakan tidak dikenal.", None)])
            if results is None:
                return redirect("subsidies:round", code=code)
        except ValidationFailed as exc:
            problems = exc.problems
        except ValueError:
            problems = [Problem("input_invalid", "Tahap, jumlah, bulan, tahun dan rupiah harus angka.", None)]
        except PermissionDenied as exc:
            problems = exc.problems
    summary = selectors.round_summary(actor=request.user, code=code)
    round_ = summary["round"]
    return render(
        request,
        "subsidies/round.html",
        {
            **summary,
            "payments_by_channel": summary["channels"],
            "problems": problems,
            "results": results,
            "channels": [(c, Channel(c).label) for c in round_.channels],
            "list_kinds": ListKind.choices,
            "lists": round_.exclusion_lists.order_by("id"),
            "can_write": scope_for(request.user).everything,
            "instalments": range(1, round_.instalments + 1),
        },
    )


@login_required
def batch_file(request: HttpRequest, code: str, number: int) -> HttpResponse:
    batch, rows = selectors.batch_file_rows(actor=request.user, code=code, number=number)
    # A bank's system reads the file: no byte-order mark, NIKs whole (the bank pays by them).
    return table_response(Table(f"{batch}-{batch.channel}", rows[0], rows[1:], full_nik=True), "csv", bom=False)


@login_required
def check(request: HttpRequest) -> HttpResponse:
    """A participant's own answer in every round; national staff may look up any NIK."""
    scope = scope_for(request.user)
    nik = request.GET.get("nik", "").strip()
    if not nik and scope.person_id is not None:
        nik = person_get(user=request.user, person_id=scope.person_id, log_view=False).nik
    answers: list[dict[str, Any]] = []
    problem = None
    if nik:
        try:
            answers = selectors.participant_status(actor=request.user, nik=nik)
        except DomainError as exc:
            problem = exc.problem
    return render(
        request,
        "subsidies/check.html",
        {"answers": answers, "problem": problem, "nik": nik, "staff": scope.everything, "reasons": REASONS},
    )
