from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "paritrana.benefits"
    label = "benefits"
    verbose_name = "Manfaat dan klaim"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A bill paid in full credits its JHT at once (issue 27), whichever door recorded the payment.
        from paritrana.contributions.signals import bills_paid

        from .batch.jht import credit_paid_bills

        bills_paid.connect(credit_paid_bills, dispatch_uid="benefits.jht.credit_paid_bills")
