//! Rules of the Ferma receipts API (ferma-api.ru.md): fields, cross-field
//! rules, totals and VAT, marked goods, agents and split receipts.
//! "FFD" is the fiscal data format of приказ ФНС от 14.09.2020 № ЕД-7-20/662@,
//! which table 3.1 cites.

use super::rules;

rules! { FERMA_RULES:
    /// INN syntax, shared with the registration API.
    INN_FORMAT {
        id: "inn_format",
        api: Both,
        code: BadFormat,
        severity: Error,
        fields: ["receipt.company.inn", "receipt.client.inn", "receipt.supplier_info.inn", "receipt.items[].supplier_info.inn", "agent_info.money_transfer_operator.inn", "CompanyDetails.Inn", "inn (partner registration)"],
        checks: "An INN is 10 digits (an organisation) or 12 digits (a person or an entrepreneur).",
        source: "Приказ ФНС от 29.06.2012 № ММВ-7-6/435@ (the INN's structure); FFD tags 1018, 1228, 1226, 1016 are INNs.",
    }
    /// INN check digits, shared with the registration API.
    INN_CHECKSUM {
        id: "inn_checksum",
        api: Both,
        code: InnChecksum,
        severity: Error,
        fields: ["the fields of inn_format", "receipt.cashier_inn"],
        checks: "An INN's check digits are right (10 digits: weights 2,4,10,3,5,9,4,6,8; 12 digits: two check digits).",
        source: "Приказ ФНС № ММВ-7-6/435@: the check digits are part of every INN; a number that fails them was never issued.",
    }
    /// An INN of zeros.
    INN_ALL_ZEROS {
        id: "inn_all_zeros",
        api: Both,
        code: InnChecksum,
        severity: Error,
        fields: ["the fields of inn_checksum"],
        checks: "An INN is not all zeros (0000000000 and 000000000000 pass the check digits but are never issued).",
        source: "Приказ ФНС № ММВ-7-6/435@: the first four digits are the code of the tax office that issued the INN, and no office has the code 0000.",
    }
    /// The cashier is a person: a 12-digit INN.
    CASHIER_INN_PERSON {
        id: "cashier_inn_person",
        api: Ferma,
        code: BadFormat,
        severity: Error,
        fields: ["receipt.cashier_inn"],
        checks: "The cashier's INN has 12 digits.",
        source: "FFD tag 1203 «ИНН кассира» (length 12): a cashier is a natural person, and a person's INN has 12 digits (приказ ФНС № ММВ-7-6/435@).",
        stricter: "Table 3.2 says only «ИНН кассира»; a 10-digit INN belongs to an organisation, never to a cashier.",
    }
    /// The buyer's phone.
    CLIENT_PHONE_FORMAT {
        id: "client_phone_format",
        api: Ferma,
        code: BadFormat,
        severity: Warning,
        fields: ["receipt.client.phone"],
        checks: "The buyer's phone is +7 and 10 digits; otherwise the electronic receipt does not reach the buyer.",
        source: "Ferma table 3.2, phone (tag 1008): «указывайте по маске +7XXXXXXXX. Если вы неверно укажете номер, то чек не будет отправлен покупателю» — the receipt is still fiscalised.",
    }
    /// Email addresses.
    EMAIL_FORMAT {
        id: "email_format",
        api: Both,
        code: BadFormat,
        severity: Warning,
        fields: ["receipt.client.email", "receipt.company.email", "CompanyDetails.Signatory.Email", "email (partner registration)"],
        checks: "An email address looks deliverable: one @, a local part, a domain with a top-level label; otherwise mail to it is lost.",
        source: "Ferma table 3.2 and footnotes 4–5 (the buyer's email only decides where the receipt is sent); tag 1117; the registration spec gives emails as \"строка\" with no format.",
    }
    /// Phones of agents, operators, suppliers and contacts.
    PHONE_FORMAT {
        id: "phone_format",
        api: Both,
        code: BadFormat,
        severity: Warning,
        fields: ["agent_info.paying_agent.phones[]", "agent_info.receive_payments_operator.phones[]", "agent_info.money_transfer_operator.phones[]", "supplier_info.phones[]", "CompanyDetails.Signatory.Phone", "phoneNumber (partner registration)"],
        checks: "A phone is + and up to 18 digits, as FFD writes phone numbers (at most 19 characters).",
        source: "Ferma table 3.4 and the supplier_info rows of tables 3.2–3.3 (tags 1073, 1074, 1075, 1171) give no format; FFD limits these tags to 19 characters. The registration spec gives phones as \"строка\".",
    }
    /// The one phone of a money transfer operator.
    MONEY_TRANSFER_OPERATOR_ONE_PHONE {
        id: "money_transfer_operator_one_phone",
        api: Ferma,
        code: TooMany,
        severity: Warning,
        fields: ["agent_info.money_transfer_operator.phones"],
        checks: "A money transfer operator has one phone; Ferma passes only one.",
        source: "Ferma table 3.4, money_transfer_operator.phones (tag 1075): «Передается только один номер телефона»; which one is kept is not documented.",
    }
    /// The callback URL.
    CALLBACK_URL_FORMAT {
        id: "callback_url_format",
        api: Ferma,
        code: BadFormat,
        severity: Warning,
        fields: ["service.callback_url"],
        checks: "The callback URL matches the regular expression Ferma checks it with; otherwise no callback is sent and the result must be polled.",
        source: "Ferma table 3.2, service.callback_url: «Если поле заполнено корректно, то … ответ будет отправлен POST запросом»; the field is optional (value 3) and the document is processed either way.",
    }
    /// Neither email nor phone.
    NO_CLIENT_CONTACT {
        id: "no_client_contact",
        api: Ferma,
        code: NoContact,
        severity: Warning,
        fields: ["receipt.client"],
        checks: "The buyer has an email or a phone; without both the receipt goes to the email registered in Ferma.",
        source: "Ferma table 3.2, footnotes 4–5 and the phone row: «Если в параметрах «phone» и «email» будут отсутствовать значения, то чек … будет отправлен на электронный адрес указанный при регистрации».",
    }
    /// A request carries one document.
    ONE_DOCUMENT {
        id: "one_document",
        api: Ferma,
        code: NotAllowed,
        severity: Error,
        fields: ["correction"],
        checks: "A request carries its document under receipt or correction, not both.",
        source: "Ferma §3, the request's general form: \"receipt\"/\"correction\" — one of them.",
        stricter: "The spec does not say what Ferma does with both; ofdkit refuses to guess which document to fiscalise.",
    }
    /// The document's member and the operation.
    DOCUMENT_MEMBER {
        id: "document_member",
        api: Ferma,
        code: NonCanonical,
        severity: Warning,
        fields: ["receipt", "correction"],
        checks: "A correction operation's document is under correction and the others' under receipt; ofdkit sends it under the right member.",
        source: "Ferma §3 and the examples of §3.3: corrections travel under \"correction\".",
    }
    /// correction_info in corrections.
    CORRECTION_INFO_REQUIRED {
        id: "correction_info_required",
        api: Ferma,
        code: Required,
        severity: Error,
        fields: ["receipt.correction_info"],
        checks: "A correction carries correction_info (its type and the date of the corrected settlement).",
        source: "Ferma table 3.2, footnote 13 («Используется в составе чека коррекции»); FFD requires tags 1173 (correction type) and 1174/1178 (its basis and date) in a correction receipt.",
    }
    /// correction_info outside corrections.
    CORRECTION_INFO_OUTSIDE_CORRECTION {
        id: "correction_info_outside_correction",
        api: Ferma,
        code: NotAllowed,
        severity: Warning,
        fields: ["receipt.correction_info"],
        checks: "correction_info is given only in the four correction operations.",
        source: "Ferma table 3.2, footnote 13; what Ferma does with it in another receipt is not documented.",
    }
    /// The instruction's number.
    CORRECTION_BASE_NUMBER_REQUIRED {
        id: "correction_base_number_required",
        api: Ferma,
        code: Required,
        severity: Error,
        fields: ["receipt.correction_info.base_number"],
        checks: "A correction made on the tax authority's instruction (type instruction) gives the instruction's number.",
        source: "FFD tag 1179 («номер предписания налогового органа») is required when tag 1173 is 1 (по предписанию); Ferma table 3.2, correction_info.base_number.",
    }
    /// agent_info and supplier_info together.
    AGENT_SUPPLIER_PAIR {
        id: "agent_supplier_pair",
        api: Ferma,
        code: Required,
        severity: Error,
        fields: ["receipt.agent_info", "receipt.supplier_info", "receipt.items[].agent_info", "receipt.items[].supplier_info"],
        checks: "agent_info and supplier_info come together, on the receipt and on an item.",
        source: "Ferma tables 3.2–3.3, footnotes 14–15 and 21–22: «Параметр обязателен, если передан supplier_info», «Поле обязательно, если передан agent_info».",
    }
    /// The receipt's total.
    TOTAL_REQUIRED {
        id: "total_required",
        api: Ferma,
        code: Required,
        severity: Error,
        fields: ["receipt.total"],
        checks: "The receipt gives its total.",
        source: "Ferma table 3.2, total (tag 1020), value 1 — the table's tag and requirement columns slip one row below total, so they read beside additional_check_props.",
    }
    /// The total is the sum of the items.
    TOTAL_MATCHES_ITEMS {
        id: "total_matches_items",
        api: Ferma,
        code: TotalMismatch,
        severity: Error,
        fields: ["receipt.total"],
        checks: "The total equals the sum of the items' sums.",
        source: "FFD: tag 1020 (the settlement's total) is the sum of the items' tag 1043; the cash register refuses a receipt whose total differs.",
    }
    /// The payments pay the total.
    PAYMENTS_MATCH_TOTAL {
        id: "payments_match_total",
        api: Ferma,
        code: PaymentsMismatch,
        severity: Error,
        fields: ["receipt.payments"],
        checks: "The payments add up to the total (or, without a total, to the items).",
        source: "FFD: the payment sums (tags 1031, 1081, 1215–1217, which Ferma fills from payments) add up to tag 1020; the cash register refuses a receipt where they do not.",
    }
    /// Each item's VAT sum, unless vats is given.
    ITEM_VAT_SUM_REQUIRED {
        id: "item_vat_sum_required",
        api: Ferma,
        code: Required,
        severity: Error,
        fields: ["receipt.items[].vat.sum"],
        checks: "Each taxed item gives its VAT sum unless the receipt gives vats.",
        source: "Ferma table 3.3, vat: «Необходимо передать либо сумму налога на позицию, либо сумму налога на чек».",
    }
    /// A rate twice in vats.
    VATS_RATE_DUPLICATE {
        id: "vats_rate_duplicate",
        api: Ferma,
        code: Duplicate,
        severity: Warning,
        fields: ["receipt.vats[].type"],
        checks: "Each rate appears once in vats.",
        source: "Ferma table 3.2, vats: each rate is its own FFD tag (1102–1107); which of two sums Ferma keeps is not documented.",
    }
    /// An item's VAT sum and its rate.
    ITEM_VAT_SUM_MATCHES_RATE {
        id: "item_vat_sum_matches_rate",
        api: Ferma,
        code: VatMismatch,
        severity: Warning,
        fields: ["receipt.items[].vat.sum"],
        checks: "An item's VAT sum is its rate of the item's sum (20/120, 10/110, …) rounded half-up to the kopeck.",
        source: "Ferma table 3.3 (tag 1200) gives no precision rule, and the spec's own examples compute VAT as 20 % of the sum.",
    }
    /// A receipt VAT sum and its items.
    VATS_SUM_MATCHES_RATE {
        id: "vats_sum_matches_rate",
        api: Ferma,
        code: VatMismatch,
        severity: Warning,
        fields: ["receipt.vats[].sum"],
        checks: "A receipt VAT sum is its rate of the sums of the items at that rate (per item or on their total, both rounded half-up).",
        source: "Ferma table 3.2, vats: no precision rule is given.",
    }
    /// A rate in vats no item has.
    VATS_RATE_WITHOUT_ITEMS {
        id: "vats_rate_without_items",
        api: Ferma,
        code: VatMismatch,
        severity: Warning,
        fields: ["receipt.vats[]"],
        checks: "Every rate in vats is the rate of some item.",
        source: "Ferma table 3.2, vats: «значения сумм налога каждой позиции»; the spec does not say what a rate without items does.",
    }
    /// A rate items use that vats lacks.
    VATS_RATE_MISSING {
        id: "vats_rate_missing",
        api: Ferma,
        code: VatMismatch,
        severity: Warning,
        fields: ["receipt.vats"],
        checks: "vats gives a sum for every taxed rate the items use, since Ferma takes the receipt's vats over the items' VAT sums.",
        source: "Ferma table 3.3, vat: «Если будут переданы и сумма налога на позицию и сумма налога на чек, сервис учтет только сумму налога на чек».",
    }
    /// An item sum above price × quantity.
    ITEM_SUM_ABOVE_PRICE_QUANTITY {
        id: "item_sum_above_price_quantity",
        api: Ferma,
        code: SumMismatch,
        severity: Warning,
        fields: ["receipt.items[].sum"],
        checks: "An item's sum is not above price × quantity (below it is a discount).",
        source: "Ferma table 3.3 (tag 1043, the sum with discounts and markups) does not forbid it; a sum above it usually means a wrong price or quantity.",
    }
    /// measure on every item.
    MEASURE_REQUIRED {
        id: "measure_required",
        api: Ferma,
        code: Required,
        severity: Error,
        fields: ["receipt.items[].measure"],
        checks: "Every item gives measure, a code of §3.1.8 (0 for pieces); ATOL v4's measurement_unit text is not read.",
        source: "Ferma table 3.3, measure (tag 2108), value 1; FFD 1.2 requires tag 2108 for every item.",
    }
    /// payment_method's default.
    PAYMENT_METHOD_DEFAULT {
        id: "payment_method_default",
        api: Ferma,
        code: DefaultApplied,
        severity: Warning,
        fields: ["receipt.items[].payment_method"],
        checks: "An item gives payment_method; without it Ferma records full_prepayment, which is wrong for a sale settled now.",
        source: "Ferma table 3.3, footnote 20: «Если признак не передан, по умолчанию используется значение «full_prepayment»».",
    }
    /// excise for excisable goods.
    EXCISE_FOR_EXCISABLE {
        id: "excise_for_excisable",
        api: Ferma,
        code: Recommended,
        severity: Warning,
        fields: ["receipt.items[].excise"],
        checks: "An excisable item (payment_object 2, 30 or 31) gives excise, the excise duty in rubles.",
        source: "Ferma table 3.3, excise (tag 1229), footnote 23: «Необходим для реализации подакцизного товара»; the spec does not say the receipt is refused without it.",
    }
    /// mark_quantity with measure 0.
    MARK_QUANTITY_PIECES {
        id: "mark_quantity_pieces",
        api: Ferma,
        code: NotAllowed,
        severity: Warning,
        fields: ["receipt.items[].mark_quantity"],
        checks: "mark_quantity is given for items sold by the piece (measure 0).",
        source: "Ferma table 3.3, footnote 26: «Необходим для пробития маркированного товара со значением «0» в параметре «measure»»; a fraction of another unit is not described.",
    }
    /// mark_quantity is a fraction of one unit.
    MARK_QUANTITY_FRACTION {
        id: "mark_quantity_fraction",
        api: Ferma,
        code: OutOfRange,
        severity: Error,
        fields: ["receipt.items[].mark_quantity"],
        checks: "mark_quantity is a proper fraction: both parts positive, the numerator below the denominator.",
        source: "Ferma table 3.3, mark_quantity (tags 1291, 1293, 1294): «Числитель/Знаменатель дробной части» — the fractional part of one unit; a zero part is no quantity.",
    }
    /// An empty mark_code.
    MARK_CODE_EMPTY {
        id: "mark_code_empty",
        api: Ferma,
        code: OneOf,
        severity: Error,
        fields: ["receipt.items[].mark_code"],
        checks: "mark_code gives the product code in one of its forms.",
        source: "Ferma table 3.3, mark_code (tag 1163): the structure holds the code; empty, it carries no requisite.",
    }
    /// Several forms of the code.
    MARK_CODE_SEVERAL_FORMS {
        id: "mark_code_several_forms",
        api: Ferma,
        code: OneOf,
        severity: Warning,
        fields: ["receipt.items[].mark_code"],
        checks: "mark_code gives the code in one form.",
        source: "Ferma table 3.3 lists the forms of tag 1163 as alternatives; what Ferma does with several is not documented.",
    }
    /// The §3 template's spelling gsIm.
    MARK_CODE_GS_IM {
        id: "mark_code_gs_im",
        api: Ferma,
        code: NonCanonical,
        severity: Warning,
        fields: ["receipt.items[].mark_code.gsIm"],
        checks: "The request template's spelling gsIm is read as gs1m, the name of table 3.3, and sent as gs1m.",
        source: "Ferma §3, the request's general form writes \"gsIm\"; table 3.3 (tags 1304/1305) names it gs1m.",
    }
    /// mark_processing_mode is "0".
    MARK_PROCESSING_MODE_ZERO {
        id: "mark_processing_mode_zero",
        api: Ferma,
        code: UnknownValue,
        severity: Error,
        fields: ["receipt.items[].mark_processing_mode"],
        checks: "mark_processing_mode is \"0\".",
        source: "Ferma table 3.3, mark_processing_mode (tag 2102): «Значение должно быть равно «0»».",
    }
    /// EAN-8, EAN-13, ITF-14 syntax.
    BARCODE_FORMAT {
        id: "barcode_format",
        api: Ferma,
        code: BadFormat,
        severity: Error,
        fields: ["receipt.items[].mark_code.ean8", "receipt.items[].mark_code.ean13", "receipt.items[].mark_code.itf14"],
        checks: "An EAN-8, EAN-13 or ITF-14 code has exactly 8, 13 or 14 digits.",
        source: "Ferma table 3.3, mark_code (tags 1301–1303): codes «в формате EAN-8/EAN-13/ITF-14», whose lengths GS1 fixes.",
    }
    /// GS1 check digits.
    BARCODE_CHECK_DIGIT {
        id: "barcode_check_digit",
        api: Ferma,
        code: CheckDigit,
        severity: Error,
        fields: ["the fields of barcode_format"],
        checks: "An EAN-8, EAN-13 or ITF-14 code's last digit is its GS1 check digit.",
        source: "GS1 General Specifications §7.9: the check digit is part of the code; a code that fails it was never printed on a product.",
    }
    /// The fur mark.
    FUR_MARK_FORMAT {
        id: "fur_mark_format",
        api: Ferma,
        code: BadFormat,
        severity: Error,
        fields: ["receipt.items[].mark_code.fur"],
        checks: "A fur mark is exactly 20 characters: 2 letters, -, 6 digits, -, 10 letters or digits (RU-430302-ABC1234567).",
        source: "Ferma table 3.3, fur (tag 1307): «Ровно 20 символов, должно соответствовать маске СС-ЦЦЦЦЦ-ССССССССС» — the spec's mask lost two characters; real marks have the 20 the spec states.",
    }
    /// The numeric country code.
    COUNTRY_CODE_FORMAT {
        id: "country_code_format",
        api: Ferma,
        code: BadFormat,
        severity: Error,
        fields: ["receipt.items[].country_code"],
        checks: "The country of origin is its numeric code of 1 to 3 digits.",
        source: "Ferma table 3.3, country_code (tag 1230): «Цифровой код страны … Если … имеет длину меньше 3 цифр, то он дополняется справа пробелами».",
    }
    /// Over 20 000 characters.
    SPLIT_WILL_HAPPEN {
        id: "split_will_happen",
        api: Ferma,
        code: WillSplit,
        severity: Warning,
        fields: ["the whole request"],
        checks: "A request over 20 000 characters is split by Ferma into several receipts, possibly on different cashboxes, when splitting is enabled.",
        source: "Ferma §3.2.",
    }
    /// One payment_object in a split receipt.
    SPLIT_SAME_PAYMENT_OBJECT {
        id: "split_same_payment_object",
        api: Ferma,
        code: SplitRule,
        severity: Warning,
        fields: ["receipt.items[].payment_object"],
        checks: "In a receipt Ferma splits every item has the same payment_object.",
        source: "Ferma §3.2, «Внимание!»: «Все позиции должны иметь одинаковое значение «payment_object»»; whether splitting is enabled for an account is not visible to a client.",
    }
    /// agent_info on items in a split receipt.
    SPLIT_AGENT_INFO_ON_ITEMS {
        id: "split_agent_info_on_items",
        api: Ferma,
        code: SplitRule,
        severity: Warning,
        fields: ["receipt.agent_info"],
        checks: "In a receipt Ferma splits, agent_info is given on items only.",
        source: "Ferma §3.2, «Внимание!»: «Параметр «agent_info» … передавать только в параметре «items»».",
    }
}
