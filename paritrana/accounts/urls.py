from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("akun/", views.account, name="account"),
    path("akun/token/", views.tokens, name="tokens"),
    path("audit/orang/<int:person_id>/", views.person_reads, name="person_reads"),
]
