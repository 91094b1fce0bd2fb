from django.urls import path

from . import views

app_name = "subsidies"
urlpatterns = [
    path("bsu/", views.rounds, name="rounds"),
    path("bsu/cek/", views.check, name="check"),
    path("bsu/<str:code>/", views.round_detail, name="round"),
    path("bsu/<str:code>/batch/<int:number>.csv", views.batch_file, name="batch_file"),
]
