"""Typed shapes of every request ofdkit reads, for editors and mypy.

The classes here are :class:`typing.TypedDict` definitions: at run time they
are plain ``dict`` objects, so they cost nothing and change nothing. Annotate
a receipt or an application with them and an editor completes the member
names, while ``mypy --strict`` reports a misspelt member, a missing required
one or a value of the wrong kind before ofdkit ever sees the document::

    from ofdkit.types import ReceiptRequest

    request: ReceiptRequest = {
        "external_id": "order-17",
        "receipt": {
            "company": {"sno": "osn", "inn": "7825706086",
                        "payment_address": "https://shop.example.ru"},
            "items": [{"name": "Tea", "price": "100.00", "quantity": 1,
                       "sum": "100.00", "measure": 0,
                       "payment_method": "full_payment",
                       "payment_object": "commodity",
                       "vat": {"type": "vat20", "sum": "16.67"}}],
            "payments": [{"type": 1, "sum": "100.00"}],
            "total": "100.00",
        },
    }

The member names are the wire names of the Rust models (``ofdkit`` core,
``#[derive(Model)]``) that decide what is accepted:

* Ferma receipts API (``spec/ferma-api.ru.md``): :class:`ReceiptRequest` and
  everything below it, tables 3.2 (receipt), 3.3 (items) and 3.4 (agents).
* OFD.ru KKT registration API (``spec/ofd-kkt-registration-api.ru.txt``):
  :class:`ApplicationRequest` (table 1), :class:`ApplicationUpdate` (table 3),
  :class:`SignRequest` (table 7) and :class:`PartnerRegistration`
  (appendix 1, table П1.1).

Only the canonical wire names are listed. ofdkit also reads a few documented
alternative spellings (``OfdAgreementId``, ``kktDetails`` in a create
request, ``name`` for the partner's ``Name``, ``OfdChanged`` …) and keeps
unknown members as they are; neither is modelled here, so mypy steers code
to the canonical form.

Values:

* Money and quantities are :data:`Money` / :data:`Quantity`: a
  :class:`decimal.Decimal`, an ``int``, a decimal string (``"249.90"``) or a
  ``float``. ofdkit reads every one of them exactly and never rounds: a
  ``float`` is accepted only when it is exact to the kopeck (the thousandth
  for a quantity), and a value with more fraction digits is an error.
* Integer-coded fields (``measure``, ``payment_object``, payment ``type``)
  are ``Union[int, str]``: the API takes ``1`` and ``"1"``, and for
  ``payment_object`` also the name (``"commodity"``). They are sent as
  integers.
* String-coded fields (``sno``, VAT ``type``, ``payment_method``, …) are
  ``str``; the code tables are in :mod:`ofdkit.codes`.
* Dates and times are ``str`` in the format given beside the field.
"""

from decimal import Decimal
from typing import List, TypedDict, Union

__all__ = [
    # value aliases
    "Money",
    "Quantity",
    # Ferma receipts API
    "ReceiptRequest",
    "Service",
    "Receipt",
    "Client",
    "Company",
    "CorrectionInfo",
    "AgentInfo",
    "PayingAgent",
    "ReceivePaymentsOperator",
    "MoneyTransferOperator",
    "SupplierInfo",
    "Item",
    "ItemVat",
    "MarkQuantity",
    "MarkCode",
    "SectoralProps",
    "Payment",
    "ReceiptVat",
    "AdditionalUserProps",
    "OperatingCheckProps",
    # OFD.ru KKT registration API
    "ApplicationRequest",
    "ApplicationUpdate",
    "KktDetails",
    "Address",
    "InstallmentPlace",
    "UsageMode",
    "FiscalDocumentData",
    "UnregistrationReasons",
    "ReregistrationReasons",
    "CompanyDetails",
    "Person",
    "Signatory",
    "SignRequest",
    "PartnerRegistration",
    "PartnerAddress",
    "TaxPayer",
]

#: A sum of money in roubles: at most 8 integer and 2 fraction digits
#: (tables 3.2 and 3.3), never negative. ``Decimal("249.90")``, ``"249.90"``,
#: ``24990 / 100`` and ``249.9`` are all 249.90. A float is read as its
#: shortest round-trip decimal (its ``repr``), so ``0.1 + 0.2``
#: (0.30000000000000004) has too many fraction digits and is an error:
#: ofdkit never rounds.
Money = Union[Decimal, int, str, float]

