from django.urls import path

from . import views

app_name = "coverage"
urlpatterns = [
    path("cakupan/", views.national, name="national"),
    path("cakupan/keuangan/", views.finance, name="finance"),
    path("inpres/", views.inpres_matrix, name="inpres"),
    path("inpres/laporan.pdf", views.inpres_report, name="inpres_report"),
    path("inpres/<int:addressee_id>/", views.inpres_addressee, name="inpres_addressee"),
    path("inpres/tindak-lanjut/<int:action_id>/bukti/", views.inpres_evidence, name="inpres_evidence"),
    path("cakupan/<str:code>/", views.province, name="province"),
    path("cakupan/<str:code>/monev.pdf", views.monev_pdf, name="monev"),
]
