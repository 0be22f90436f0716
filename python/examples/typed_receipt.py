"""A receipt built with the package's TypedDicts and enums, as an editor
completes it; checked with mypy --strict in the test suite."""

from decimal import Decimal
from typing import List

import ofdkit
from ofdkit.codes import Measure, PaymentMethod, PaymentObject, Sno, VatType
from ofdkit.types import Item, ReceiptRequest


def tea(quantity: int) -> Item:
    price = Decimal("249.90")
    return {
        "name": "Чай зелёный, 100 г",
        "price": price,
        "quantity": quantity,
        "sum": price * quantity,
        "measure": Measure.PIECE,
        "payment_method": PaymentMethod.FULL_PAYMENT,
        "payment_object": PaymentObject.parse("commodity"),
        "vat": {"type": VatType.VAT20, "sum": ofdkit.vat(price * quantity, VatType.VAT20)},
    }


items: List[Item] = [tea(2)]
request: ReceiptRequest = {
    "external_id": "shop-order-10002",
    "receipt": {
        "client": {"email": "buyer@example.ru"},
        "company": {"sno": Sno.OSN, "inn": "7825706086", "payment_address": "https://shop.example.ru"},
        "items": items,
        "payments": [{"type": 1, "sum": Decimal("499.80")}],
        "total": Decimal("499.80"),
    },
}

violations: List[ofdkit.Violation] = ofdkit.validate_receipt(request)
for v in violations:
    print(v.path, v.code, v.message_ru)
try:
    ofdkit.validate_receipt(request, raise_on_error=True)
except ofdkit.ValidationError as error:
    print(error.errors)
print(ofdkit.normalize_receipt(request, "sell"))