#: A quantity or weight: at most 5 integer and 3 fraction digits, at most
#: 99 999.999 (table 3.3, tag 1023).
Quantity = Union[Decimal, int, str, float]


# ---------------------------------------------------------------------------
# Ferma receipts API (spec/ferma-api.ru.md, §3)
# ---------------------------------------------------------------------------


class Service(TypedDict, total=False):
    """The service section ``service`` (table 3.2, «Служебный раздел»)."""

    # URL Ferma POSTs the result to once the document is "done" or "fail".
    callback_url: str


class Client(TypedDict, total=False):
    """The buyer, ``receipt.client`` (table 3.2, tag 1256, «Информация о покупателе»).

    Without ``email`` and ``phone`` the receipt goes to the email registered
    in Ferma (footnotes 4 and 5); with both, only to the email.
    """

    # Buyer's email, where the electronic receipt is sent.
    email: str
    # Tag 1008: buyer's phone, "+7" and ten digits ("+79001234567").
    phone: str
    # Tag 1227: buyer's name (settlements between organisations).
    name: str
    # Tag 1228: buyer's INN, 10 or 12 digits.
    inn: str
    # Tag 1243: buyer's birth date, "dd.mm.yy" (ДД.ММ.ГГ).
    birthdate: str
    # Tag 1244: buyer's citizenship (numeric country code).
    citizenship: str
    # Tag 1245: kind of identity document, canonically the name ("RF_ID");
    # the number (21 or "21") is accepted too. See ofdkit.codes.DocumentCode
    # (§3.1.6).
    document_code: Union[str, int]
    # Tag 1246: the identity document's data.
    document_data: str
    # Tag 1254: buyer's address.
    address: str


class _CompanyBase(TypedDict):
    # Tag 1055: taxation system, "osn", "usn_income", "usn_income_outcome",
    # "envd", "esn" or "patent". See ofdkit.codes.Sno.
    sno: str
    # Tag 1018: the seller's INN, 10 or 12 digits.
    inn: str
    # Tag 1187: place of settlement (the shop's site for online sales).
    payment_address: str


class Company(_CompanyBase, total=False):
    """The seller, ``receipt.company`` (table 3.2, «Информация о компании»)."""

    # Tag 1117: the seller's email.
    email: str


class _CorrectionInfoBase(TypedDict):
    # Tag 1173: "self" (самостоятельная операция) or "instruction" (по
    # предписанию налогового органа). See ofdkit.codes.CorrectionType.
    type: str
    # Tag 1178: date of the corrected settlement, "dd.mm.yyyy".
    base_date: str


class CorrectionInfo(_CorrectionInfoBase, total=False):
    """What a correction corrects, ``correction.correction_info``
    (table 3.2, footnote 13, «Сведения о коррекции чека»).

    Required in the four correction operations, absent in the others.
    """

    # Tag 1179: number of the base document (the tax authority's
    # instruction); needed when type is "instruction".
    base_number: str


class PayingAgent(TypedDict, total=False):
    """``agent_info.paying_agent`` (table 3.4, «Информация о платежном агенте»)."""

    # Tag 1044: the operation's name.
    operation: str
    # Tag 1073: paying agent's phones, each "+" and up to 18 digits.
    phones: List[str]


class ReceivePaymentsOperator(TypedDict, total=False):
    """``agent_info.receive_payments_operator`` (table 3.4,
    «Информация об операторе по приему платежей»)."""

    # Tag 1074: the operator's phones, each "+" and up to 18 digits.
    phones: List[str]


class MoneyTransferOperator(TypedDict, total=False):
    """``agent_info.money_transfer_operator`` (table 3.4,
    «Информация об операторе перевода»)."""

    # Tag 1075: the operator's phone, "+" and up to 18 digits; at most one
    # number (table 3.4: «Передается только один номер телефона»).
    phones: List[str]
    # Tag 1026: the operator's name.
    name: str
    # Tag 1005: the operator's address.
    address: str
    # Tag 1016: the operator's INN.
    inn: str


