from django.urls import path

from . import views

app_name = "enrolment"
urlpatterns = [
    path("pendaftaran/", views.upload_new, name="new"),
    path("pendaftaran/satu/", views.upload_one, name="one"),
    path("pendaftaran/templat.xlsx", views.template_xlsx, name="template"),
    path("pendaftaran/anggaran/", views.budget, name="budget"),
    path("pendaftaran/<int:upload_id>/", views.upload_detail, name="upload"),
    path("pendaftaran/<int:upload_id>/terapkan/", views.upload_apply, name="apply"),
    path("pendaftaran/<int:upload_id>/kemajuan.json", views.upload_progress, name="progress"),
    path("pendaftaran/<int:upload_id>/kesalahan.xlsx", views.upload_errors_xlsx, name="errors"),
    path("pendaftaran/<int:upload_id>/kartu.pdf", views.upload_cards_pdf, name="cards"),
    path("pendaftaran/<int:upload_id>/sertifikat.pdf", views.upload_certificate_pdf, name="certificate"),
    # Public: opened by scanning a card or a certificate; answers only signed tokens.
    path("verifikasi/sertifikat/<str:token>/", views.verify_certificate, name="verify_certificate"),
    path("verifikasi/<str:token>/", views.verify_card, name="verify_card"),
    path("saya/kartu/", views.my_card, name="my_card"),
    path("saya/kartu.pdf", views.my_card_pdf, name="my_card_pdf"),
]
