"""The same receipt request as receipt_model.py, as msgspec Structs: typed
fields, the code tables as enums and the limits msgspec checks natively
(string lengths and patterns, integer ranges). It checks no money bounds
(msgspec has none for Decimal) and no totals, and runs no Python code per
value: the fastest typed reading a Python shop can get, which makes it the
floor the benchmark compares against, not a like-for-like check."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, List, Optional

import msgspec
from msgspec import Meta

from receipt_model import Measure, PaymentMethod, PaymentObject, Sno, VatType


class Vat(msgspec.Struct, forbid_unknown_fields=True):
    type: VatType
    sum: Optional[Decimal] = None


class Item(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=128)]
    price: Decimal
    quantity: Decimal
    sum: Decimal
    measure: Measure  # type: ignore[valid-type]
    payment_method: PaymentMethod
    payment_object: PaymentObject  # type: ignore[valid-type]
    vat: Vat


class Client(msgspec.Struct, forbid_unknown_fields=True):
    email: Optional[Annotated[str, Meta(max_length=64, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]] = None
    phone: Optional[Annotated[str, Meta(pattern=r"^\+7\d{10}$")]] = None


class Company(msgspec.Struct, forbid_unknown_fields=True):
    sno: Sno
    inn: Annotated[str, Meta(pattern=r"^(\d{10}|\d{12})$")]
    payment_address: Annotated[str, Meta(max_length=256)]
    email: Optional[str] = None


class Payment(msgspec.Struct, forbid_unknown_fields=True):
    type: Annotated[int, Meta(ge=0, le=9)]
    sum: Decimal


class Receipt(msgspec.Struct, forbid_unknown_fields=True):
    client: Client
    company: Company
    items: Annotated[List[Item], Meta(min_length=1)]
    payments: Annotated[List[Payment], Meta(min_length=1, max_length=10)]
    total: Decimal


class Service(msgspec.Struct):
    callback_url: Optional[Annotated[str, Meta(max_length=256)]] = None


class ReceiptRequest(msgspec.Struct, forbid_unknown_fields=True):
    external_id: Annotated[str, Meta(min_length=1, max_length=64)]
    receipt: Receipt
    service: Optional[Service] = None