class _AgentInfoBase(TypedDict):
    # Tag 1057: kind of agent, "bank_paying_agent", "bank_paying_subagent",
    # "paying_agent", "paying_subagent", "attorney", "commission_agent" or
    # "another". See ofdkit.codes.AgentType.
    type: str


class AgentInfo(_AgentInfoBase, total=False):
    """The paying agent, ``agent_info`` on the receipt or an item
    (table 3.4, tag 1223, «Параметры элементов структуры agent_info»).

    Needs ``supplier_info`` beside it (footnotes 14, 15, 21, 22). A receipt
    Ferma splits (§3.2) must carry agents on the items only.
    """

    paying_agent: PayingAgent
    receive_payments_operator: ReceivePaymentsOperator
    money_transfer_operator: MoneyTransferOperator


class SupplierInfo(TypedDict, total=False):
    """The supplier of goods sold by an agent, ``supplier_info`` on the
    receipt or an item (tables 3.2 and 3.3, «Информация о поставщике»).

    Needs ``agent_info`` beside it (footnotes 14, 15, 21, 22).
    """

    # Tag 1171: supplier's phones, each "+" and up to 18 digits.
    phones: List[str]
    # Tag 1225: supplier's name.
    name: str
    # Tag 1226: supplier's INN.
    inn: str


class _ItemVatBase(TypedDict):
    # Tags 1102–1107: VAT rate, "none", "vat0", "vat10", "vat110", "vat20",
    # "vat120" (and "vat5", "vat7", "vat105", "vat107", "vat22", "vat122").
    # See ofdkit.codes.VatType.
    type: str


class ItemVat(_ItemVatBase, total=False):
    """The VAT of an item, ``items[].vat`` (table 3.3, «Налог на позицию»).

    Either every item's VAT sum or the receipt's ``vats`` must be given;
    when both are, Ferma uses ``vats``.
    """

    # Tag 1200: the item's VAT sum in roubles.
    sum: Money


class _MarkQuantityBase(TypedDict):
    # Tag 1293: numerator, a positive integer below the denominator.
    numerator: int
    # Tag 1294: denominator, a positive integer.
    denominator: int


class MarkQuantity(_MarkQuantityBase):
    """The fraction of a marked item sold, ``items[].mark_quantity``
    (table 3.3, tag 1291, «Дробное количество маркированного товара»).

    Only with ``measure`` 0 (pieces), footnote 26.
    """


class MarkCode(TypedDict, total=False):
    """The code of a marked item, ``items[].mark_code`` (table 3.3, tag 1163,
    «Сведения о товаре с обязательной маркировкой»).

    Give exactly one of the nine forms.
    """

    # Tag 1300: a code of unidentified format.
    unknown: str
    # Tag 1301: EAN-8, 8 digits.
    ean8: str
    # Tag 1302: EAN-13, 13 digits (the spec writes 1301).
    ean13: str
    # Tag 1303: ITF-14, 14 digits.
    itf14: str
    # Tags 1304/1305: GS1 code on the goods.
    gs1m: str
    # Tag 1306: short marking code.
    short: str
    # Tag 1307: fur mark (КИЗ), exactly 20 characters: 2 letters, "-",
    # 6 digits, "-", 10 letters or digits ("RU-430302-ABC1234567").
    fur: str
    # Tag 1308: EGAIS-2.0 code.
    egais20: str
    # Tag 1309: EGAIS-3.0 code (the spec writes 1308).
    egais30: str


class _SectoralPropsBase(TypedDict):
    # Tag 1262: the federal executive body (ФОИВ), "001" to "072"; the
    # number without leading zeros ("30" or 30) is accepted and sent as
    # three digits. See ofdkit.codes.FederalId (§3.1.7).
    federal_id: Union[str, int]
    # Tag 1263: the normative act's date, "dd.mm.yy" (ДД.ММ.ГГ).
    date: str
    # Tag 1264: the normative act's number.
    number: str
    # Tag 1265: the values the act defines.
    value: str


class SectoralProps(_SectoralPropsBase):
    """A sectoral requisite: ``items[].sectoral_item_props[]`` (table 3.3,
    tag 1260) and ``receipt.sectoral_check_props[]`` (table 3.2, tag 1261),
    «Отраслевой реквизит». A reference to a federal body's normative act.
    """


