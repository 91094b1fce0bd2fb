from django.urls import path

from . import views

app_name = "contributions"
urlpatterns = [
    path("simulasi-iuran/", views.simulate, name="simulate"),
    path("iuran/pembayar/<str:payer_kind>/<int:payer_id>/", views.payer_bills, name="payer_bills"),
    path("iuran/tagihan/<int:bill_id>/", views.bill_detail, name="bill"),
    path("iuran/tunggakan/", views.arrears, name="arrears"),
    path("iuran/peserta/<int:person_id>/", views.history, name="history"),
    path("iuran/laporan-upah/<int:employer_id>/", views.wage_report, name="wage_report"),
    path("iuran/impor-rekening/", views.statement_import, name="statement_import"),
]
