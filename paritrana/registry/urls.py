from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("cari/", views.search, name="search"),
    path("wilayah/anak.json", views.region_children, name="region_children"),
    path("orang/ekspor.csv", views.export_persons, name="export"),
    path("orang/<int:person_id>/", views.person_detail, name="person"),
    path("pemberi-kerja/<int:employer_id>/", views.employer_detail, name="employer"),
    path("penanggung/<int:sponsor_id>/", views.sponsor_detail, name="sponsor"),
    path("kepesertaan/<int:membership_id>/akhiri/", views.membership_end, name="membership_end"),
    path("kepesertaan/<int:membership_id>/pindah/", views.membership_move, name="membership_move"),
    path("orang/<int:person_id>/kepesertaan-baru/", views.membership_new, name="membership_new"),
    path("wilayah/nik.json", views.nik_check, name="nik_check"),
    path("daftar/orang/", views.person_new, name="person_new"),
    path("saya/data/", views.my_data, name="my_data"),
    path("daftar/pemberi-kerja/", views.employer_new, name="employer_new"),
    path("daftar/penanggung/", views.sponsor_new, name="sponsor_new"),
]