class _ItemBase(TypedDict):
    # Tag 1030: the item's name, 1 to 128 characters.
    name: str
    # Tag 1079: unit price in roubles, at most 42 949 672.95.
    price: Money
    # Tag 1023: quantity or weight, at most 99 999.999.
    quantity: Quantity
    # Tag 1043: the item's sum in roubles, at most 42 949 672.95; normally
    # price × quantity (less means a discount).
    sum: Money
    # Tag 1212: what the item is, 1–27 or 30–33 (1 or "1"); the names
    # ("commodity", "service", …) are accepted too. See
    # ofdkit.codes.PaymentObject (§3.1.5).
    payment_object: Union[int, str]
    vat: ItemVat


class Item(_ItemBase, total=False):
    """One line of a receipt, ``receipt.items[]`` (table 3.3, tag 1059,
    «Параметры элементов структуры items»)."""

    # Tag 2108: unit of the quantity, 0 (pieces), 10, 11 (kg), …, 255
    # (0 or "0"). Required by table 3.3; ofdkit reports its absence. See
    # ofdkit.codes.Measure (§3.1.8).
    measure: Union[int, str]
    # Tag 1214: how the item is settled: "full_prepayment", "prepayment",
    # "advance", "full_payment", "partial_payment", "credit",
    # "credit_payment". Absent means "full_prepayment" (footnote 20), so
    # give "full_payment" for an ordinary sale. See
    # ofdkit.codes.PaymentMethod (§3.1.4).
    payment_method: str
    # Tag 1162: the nomenclature code (in the request's general form of §3,
    # not in table 3.3).
    nomenclature_code: str
    # Tag 1223: the item's paying agent; needs supplier_info.
    agent_info: AgentInfo
    # The item's supplier; needs agent_info.
    supplier_info: SupplierInfo
    # Tag 1191: additional requisite of the item.
    user_data: str
    # Tag 1229: excise sum in roubles, never negative (footnote 23).
    excise: Money
    # Tag 1230: numeric country of origin code, 1 to 3 digits ("643").
    country_code: str
    # Tag 1231: customs declaration number, at most 32 characters.
    declaration_number: str
    mark_quantity: MarkQuantity
    # Tag 2102: marking processing mode, must be "0".
    mark_processing_mode: str
    # Tag 1260: sectoral requisites of the item (footnote 27).
    sectoral_item_props: List[SectoralProps]
    mark_code: MarkCode


class _PaymentBase(TypedDict):
    # Tag 1031: 0 cash, 1 electronic, 2 prepayment offset, 3 credit,
    # 4 other consideration, 5–9 extended kinds (1 or "1"). See
    # ofdkit.codes.PaymentType.
    type: Union[int, str]
    # Tag 1081: the sum paid in roubles.
    sum: Money


class Payment(_PaymentBase):
    """One payment, ``receipt.payments[]`` (table 3.2, «Применяемые оплаты»);
    1 to 10 per receipt."""


class _ReceiptVatBase(TypedDict):
    # VAT rate, as in ItemVat.type. See ofdkit.codes.VatType.
    type: str
    # The receipt's VAT sum at this rate, in roubles.
    sum: Money


class ReceiptVat(_ReceiptVatBase):
    """The receipt's VAT sum at one rate, ``receipt.vats[]`` (table 3.2,
    «Информация о применяемых налогах»). When given, Ferma uses these
    instead of the items' VAT sums."""


class _AdditionalUserPropsBase(TypedDict):
    # Tag 1085: the requisite's name, 1 to 64 characters (footnote 17).
    name: str
    # Tag 1086: the requisite's value, 1 to 256 characters (footnote 18).
    value: str


class AdditionalUserProps(_AdditionalUserPropsBase):
    """The user's additional requisite, ``receipt.additional_user_props``
    (table 3.2, tag 1084, «Дополнительный реквизит пользователя»)."""


class _OperatingCheckPropsBase(TypedDict):
    # Tag 1271: the operation's identifier.
    name: str
    # Tag 1272: the operation's data.
    value: str
    # Tag 1273: the operation's date and time, "dd.mm.yyyy HH:MM:SS".
    timestamp: str


