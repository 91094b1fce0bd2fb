from django.urls import path

from . import views

app_name = "contributions"
urlpatterns = [
    path("simulasi-iuran/", views.simulate, name="simulate"),
]
