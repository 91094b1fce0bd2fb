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
]