class OperatingCheckProps(_OperatingCheckPropsBase):
    """The operational requisite, ``receipt.operating_check_props``
    (table 3.2, tag 1270, «Операционный реквизит чека»)."""


class _ReceiptBase(TypedDict):
    company: Company
    # Tag 1059: the items, at least one.
    items: List[Item]
    # Tags 1031/1081: 1 to 10 payments.
    payments: List[Payment]


class Receipt(_ReceiptBase, total=False):
    """The document under ``receipt`` or ``correction`` (table 3.2,
    «Описание параметров запроса на пробитие фискального документа»):
    a receipt (кассовый чек, БСО) or a correction receipt (чек коррекции).
    """

    # Tag 1256: the buyer.
    client: Client
    # Required in the four correction operations, absent otherwise
    # (footnote 13).
    correction_info: CorrectionInfo
    # Tag 1223: the receipt's paying agent; needs supplier_info.
    agent_info: AgentInfo
    # The receipt's supplier; needs agent_info.
    supplier_info: SupplierInfo
    # The receipt's VAT sums by rate; either these or every item's vat.sum.
    vats: List[ReceiptVat]
    # Tag 1020: the receipt's total in roubles, the sum of the items' sums
    # and of the payments. Required by table 3.2; ofdkit reports its absence.
    total: Money
    # Tag 1192: additional requisite of the receipt, at most 16 characters.
    additional_check_props: str
    # Tag 1021: the cashier's name, at most 64 characters.
    cashier: str
    # Tag 1203: the cashier's INN, 12 digits.
    cashier_inn: str
    additional_user_props: AdditionalUserProps
    # Tag 1036: the automated device's number, at most 20 characters.
    device_number: str
    operating_check_props: OperatingCheckProps
    # Tag 1261: sectoral requisites of the receipt.
    sectoral_check_props: List[SectoralProps]


class _ReceiptRequestBase(TypedDict):
    # The document's identifier, unique in the cashbox group: Ferma rejects
    # a second request with a known one.
    external_id: str


class ReceiptRequest(_ReceiptRequestBase, total=False):
    """The body of ``POST {group_code}/{operation}`` (§3, table 3.2).

    The document goes under exactly one of two members, decided by the
    operation (§3 and the examples of §3.3):

    * ``receipt`` for ``sell``, ``sell_refund``, ``buy``, ``buy_refund``;
    * ``correction`` for ``sell_correction``, ``sell_refund_correction``,
      ``buy_correction``, ``buy_refund_correction``.

    Both are optional here because a TypedDict cannot say "one of"; give
    one. Giving both is an error; a document under the other member than
    the operation's is moved there (with a warning).
    """

    # When the external system processed the document,
    # "dd.mm.yyyy HH:MM:SS" ("dd.mm.yy HH:MM:SS" is read too).
    timestamp: str
    service: Service
    # The document of a sale, a purchase or their refund.
    receipt: Receipt
    # The document of one of the four correction operations.
    correction: Receipt


# ---------------------------------------------------------------------------
# OFD.ru KKT registration API (spec/ofd-kkt-registration-api.ru.txt)
# ---------------------------------------------------------------------------


class Address(TypedDict, total=False):
    """An address: ``KktDetails.InstallmentAddress`` (where the KKT is
    installed, «Место установки кассы») or ``CompanyDetails.LegalAddress``
    (the company's legal address, «Юридический адрес организации»),
    table 1."""

    # The object's identifier in FIAS, a UUID.
    FiasCode: str
    # Postal code, 6 digits.
    PostalCode: str
    # Region code, 2 digits.
    RegionCode: str
    # Region's name.
    Region: str
    # Settlement (населенный пункт).
    Settlement: str
    Street: str
    HouseNumber: str
    # Building (корпус/строение).
    Building: str
    # Office or flat.
    Office: str
    # The whole address as one line (answers, table 2).
    FullAddress: str


class InstallmentPlace(TypedDict, total=False):
    """The structured form of ``KktDetails.InstallmentPlace`` (table 1,
    «Место установки кассы»). The usual form is a plain string, the place's
    name: a site's address online, a vehicle for delivery trade."""

    # The place's name.
    Name: str
    # The object's identifier in FIAS, a UUID.
    FiasCode: str


