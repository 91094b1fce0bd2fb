from django.urls import path

from . import views

app_name = "coverage"
urlpatterns = [
    path("cakupan/", views.national, name="national"),
    path("cakupan/<str:code>/", views.province, name="province"),
    path("cakupan/<str:code>/monev.pdf", views.monev_pdf, name="monev"),
]
