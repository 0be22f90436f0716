//! Rules of the reader: they apply to every field of their kind in both
//! APIs, with the field's own limits from its table (see the field
//! reference, `docs/fields.md`).

use super::rules;

rules! { COMMON_RULES:
    /// A field its table marks as required is absent or `null`.
    REQUIRED {
        id: "required",
        api: Both,
        code: Required,
        severity: Error,
        fields: ["every required field"],
        checks: "A field the spec marks as required is absent or null.",
        source: "Ferma tables 3.2–3.4, requirement value 1 (table 3.1: the requisite must be in the fiscal document); registration spec tables 1, 3 and 7 and appendix 1, where a member is not optional.",
    }
    /// The JSON type is not the one the table gives.
    BAD_TYPE {
        id: "bad_type",
        api: Both,
        code: BadType,
        severity: Error,
        fields: ["every field"],
        checks: "The value's JSON type is the one the spec's format column gives (String, Integer, Float point, Object, Array, boolean); money may also be a decimal string, a code its number.",
        source: "The format column of Ferma tables 3.2–3.4 and of the registration spec's tables 1, 3, 7 and П1.1.",
    }
    /// A value outside its code table.
    UNKNOWN_VALUE {
        id: "unknown_value",
        api: Both,
        code: UnknownValue,
        severity: Error,
        fields: ["every code field: sno, vat.type, payment_method, payment_object, measure, payments[].type, agent_info.type, correction_info.type, document_code, federal_id, purpose, CompanyType"],
        checks: "A code is one of the values its table lists (wire form, documented alias or number); ATOL names Ferma does not have get a hint of what Ferma expects instead.",
        source: "Ferma §§3.1.4–3.1.8 and the value lists of tables 3.2–3.4; registration spec table 1 (purpose) and §2.5.1 (CompanyType).",
    }
    /// A member the spec does not describe.
    UNKNOWN_FIELD {
        id: "unknown_field",
        api: Both,
        code: UnknownField,
        severity: Warning,
        fields: ["every object"],
        checks: "A member the spec does not describe is reported, kept and sent as given, so nothing is lost; ATOL members Ferma does not have get a hint.",
        source: "Not in the spec's tables; what the server does with it is not documented.",
    }
    /// The same member twice in one object.
    DUPLICATE_MEMBER {
        id: "duplicate_member",
        api: Both,
        code: Duplicate,
        severity: Error,
        fields: ["every object"],
        checks: "A member appears at most once in an object.",
        source: "RFC 8259 §4: with duplicate names the receiver's behaviour is unpredictable.",
        stricter: "The specs do not mention duplicates; ofdkit refuses to guess which of two values the sender meant, since either guess may fiscalise the wrong data.",
    }
    /// A string longer than its field allows.
    MAX_LENGTH {
        id: "max_length",
        api: Both,
        code: TooLong,
        severity: Error,
        fields: ["receipt.additional_check_props (16)", "receipt.cashier (64)", "receipt.additional_user_props.name (64)", "receipt.additional_user_props.value (256)", "receipt.device_number (20)", "receipt.items[].name (128)", "receipt.items[].declaration_number (32)", "KktDetails.SerialNumber (20)", "KktDetails.AutomaticDeviceNumber (20)"],
        checks: "A string has at most the characters (not bytes) its field allows.",
        source: "The field's row of Ferma tables 3.2–3.3 (\"Максимальная длина строки\"); the item name's 128 characters are FFD tag 1030's limit (приказ ФНС № ЕД-7-20/662@, which table 3.1 cites); the serial and device numbers' 20 are FFD tags 1013 and 1036.",
    }
    /// A string that must carry text is empty.
    NOT_EMPTY {
        id: "not_empty",
        api: Both,
        code: TooShort,
        severity: Error,
        fields: ["external_id", "receipt.company.payment_address", "receipt.items[].name", "receipt.additional_user_props.name", "receipt.additional_user_props.value", "receipt.operating_check_props.name", "receipt.operating_check_props.value", "sectoral props number and value", "mark_code forms", "names in the registration API", "documentId"],
        checks: "A required text field is not empty or blank.",
        source: "A required field (value 1, or a member of the registration API's request) whose value identifies or describes something: an empty external_id cannot be unique (table 3.2), an empty name or place of settlement is no requisite (FFD tags 1030, 1187).",
    }
    /// Too few elements.
    MIN_ELEMENTS {
        id: "min_elements",
        api: Both,
        code: TooFew,
        severity: Error,
        fields: ["receipt.items (at least 1)", "receipt.payments (at least 1)"],
        checks: "An array has at least as many elements as its table requires.",
        source: "Ferma table 3.2: items are required (tag 1059, value 1), payments \"Ограничение по количеству от 1 до 10\".",
    }
    /// Too many elements.
    MAX_ELEMENTS {
        id: "max_elements",
        api: Both,
        code: TooMany,
        severity: Error,
        fields: ["receipt.payments (at most 10)"],
        checks: "An array has at most as many elements as its table allows.",
        source: "Ferma table 3.2, payments: \"Ограничение по количеству от 1 до 10\".",
    }
    /// An integer outside its type's range.
    INTEGER_RANGE {
        id: "integer_range",
        api: Both,
        code: OutOfRange,
        severity: Error,
        fields: ["every integer field: mark_quantity numerator and denominator, measure, payments[].type, …"],
        checks: "An integer is whole and fits its field (for example mark_quantity's parts are unsigned 32-bit, as FFD tags 1293 and 1294).",
        source: "The format column (Integer) of Ferma tables 3.2–3.3 and the FFD tag's type.",
    }
    /// Money or a quantity that is not a decimal number.
    AMOUNT_SYNTAX {
        id: "amount_syntax",
        api: Ferma,
        code: BadFormat,
        severity: Error,
        fields: ["every money and quantity field: price, quantity, sum, vat.sum, excise, payments[].sum, vats[].sum, total"],
        checks: "Money and quantities given as strings are decimal numbers with a dot (1234.50).",
        source: "Ferma tables 3.2–3.3: these fields are Float point.",
    }
    /// Negative money or quantity.
    AMOUNT_NEGATIVE {
        id: "amount_negative",
        api: Ferma,
        code: OutOfRange,
        severity: Error,
        fields: ["every money and quantity field"],
        checks: "Money and quantities are never negative.",
        source: "Ferma table 3.3, excise: \"значение не может быть отрицательным\"; for the other amounts FFD tags 1079, 1023, 1043, 1031, 1081, 1102–1107, 1200 and 1020 are unsigned (приказ ФНС № ЕД-7-20/662@): a negative amount cannot be written into the fiscal document.",
    }
    /// Money or a quantity above its maximum.
    AMOUNT_MAX {
        id: "amount_max",
        api: Ferma,
        code: OutOfRange,
        severity: Error,
        fields: ["every money field (99 999 999.99)", "receipt.items[].quantity (99 999.999)", "receipt.items[].price and sum (42 949 672.95)"],
        checks: "Money has at most 8 integer digits; an item's price and sum are at most 42 949 672.95; a quantity is at most 99 999.999.",
        source: "Ferma tables 3.2–3.3: \"целая часть не более 8 знаков\", \"Максимальное значение цены - 42 949 672.95\", quantity \"Максимальное значение - 99 999.999\".",
    }
    /// Money with fractions of a kopeck, quantities finer than thousandths.
    AMOUNT_PRECISION {
        id: "amount_precision",
        api: Ferma,
        code: TooPrecise,
        severity: Error,
        fields: ["every money field (2 decimals)", "receipt.items[].quantity (3 decimals)"],
        checks: "Money has at most 2 and a quantity at most 3 digits after the point; ofdkit never rounds.",
        source: "Ferma tables 3.2–3.3: \"дробная часть не более 2 знаков\", quantity \"дробная часть не более 3 знаков\".",
    }
    /// A date or time not in its documented format.
    DATE_FORMAT {
        id: "date_format",
        api: Both,
        code: BadFormat,
        severity: Error,
        fields: ["timestamp (dd.mm.yyyy HH:MM:SS)", "receipt.correction_info.base_date (dd.mm.yyyy)", "receipt.client.birthdate (dd.mm.yy)", "sectoral props date (dd.mm.yy)", "receipt.operating_check_props.timestamp", "registration dates (ISO 8601)"],
        checks: "A date or time is a real one, written in the format its field documents.",
        source: "Ferma table 3.2 (timestamp \"dd.mm.yyyy HH:MM:SS\", base_date \"dd.mm.yyyy\", birthdate \"ДД.ММ.ГГ\") and table 3.3 (sectoral date \"ДД.ММ.ГГ\"); the registration spec's \"дата и время\" fields.",
    }
    /// A date accepted in a form its field does not document.
    DATE_NON_CANONICAL {
        id: "date_non_canonical",
        api: Both,
        code: NonCanonical,
        severity: Warning,
        fields: ["the date fields of date_format"],
        checks: "A date written in another unambiguous form (a 4-digit year where dd.mm.yy is documented, one-digit days) is read and sent in the documented form.",
        source: "The documented formats of date_format; the form sent is always the documented one.",
    }
    /// A NUL character in text.
    NUL_CHARACTER {
        id: "nul_character",
        api: Both,
        code: BadFormat,
        severity: Error,
        fields: ["every string of a request"],
        checks: "No string of a request contains the NUL character (U+0000).",
        source: "FFD strings are printable text (приказ ФНС № ЕД-7-20/662@); a NUL cuts the string short in the cash register's and many clients' C code, so the fiscal document would differ from the request.",
        stricter: "The specs do not mention control characters; a NUL is certainly not part of a name, an address or an identifier.",
    }
    /// A UTF-8 byte order mark before the JSON text.
    BYTE_ORDER_MARK {
        id: "byte_order_mark",
        api: Both,
        code: NonCanonical,
        severity: Warning,
        fields: ["the whole request"],
        checks: "A UTF-8 byte order mark that Windows and 1C editors write before the text is skipped; the request is sent without it.",
        source: "RFC 8259 §8.1: JSON text must not begin with a byte order mark, but a parser may ignore one. ofdkit sends its own normalised JSON, never the user's bytes.",
    }
    /// The list stops at 1000.
    TOO_MANY_VIOLATIONS {
        id: "too_many_violations",
        api: Both,
        code: TooManyViolations,
        severity: Error,
        fields: ["the whole request"],
        checks: "At most 1000 violations are listed; one last entry counts the rest, an error if any of them is (a warning otherwise).",
        source: "ofdkit's own bound, so that memory stays proportional to the input: a request with a thousand problems is fixed from the top.",
    }
}