class UsageMode(TypedDict, total=False):
    """How the KKT is used, ``KktDetails.UsageMode`` (table 1)."""

    # By a bank paying agent (subagent).
    Banking: bool
    # To sell excisable goods.
    ExcisableGoods: bool
    # As an automated system for strict reporting forms (БСО).
    FormsForReports: bool
    # For gambling.
    Gambling: bool
    # For lotteries.
    Lottery: bool
    # By a paying agent (subagent).
    Agent: bool
    # Inside an automated device for settlements.
    AutomatedDevice: bool
    # For settlements on the Internet.
    Internet: bool
    # For delivery or peddling trade.
    Mobile: bool


class FiscalDocumentData(TypedDict, total=False):
    """The registration report's fiscal data,
    ``KktDetails.FiscalDocumentData`` (table 1), needed by the secondary
    request of the finalization stage."""

    # When the fiscal sign was produced, ISO "yyyy-mm-ddTHH:MM:SS".
    DateTime: str
    # The report's fiscal document number, digits ("1").
    DocumentNumber: str
    # The fiscal sign (фискальный признак).
    Signature: str


class UnregistrationReasons(TypedDict, total=False):
    """Why the KKT is taken off the register,
    ``KktDetails.UnregistrationReasons`` (table 1)."""

    # The KKT was lost.
    Lost: bool
    # The KKT was stolen.
    Stolen: bool


class ReregistrationReasons(TypedDict, total=False):
    """Why the KKT is re-registered, ``KktDetails.ReregistrationReasons``
    (table 1)."""

    # Its use in an automated device changed.
    AutomatedDeviceChanged: bool
    # The fiscal drive was replaced.
    FnChanged: bool
    # The installation address or place changed.
    InstallmentPlaceChanged: bool
    # The fiscal data operator changed. "OfdChaged" (sic) is the server's
    # spelling; ofdkit also reads "OfdChanged".
    OfdChaged: bool
    # Other reasons.
    Other: bool
    # Switched from offline to online mode.
    SwitchedFromOfflineToOnlineMode: bool
    # Switched from online to offline mode.
    SwitchedFromOnlineToOfflineMode: bool
    # The user's name changed.
    UserChanged: bool


class KktDetails(TypedDict, total=False):
    """The cash register, ``KktDetails`` (table 1 ``KktDetails.*``; also in
    the answers, tables 2 and 5). Every member may be filled later with an
    update; §2.5.1 lists what must be there before documents are prepared.
    """

    # The fiscal drive's name (наименование ФН).
    FnName: str
    # The fiscal drive's number, 16 digits.
    FnNumber: str
    # The KKT's model.
    Model: str
    # The KKT's serial number, 1 to 20 characters.
    SerialNumber: str
    # The tax office where the KKT is installed, 4 digits.
    FnsBranchCode: str
    # The automated device the KKT is part of, 1 to 20 characters.
    AutomaticDeviceNumber: str
    InstallmentAddress: Address
    # The place's name (a string), or the structured form.
    InstallmentPlace: Union[str, InstallmentPlace]
    UsageMode: UsageMode
    FiscalDocumentData: FiscalDocumentData
    UnregistrationReasons: UnregistrationReasons
    ReregistrationReasons: ReregistrationReasons
    # The registration number the FNS assigned, 16 digits whose last 6 are
    # a CRC over the INN and serial number (answers, table 5).
    RegNumber: str


class Person(TypedDict, total=False):
    """A person's names: ``CompanyDetails.Director`` (table 1, «Руководитель
    организации»), needed for an entrepreneur (§2.5.1)."""

    FirstName: str
    LastName: str
    MiddleName: str


class Signatory(TypedDict, total=False):
    """Who signs the application's documents, ``CompanyDetails.Signatory``
    (table 1, «Подписант»)."""

    FirstName: str
    LastName: str
    MiddleName: str
    # The full name, as the answers give it (table 2).
    Name: str
    Email: str
    # Phone, "+" and up to 18 digits ("+79001234567").
    Phone: str
    # Position (должность).
    Position: str
    # The document that gives the signatory authority ("Устав").
    Reason: str


