from django.urls import path

from . import views

app_name = "benefits"
urlpatterns = [
    path("klaim/", views.queue, name="queue"),
    path("klaim/baru/", views.intake, name="intake"),
    path("klaim/bukti-hidup/", views.proofs_waiting, name="proofs_waiting"),
    path("pensiun/payroll/", views.payroll, name="payroll"),
    path("pensiun/batch/<int:batch_id>.csv", views.pension_batch_file, name="pension_batch_file"),
    path("klaim/<int:claim_id>/", views.claim_detail, name="claim"),
    path("klaim/<int:claim_id>/bukti-hidup/", views.proof_of_life, name="proof_of_life"),
    path("bukti-hidup/<int:proof_id>/berkas/", views.proof_of_life_file, name="proof_of_life_file"),
    path("klaim/<int:claim_id>/surat.pdf", views.claim_letter, name="letter"),
    path("peserta/<int:person_id>/ahli-waris/", views.heirs, name="heirs"),
    path("beasiswa/", views.scholarships, name="scholarships"),
    path("jht/<int:person_id>/", views.jht, name="jht"),
    path("saya/klaim/", views.mine, name="mine"),
    path("saya/klaim/jht/", views.jht_own, name="jht_own"),
    path("klaim/<int:claim_id>/dokumen/<slug:code>/", views.claim_document, name="document"),
]
