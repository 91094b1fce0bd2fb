from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path

from paritrana.accounts import views as account_views
from paritrana.api import api
from paritrana.core import health, observability
from paritrana.portal import views as portal_views

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", observability.metrics, name="metrics"),
    path("masuk/", account_views.login_view, name="login"),
    path("keluar/", LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("paritrana.accounts.urls")),
    path("", include("paritrana.registry.urls")),
    path("", include("paritrana.contributions.urls")),
    path("", include("paritrana.benefits.urls")),
    path("", include("paritrana.enrolment.urls")),
    path("", include("paritrana.coverage.urls")),
    path("", include("paritrana.subsidies.urls")),
    path("", include("paritrana.linkage.urls")),
    path("", include("paritrana.award.urls")),
    path("api/v1/", api.urls),
    # The admin logs in through Paritrana's login, which counts failures and locks out guessing.
    path("admin/login/", account_views.login_view),
    path("admin/", admin.site.urls),
]

handler400 = "paritrana.core.handlers.bad_request"
handler403 = "paritrana.core.handlers.forbidden"
handler404 = "paritrana.core.handlers.not_found"