class CompanyDetails(TypedDict, total=False):
    """The company the KKT is registered to, ``CompanyDetails`` (table 1
    ``CompanyDetails.*``; also in the answers, table 2)."""

    # "LegalEntity" or "PrivateEnterpreneur" (sic, the server's spelling).
    # See ofdkit.codes.CompanyType (§2.1.2).
    CompanyType: str
    # INN: 10 digits for a legal entity, 12 for an entrepreneur.
    Inn: str
    # KPP, 9 characters; legal entities only.
    Kpp: str
    # OGRN (13 digits) or OGRNIP (15 digits).
    Ogrn: str
    CompanyName: str
    # The tax office the company is registered with, 4 digits.
    FnsBranchCode: str
    # The head; needed for an entrepreneur (§2.5.1).
    Director: Person
    LegalAddress: Address
    Signatory: Signatory
    # When the application was created, ISO "yyyy-mm-ddTHH:MM:SS" (answers).
    CreatedDate: str
    # When it was last changed, ISO "yyyy-mm-ddTHH:MM:SS" (answers).
    UpdatedDate: str


class _ApplicationRequestBase(TypedDict):
    # The user's personal cabinet (идентификатор OfdAgreement), a UUID.
    ofdAgreementId: str
    # "InitialRegistration", "Reregistration" or "Unregistration".
    # See ofdkit.codes.ApplicationPurpose (§2.1.4).
    purpose: str


class ApplicationRequest(_ApplicationRequestBase, total=False):
    """The body of ``POST api/kkt/application`` (§2.1, table 1,
    «Параметры запроса создания заявки на регистрацию ККТ»)."""

    KktDetails: KktDetails
    CompanyDetails: CompanyDetails


class ApplicationUpdate(TypedDict, total=False):
    """The body of ``PUT api/kkt/application/{id}`` (§2.2, table 3,
    «Параметры запроса … на обновление данных заявки»): the details to
    change, in the structure of table 1 but with lower-case member names."""

    kktDetails: KktDetails
    companyDetails: CompanyDetails


class SignRequest(TypedDict):
    """The body of ``POST api/kkt/application/{id}/sign`` (§2.6, table 7,
    «Параметры запроса загрузки подписи документа»)."""

    # The document's identifier.
    documentId: str
    # The detached signature, base64.
    signature: str


class PartnerAddress(TypedDict, total=False):
    """An address in appendix 1's form: ``legalAddress`` and
    ``actualAddress`` of :class:`PartnerRegistration` (table П1.1)."""

    # Region code, 2 digits.
    regionCode: str
    # Region's name.
    region: str
    # Postal code, 6 digits.
    zipCode: str
    city: str
    # Settlement (населенный пункт).
    settlement: str
    street: str
    # House (дом).
    building: str
    # Building (корпус).
    housing: str
    # Flat or office.
    apartment: str


class TaxPayer(TypedDict, total=False):
    """The responsible person, ``taxPayer`` (table П1.1, «Сведения о
    налогоплательщике»)."""

    lastName: str
    firstName: str
    # Patronymic (отчество).
    secondName: str


class _PartnerRegistrationBase(TypedDict):
    # The organisation's full name: "Name" in the example, "name" in the
    # table; ofdkit reads both and sends "Name".
    Name: str
    # Contact email; identifies the client's cabinet.
    email: str
    # INN: 10 digits for a legal entity, 12 for an entrepreneur.
    inn: str
    # OGRN (13 digits) or OGRNIP (15 digits).
    ogrn: str
    # The main activity's OKVED code ("47.91").
    okved: str
    legalAddress: PartnerAddress
    taxPayer: TaxPayer
    # Contact phone, "+" and up to 18 digits ("+79001234567").
    phoneNumber: str
    # The signed agreement, base64.
    agreement: str


class PartnerRegistration(_PartnerRegistrationBase, total=False):
    """The body of ``POST api/partner/v2/kkt/application`` (appendix 1,
    table П1.1, «Параметры структуры данных в запросе регистрации нового
    клиента»)."""

    # The organisation's short name.
    nickName: str
    # KPP; legal entities only.
    kpp: str
    # The physical address.
    actualAddress: PartnerAddress
