from django.urls import path

from . import views

app_name = "award"
urlpatterns = [
    path("penghargaan/", views.editions, name="editions"),
    path("penghargaan/kandidat/<int:candidate_id>/", views.candidate, name="candidate"),
    path("penghargaan/sertifikat/<int:candidate_id>.pdf", views.certificate_pdf, name="certificate"),
    path("penghargaan/<int:year>/", views.edition, name="edition"),
    path("penghargaan/<int:year>/hasil/", views.results, name="results"),
    path("penghargaan/<int:year>/daftar/", views.nominate, name="nominate"),
    path("penghargaan/<int:year>/<slug:code>/", views.category, name="category"),
]
