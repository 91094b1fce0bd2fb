from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "paritrana.regions"
    label = "regions"
    verbose_name = "Wilayah"
