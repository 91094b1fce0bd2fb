from django.urls import path

from . import views

app_name = "linkage"
urlpatterns = [
    path("pencocokan/", views.lists, name="lists"),
    path("pencocokan/<int:list_id>/", views.list_detail, name="list"),
    path("pencocokan/jalan/<int:run_id>/kemajuan/", views.progress, name="progress"),
    path("pencocokan/jalan/<int:run_id>/tinjau/", views.review, name="review"),
    path("pencocokan/jalan/<int:run_id>/penjangkauan.<str:fmt>", views.outreach, name="outreach"),
    path("pencocokan/jalan/<int:run_id>/draf-bpu/", views.drafts, name="drafts"),
]
