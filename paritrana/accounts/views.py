from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from paritrana.core.navigation import safe_next
from paritrana.registry import selectors

from .scope import scope_for
from .services import LoginLocked, login_attempt


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
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    profile = getattr(request.user, "profile", None)
    context = {
        "scope": scope,
        "role_label": profile.get_role_display() if profile else "Administrator nasional",
        "counts": selectors.registry_counts(user=request.user),
        "person": profile.person if profile and profile.person_id else None,
        "employers": selectors.employer_list(user=request.user)[:10] if scope.employer_id else [],
        "sponsors": selectors.sponsor_list(user=request.user)[:10] if scope.sponsor_id else [],
    }
    return render(request, "accounts/home.html", context)
