"""The national administrator keeps the Inpres addressee list (ministers are configurable),
the instructions, the denominators and the targets here; every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from paritrana.core.audit import audit_record

from .models import Addressee, Denominator, Instruction, Target


class _AuditedAdmin(admin.ModelAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}_{'change' if change else 'create'}",
            entity=f"coverage_{obj._meta.model_name}",
            entity_id=obj.pk,
            channel="admin",
            detail={"value": str(obj)},
        )


@admin.register(Addressee)
class AddresseeAdmin(_AuditedAdmin):
    list_display = ("title", "kind", "region", "confirmed", "source")
    list_filter = ("kind", "confirmed")
    search_fields = ("title",)


@admin.register(Instruction)
class InstructionAdmin(_AuditedAdmin):
    list_display = ("kind", "title", "text", "source")
    list_filter = ("kind",)


@admin.register(Denominator)
class DenominatorAdmin(_AuditedAdmin):
    list_display = ("region", "year", "kind", "value", "illustrative", "source")
    list_filter = ("kind", "year", "illustrative")


@admin.register(Target)
class TargetAdmin(_AuditedAdmin):
    list_display = ("region", "year", "segment", "value", "source")
    list_filter = ("year", "segment")
