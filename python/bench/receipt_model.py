"""A pydantic v2 model of the Ferma receipt request: what a Python shop
would write instead of ofdkit — types, code tables as enums, the spec's
limits, and the totals — for the benchmark to compare against."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum, IntEnum
from typing import List, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

Money = Field(ge=0, le=Decimal("42949672.95"), max_digits=10, decimal_places=2)


class Sno(str, Enum):
    OSN = "osn"
    USN_INCOME = "usn_income"
    USN_INCOME_OUTCOME = "usn_income_outcome"
    ENVD = "envd"
    ESN = "esn"
    PATENT = "patent"


class VatType(str, Enum):
    NONE = "none"
    VAT0 = "vat0"
    VAT10 = "vat10"
    VAT20 = "vat20"
    VAT110 = "vat110"
    VAT120 = "vat120"
    VAT5 = "vat5"
    VAT7 = "vat7"
    VAT105 = "vat105"
    VAT107 = "vat107"
    VAT22 = "vat22"
    VAT122 = "vat122"


class PaymentMethod(str, Enum):
    FULL_PREPAYMENT = "full_prepayment"
    PREPAYMENT = "prepayment"
    ADVANCE = "advance"
    FULL_PAYMENT = "full_payment"
    PARTIAL_PAYMENT = "partial_payment"
    CREDIT = "credit"
    CREDIT_PAYMENT = "credit_payment"


PaymentObject = IntEnum("PaymentObject", {f"P{n}": n for n in [*range(1, 28), 30, 31, 32, 33]})  # type: ignore[misc]
Measure = IntEnum(  # type: ignore[misc]
    "Measure", {f"M{n}": n for n in [0, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 70, 71, 72, 73, 80, 81, 82, 83, 255]}
)


class Vat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: VatType
    sum: Optional[Decimal] = Money


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=128)
    price: Decimal = Money
    quantity: Decimal = Field(gt=0, le=Decimal("99999.999"), max_digits=8, decimal_places=3)
    sum: Decimal = Money
    measure: Measure  # type: ignore[valid-type]
    payment_method: PaymentMethod
    payment_object: PaymentObject  # type: ignore[valid-type]
    vat: Vat

    @model_validator(mode="after")
    def sum_within_price_times_quantity(self) -> Item:
        if self.sum > self.price * self.quantity:
            raise ValueError("sum is above price × quantity")
        return self


class Client(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Optional[str] = Field(default=None, max_length=64, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: Optional[str] = Field(default=None, pattern=r"^\+7\d{10}$")


class Company(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Optional[str] = None
    sno: Sno
    inn: str = Field(pattern=r"^(\d{10}|\d{12})$")
    payment_address: str = Field(max_length=256)


class Payment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: int = Field(ge=0, le=9)
    sum: Decimal = Money


class Receipt(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client: Client
    company: Company
    items: List[Item] = Field(min_length=1)
    payments: List[Payment] = Field(min_length=1, max_length=10)
    total: Decimal = Money

    @model_validator(mode="after")
    def totals_add_up(self) -> Receipt:
        if sum(i.sum for i in self.items) != self.total:
            raise ValueError("item sums do not add up to total")
        if sum(p.sum for p in self.payments) != self.total:
            raise ValueError("payments do not add up to total")
        return self


class Service(BaseModel):
    callback_url: Optional[str] = Field(default=None, max_length=256)


class ReceiptRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    external_id: str = Field(min_length=1, max_length=64)
    service: Optional[Service] = None
    receipt: Receipt
