from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from paritrana.core import audit as audit_selectors
from paritrana.core.errors import Problem, ValidationFailed
from paritrana.core.forms import read_form
from paritrana.core.navigation import safe_next

from .models import Role
from .schemas import TOKEN_LABELS, TokenIn, TokenRevokeIn
from .scope import scope_for
from .services import (
    TOKEN_DAYS_DEFAULT,
    TOKEN_DAYS_MAX,
    LoginLocked,
    account_email_set,
    api_token_create,
    api_token_revoke,
    api_tokens_of,
    login_attempt,
)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next") or "", "/")
    context = {"next": next_url, "username": "", "error": ""}
    if request.method == "POST":
        username = request.POST.get("username", "")
        context["username"] = username
        try:
            user = login_attempt(username=username, password=request.POST.get("password", ""), request=request)
        except LoginLocked as exc:
            context["error"] = exc.problem.message
            return render(request, "accounts/login.html", context, status=429)
        if user is not None:
            login(request, user)
            return redirect(next_url)
        context["error"] = "Nama pengguna atau kata sandi salah."
        return render(request, "accounts/login.html", context, status=401)
    return render(request, "accounts/login.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The caller's own account: who they are signed in as, and the e-mail address their notifications
    go to (set, changed or removed here)."""
    problems: list[Problem] = []
    saved = False
    email = request.user.email if isinstance(request.user, User) else ""
    if request.method == "POST":
        email = request.POST.get("email", "")
        try:
            account_email_set(actor=request.user, email=email, channel="page")
            saved = True
        except ValidationFailed as exc:
            problems = exc.problems
    scope = scope_for(request.user)
    return render(
        request,
        "accounts/account.html",
        {"email": email.strip(), "saved": saved, "problems": problems, "role": scope.role,
         "role_label": Role(scope.role).label if scope.role else ""},
        status=400 if problems else 200,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The caller's own API tokens: issue one (its secret shown once), see when each was last used,
    revoke any. Participants read their own pages and need none."""
    if scope_for(request.user).role in (None, Role.PARTICIPANT):
        raise Http404("Halaman ini untuk petugas dan mitra.")
    problems: list[Problem] = []
    secret = ""
    form = {"name": request.POST.get("name", ""), "days": request.POST.get("days", str(TOKEN_DAYS_DEFAULT))}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                revoked = read_form(TokenRevokeIn, request.POST)
                api_token_revoke(actor=request.user, token_id=revoked.token, channel="page")
                return redirect("accounts:tokens")
            wanted = read_form(TokenIn, request.POST, labels=TOKEN_LABELS)
            owner = request.user
            assert isinstance(owner, User)  # login_required
            _, secret = api_token_create(actor=owner, user=owner, name=wanted.name, days=wanted.days, channel="page")
            form = {"name": "", "days": str(TOKEN_DAYS_DEFAULT)}
        except ValidationFailed as exc:
            problems = exc.problems
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": api_tokens_of(user=request.user),
            "secret": secret,
            "problems": problems,
            "form": form,
            "days_max": TOKEN_DAYS_MAX,
            "now": timezone.now(),
        },
        status=400 if problems else 200,
    )


@login_required
def person_reads(request: HttpRequest, person_id: int) -> HttpResponse:
    """Who read a person's data, and when and through which door: for the national administrator."""
    if not scope_for(request.user).everything:
        raise Http404("Halaman ini untuk administrator nasional.")
    return render(
        request,
        "accounts/person_reads.html",
        {"person_id": person_id, "events": audit_selectors.reads_of_person(person_id=person_id)},
    )
