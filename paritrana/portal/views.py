from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from paritrana.accounts.scope import scope_for
from paritrana.registry import selectors


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
