//! Help for users coming from ATOL Online: Ferma converts ATOL's API (v4,
//! FFD 1.05) into its own (FFD 1.2), and requests written for ATOL often
//! carry names and values Ferma does not have. A violation about one of
//! them says what Ferma expects instead, in English and Russian.

/// What to write instead of an ATOL name or value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AtolHint {
    /// The hint in English.
    pub en: &'static str,
    /// The hint in Russian.
    pub ru: &'static str,
}

/// A hint for the unknown member `key` of the object at `parent` (a JSON
/// path such as `receipt.items[3]`).
pub fn member_hint(parent: &str, key: &str) -> Option<AtolHint> {
    let last = parent.rsplit(['.', ']']).next().unwrap_or(parent);
    let in_item = parent.ends_with(']') && parent.contains("items[");
    let hint = match (key, last) {
        ("measurement_unit", _) if in_item => AtolHint {
            en: "ATOL v4's measurement_unit (free text such as \"шт\") has no place in Ferma: give measure, a code of §3.1.8 (0 for pieces, 11 for kilograms, …)",
            ru: "measurement_unit из АТОЛ v4 (текст вроде «шт») в Ferma не используется: укажите measure — код из §3.1.8 (0 — штуки, 11 — килограммы, …)",
        },
        ("tax", _) if in_item => AtolHint {
            en: "ATOL v3's tax is vat.type in Ferma (table 3.3)",
            ru: "tax из АТОЛ v3 в Ferma передаётся как vat.type (табл. 3.3)",
        },
        ("base_name", "correction_info") => AtolHint {
            en: "ATOL v4's base_name (tag 1177, FFD 1.05) is not in Ferma's table 3.2, which follows FFD 1.2: give type, base_date and, for a correction by instruction, base_number",
            ru: "base_name из АТОЛ v4 (тег 1177, ФФД 1.05) нет в табл. 3.2 Ferma, которая следует ФФД 1.2: укажите type, base_date и, для коррекции по предписанию, base_number",
        },
        ("attributes", "receipt" | "correction") => AtolHint {
            en: "ATOL v3's attributes (the buyer's email and phone) is client in Ferma (table 3.2)",
            ru: "attributes из АТОЛ v3 (email и телефон покупателя) в Ferma передаётся как client (табл. 3.2)",
        },
        ("token", "") => AtolHint {
            en: "the token travels in the URL's query (…/{group_code}/{operation}?token=…), not in the body (§3)",
            ru: "токен передаётся в строке запроса URL (…/{group_code}/{operation}?token=…), а не в теле (§3)",
        },
        ("group_code", "") => AtolHint {
            en: "the group code is part of the URL (…/possystem/v1/{group_code}/{operation}), not of the body (§3)",
            ru: "код группы касс указывается в URL (…/possystem/v1/{group_code}/{operation}), а не в теле (§3)",
        },
        ("operation", "") => AtolHint {
            en: "the operation is the URL's last segment (…/{group_code}/sell), not a member of the body (§3)",
            ru: "операция указывается последним сегментом URL (…/{group_code}/sell), а не в теле (§3)",
        },
        _ => return None,
    };
    Some(hint)
}

/// A hint for the value `got` (as written in JSON) that is not in the code
/// table named `table`.
pub fn value_hint(table: &str, got: &str) -> Option<AtolHint> {
    let got = got.trim_matches('"');
    let hint = match (table, got) {
        ("vat_type", "vat18") => AtolHint {
            en: "vat18 is ATOL's 18 % rate, which ended on 1 January 2019: the standard rate is vat20 (vat22 from 2026)",
            ru: "vat18 — ставка 18 % из АТОЛ, отменённая с 1 января 2019 года: основная ставка — vat20 (с 2026 года vat22)",
        },
        ("vat_type", "vat118") => AtolHint {
            en: "vat118 is ATOL's 18/118 rate, which ended on 1 January 2019: the standard calculated rate is vat120 (vat122 from 2026)",
            ru: "vat118 — расчётная ставка 18/118 из АТОЛ, отменённая с 1 января 2019 года: основная расчётная ставка — vat120 (с 2026 года vat122)",
        },
        ("payment_method", number) => return payment_method_hint(number),
        _ => return None,
    };
    Some(hint)
}

/// FFD tag 1214's numbers are written as names in Ferma (§3.1.4).
fn payment_method_hint(number: &str) -> Option<AtolHint> {
    macro_rules! names {
        ($($number:literal => $name:literal,)*) => {
            match number {
                $($number => Some(AtolHint {
                    en: concat!("the number is FFD tag 1214's code; Ferma takes the names of §3.1.4: write \"", $name, "\""),
                    ru: concat!("число — это код тега 1214 ФФД; Ferma принимает названия из §3.1.4: укажите \"", $name, "\""),
                }),)*
                _ => None,
            }
        };
    }
    names! {
        "1" => "full_prepayment",
        "2" => "prepayment",
        "3" => "advance",
        "4" => "full_payment",
        "5" => "partial_payment",
        "6" => "credit",
        "7" => "credit_payment",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_where_atol_and_ferma_differ() {
        assert!(member_hint("receipt.items[3]", "measurement_unit").unwrap().en.contains("measure"));
        assert_eq!(member_hint("receipt", "measurement_unit"), None);
        assert!(member_hint("correction.correction_info", "base_name").is_some());
        assert!(member_hint("", "token").unwrap().ru.contains("URL"));
        assert_eq!(member_hint("receipt", "token"), None);
        assert!(value_hint("vat_type", "\"vat18\"").unwrap().en.contains("vat20"));
        assert!(value_hint("payment_method", "4").unwrap().en.contains("full_payment"));
        assert_eq!(value_hint("payment_method", "8"), None);
        assert_eq!(value_hint("sno", "\"osn\""), None);
    }
}
