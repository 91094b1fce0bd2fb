"""A page's form read with the API's own input schema: the fields, their types and their bounds are
described once (a Ninja ``Schema`` in the app's ``schemas.py``), and both doors hand the service the
same typed values.

What people type differs from what programs send, and only that is adapted here: an empty date or
number box, or a text box whose field may be left out, is a field left out (its default applies,
or "wajib diisi"); any other empty text box is the empty text (the service says whether it may
be); a list is typed as text with commas; a date may be typed ``21/11/2026``; an amount
``Rp1.500.000``; a ticked box is ``on``. Every problem comes back at once, in Indonesian,
with the field it belongs to, as a ``ValidationFailed`` the page shows beside its form.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator
from pydantic import ValidationError as SchemaError
from pydantic_core import PydanticCustomError

from .errors import Problem, ValidationFailed
from .money import parse_rupiah
from .periods import parse_date

S = TypeVar("S", bound=BaseModel)


def _rupiah(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return parse_rupiah(value)
        except ValueError:
            raise PydanticCustomError("amount_invalid", "harus angka rupiah, mis. 1.500.000.000") from None
    return value


# An amount in rupiah as either door may send it: a number, or text as people write it ("Rp1.500.000").
Rupiah = Annotated[Decimal, BeforeValidator(_rupiah)]
# Error types raised by the fields above: their code and message go to people and programs as they are.
OWN_CODES = frozenset({"amount_invalid"})

# pydantic's error types, said for people.
MESSAGES = {
    "missing": "wajib diisi",
    "date_from_datetime_parsing": "tanggal tidak sah (HH/BB/TTTT)",
    "date_parsing": "tanggal tidak sah (HH/BB/TTTT)",
    "date_type": "tanggal tidak sah (HH/BB/TTTT)",
    "int_parsing": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "decimal_parsing": "harus angka, mis. 1.500.000",
    "decimal_type": "harus angka, mis. 1.500.000",
    "decimal_max_digits": "terlalu besar",
    "decimal_max_places": "terlalu banyak angka desimal",
    "greater_than": "terlalu kecil",
    "greater_than_equal": "terlalu kecil",
    "less_than": "terlalu besar",
    "less_than_equal": "terlalu besar",
    "string_too_long": "terlalu panjang",
    "string_too_short": "terlalu pendek",
    "bool_parsing": "harus ya atau tidak",
    "literal_error": "bukan pilihan yang tersedia",
    "enum": "bukan pilihan yang tersedia",
    "extra_forbidden": "tidak dikenal",
    "list_type": "harus daftar",
    "model_type": "harus objek",
    "model_attributes_type": "harus objek",
}


def _kinds(annotation: Any) -> set[type]:
    """The plain types a field's annotation allows (``int | None`` → {int, NoneType})."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_kinds(a) for a in typing.get_args(annotation)))
    if origin is list:
        return {list}
    if origin is Annotated:
        return _kinds(typing.get_args(annotation)[0])
    return {annotation} if isinstance(annotation, type) else set()


def _typed(value: str, kinds: set[type]) -> Any:
    if date in kinds:
        return parse_date(value) or value  # left as typed, the schema says what is wrong
    if bool in kinds:
        return value.lower() in ("on", "1", "true", "ya", "yes")
    if Decimal in kinds or (int in kinds and not value.lstrip("-").isdigit()):
        try:
            return parse_rupiah(value)
        except (ValueError, ArithmeticError):
            return value
    return value


def read_form(schema: type[S], data: Mapping[str, Any], *, labels: Mapping[str, str] | None = None, **fixed: Any) -> S:
    """``data`` (a page's ``request.POST``) as an instance of ``schema``; ``fixed`` values come from
    the page itself (the addressee in the URL), not from the form. Raises ``ValidationFailed`` with
    every problem, each named by its field."""
    values: dict[str, Any] = dict(fixed)
    for name, spec in schema.model_fields.items():
        if name in fixed:
            continue
        kinds = _kinds(spec.annotation)
        raw = data.get(name)
        if raw is None:
            if bool in kinds and name not in data:
                values[name] = False  # an unticked box is not sent at all
            continue
        text = str(raw).strip()
        if list in kinds:
            # A list is ticked as several boxes of one name, or typed as text with commas ("JKT, BDG");
            # a box sent empty is the empty list.
            items = data.getlist(name) if hasattr(data, "getlist") else [raw]
            values[name] = [part.strip() for item in items for part in str(item).split(",") if part.strip()]
            continue
        if text == "" and (str not in kinds or type(None) in kinds):
            continue  # an empty box is a field left out, unless its field is text that must be given
        values[name] = _typed(text, kinds) if text else text
    return read_values(schema, values, labels=labels)


def read_values(schema: type[S], values: Mapping[str, Any], *, labels: Mapping[str, str] | None = None) -> S:
    """``values`` as a program sends them (JSON, or keywords in Python) as an instance of ``schema``;
    every problem at once as ``ValidationFailed``, said as ``read_form`` says it."""
    try:
        return schema.model_validate(dict(values))
    except SchemaError as exc:
        names = labels or {}
        problems = []
        for error in exc.errors():
            loc = error.get("loc") or ()
            field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".") or None
            kind = str(error["type"])
            said = str(error["msg"]) if kind in OWN_CODES else MESSAGES.get(kind, "isian tidak sah")
            label = names.get(field or "", (field or "isian").replace("_", " ").capitalize())
            problems.append(Problem(kind if kind in OWN_CODES else "invalid_input", f"{label}: {said}.", field))
        raise ValidationFailed(problems) from exc
