from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from paritrana.core.audit import audit_record

from .models import Holiday, Parameter


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    """The national administrator corrects the law's numbers here; every change is audited."""

    list_display = ("key", "value", "valid_from", "valid_until", "certainty", "legal_basis")
    list_filter = ("certainty",)
    search_fields = ("key", "legal_basis", "source")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission

    def save_model(self, request: HttpRequest, obj: Parameter, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk:
            old = Parameter.objects.get(pk=obj.pk)
            before = {"value": str(old.value), "valid_from": str(old.valid_from), "valid_until": str(old.valid_until)}
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="parameter_change" if change else "parameter_create",
            entity="law_parameter",
            entity_id=obj.pk,
            channel="admin",
            detail={"key": obj.key, "before": before, "value": str(obj.value), "valid_from": str(obj.valid_from)},
        )

    def delete_model(self, request: HttpRequest, obj: Parameter) -> None:
        audit_record(
            actor=request.user,
            action="parameter_delete",
            entity="law_parameter",
            entity_id=obj.pk,
            channel="admin",
            detail={"key": obj.key, "value": str(obj.value), "valid_from": str(obj.valid_from)},
        )
        super().delete_model(request, obj)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """A late decree (an added collective leave day, a moved Idulfitri) is entered here; audited."""

    list_display = ("day", "kind", "name", "certainty", "legal_basis")
    list_filter = ("kind", "certainty")
    search_fields = ("name", "legal_basis")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission

    def save_model(self, request: HttpRequest, obj: Holiday, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="holiday_change" if change else "holiday_create",
            entity="law_holiday",
            entity_id=obj.pk,
            channel="admin",
            detail={"day": str(obj.day), "kind": obj.kind, "name": obj.name},
        )

    def delete_model(self, request: HttpRequest, obj: Holiday) -> None:
        detail = {"day": str(obj.day), "kind": obj.kind, "name": obj.name}
        pk = obj.pk
        super().delete_model(request, obj)
        audit_record(
            actor=request.user, action="holiday_delete", entity="law_holiday", entity_id=pk, channel="admin",
            detail=detail,
        )  # fmt: skip
