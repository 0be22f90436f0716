//! Properties over generated inputs: money and VAT round trips, filled
//! totals that always validate, and no panic on any bytes or any JSON.

use std::str::FromStr;

use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

use ofdkit::codes::{Code, Measure, Operation, PaymentObject, PaymentType, Sno, VatType};
use ofdkit::context::{Context, Mode};
use ofdkit::ferma::{self, Company, ItemSpec, ReceiptBuilder};
use ofdkit::json::{self, Value};
use ofdkit::money::{Amount, Quantity};
use ofdkit::protocol::{self, HttpResponse};
use ofdkit::vat::vat_of;

fn read_amount(text: &str) -> Option<Amount> {
    let value = json::parse(text).ok()?;
    ofdkit::decode::from_value::<Amount>(&value, &mut Context::new(Mode::Request))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn amounts_survive_json_and_text(kopecks in 0i64..=9_999_999_999) {
        let amount = Amount::from_kopecks(kopecks).unwrap();
        let json = serde_json::to_string(&amount).unwrap();
        prop_assert_eq!(read_amount(&json), Some(amount), "{}", json);
        prop_assert_eq!(Amount::from_str(&amount.to_string()), Ok(amount));
        prop_assert_eq!(Amount::try_from(amount.to_decimal()), Ok(amount));
    }

    #[test]
    fn quantities_survive_json(thousandths in 0i64..=99_999_999) {
        let q = Quantity::from_thousandths(thousandths).unwrap();
        let json = serde_json::to_string(&q).unwrap();
        let value = json::parse(&json).unwrap();
        prop_assert_eq!(ofdkit::decode::from_value::<Quantity>(&value, &mut Context::new(Mode::Request)), Some(q));
    }

    #[test]
    fn decimal_text_is_read_exactly(int in 0u64..100_000_000, frac in 0u32..100, exp in -3i32..=3) {
        // mantissa × 10^exp written in exponent form reads as the same decimal.
        let text = format!("{int}.{frac:02}e{exp}");
        let expected = Decimal::from_str(&format!("{int}.{frac:02}")).unwrap()
            * Decimal::from_str(&format!("1e{exp}")).unwrap_or(Decimal::ONE);
        let expected = if exp >= 0 { expected } else { Decimal::from_str(&format!("{int}.{frac:02}")).unwrap() / Decimal::from(10i64.pow((-exp).unsigned_abs())) };
        prop_assert_eq!(ofdkit::parse_decimal(&text).unwrap().normalize(), expected.normalize());
    }

    #[test]
    fn vat_is_the_rounded_exact_share(kopecks in 0i64..=9_999_999_999, rate in 0usize..12) {
        let vat_type = VatType::ALL[rate];
        let sum = Amount::from_kopecks(kopecks).unwrap();
        let vat = vat_of(sum, vat_type);
        prop_assert!(vat <= sum);
        let exact = match vat_type.rate() {
            Some(r) => sum.to_decimal() * Decimal::from(r.percent) / Decimal::from(100 + r.percent),
            None => Decimal::ZERO,
        };
        let rounded = exact.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        prop_assert_eq!(vat.to_decimal(), rounded);
    }

    #[test]
    fn built_receipts_always_validate(
        items in prop::collection::vec((1i64..5_000_000, 1i64..50_000, 0usize..12, 0usize..3), 1..30),
        cash in 0i64..1000,
    ) {
        let company = Company::new(Sno::UsnIncome, "7825706086", "https://shop.example.ru");
        let mut builder = ReceiptBuilder::new(Operation::Sell, "p-1", company).client_phone("+79001234567");
        for (i, (price, quantity, rate, object)) in items.iter().enumerate() {
            let mut spec = ItemSpec::new(
                format!("Item {i}"),
                Amount::from_kopecks(*price).unwrap(),
                Quantity::from_thousandths(*quantity).unwrap(),
                VatType::ALL[*rate],
            );
            spec.payment_object = [PaymentObject::Commodity, PaymentObject::Service, PaymentObject::Job][*object];
            spec.measure = if *object == 0 { Measure::Kilogram } else { Measure::Piece };
            builder = builder.item(spec);
        }
        let built = builder.payment(PaymentType::Cash, Amount::from_kopecks(cash).unwrap()).pay_rest(PaymentType::Electronic).build();
        match built {
            Ok(checked) => {
                // Only the split warning may remain, for big receipts.
                prop_assert!(checked.warnings.iter().all(|v| v.code.as_str() == "will_split"),
                    "{}", checked.warnings);
                let wire = checked.value.to_wire_json().unwrap();
                let again = ferma::validate_receipt_json(wire.as_bytes(), Operation::Sell).unwrap();
                prop_assert!(!again.has_errors(), "{}", again);
            }
            // Overpaid in cash or an item sum beyond the limit: a clear error, never a panic.
            Err(e) => prop_assert!(matches!(e, ofdkit::Error::Invalid(_) | ofdkit::Error::Argument(_)), "{e}"),
        }
    }

    #[test]
    fn no_bytes_panic_any_reader(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = json::parse_bytes(&bytes);
        let _ = ferma::validate_receipt_json(&bytes, Operation::Sell);
        let _ = ferma::normalize_receipt_json(&bytes, Operation::BuyRefundCorrection);
        let response = HttpResponse::new(200, bytes.clone());
        let _ = protocol::parse_token_response(&response);
        let _ = protocol::parse_create_response(&response);
        let _ = protocol::parse_report(&response);
        let _ = protocol::parse_callback(&bytes);
        let _ = protocol::parse_cashbox_stats(&HttpResponse::new(500, bytes.clone()));
        let _ = ofdkit::ofd::validate_application_json(&bytes, ofdkit::ofd::ApplicationCheck::Secondary);
        let _ = ofdkit::ofd::validate_update_json(&bytes, ofdkit::ofd::ApplicationCheck::Complete);
        let _ = ofdkit::ofd::validate_partner_registration_json(&bytes);
        let response = HttpResponse::new(400, bytes);
        let _ = protocol::parse_application(&response);
        let _ = protocol::parse_application_list(&response);
        let _ = protocol::parse_document(&response);
        let _ = protocol::parse_partner_response(&response);
    }

    #[test]
    fn no_text_panics_the_number_and_date_readers(text in ".{0,40}") {
        let _ = ofdkit::parse_decimal(&text);
        let _ = Amount::from_str(&text);
        let _ = Quantity::from_str(&text);
        let _ = ofdkit::datetime::DateTime::parse_lenient(&text);
        let _ = ofdkit::datetime::ShortDate::parse_lenient(&text);
        let _ = ofdkit::datetime::IsoDateTime::parse_lenient(&text);
        let _ = ofdkit::rules::is_callback_url(&text);
        let _ = ofdkit::rules::is_email(&text);
        let _ = PaymentObject::parse_any(&text);
    }

    #[test]
    fn json_values_round_trip(value in arbitrary_json()) {
        let text = value.to_json_string();
        let again = json::parse(&text).unwrap();
        prop_assert_eq!(again, value);
    }

    #[test]
    fn no_json_panics_validation(value in arbitrary_json(), op in 0usize..8) {
        let operation = Operation::ALL[op];
        let (_, violations) = ferma::check_receipt_value(&value, operation);
        // Anything but a request object is reported at the root.
        if !matches!(value, Value::Object(_)) {
            prop_assert_eq!(violations.len(), 1);
            prop_assert_eq!(violations.iter().next().unwrap().path.as_str(), "");
        }
    }

    #[test]
    fn no_json_panics_registration_checks(value in arbitrary_json(), check in 0usize..3) {
        use ofdkit::ofd::{self, ApplicationCheck};
        let check = [ApplicationCheck::Draft, ApplicationCheck::Complete, ApplicationCheck::Secondary][check];
        let _ = ofd::check_application_value(&value, check);
        let _ = ofd::check_partner_registration_value(&value);
        let _ = ofd::check_request::<ofd::ApplicationUpdate>(&value, check);
    }

    #[test]
    fn registration_numbers_carry_their_crc(first in 0u64..10_000_000_000, inn in 0usize..3, serial in "[0-9A-Z]{1,20}") {
        let inn = ["7825706086", "500100732259", "7707083893"][inn];
        let number = ofdkit::rules::kkt_registration_number(&format!("{first:010}"), inn, &serial).unwrap();
        prop_assert_eq!(number.len(), 16);
        prop_assert_eq!(ofdkit::rules::check_kkt_registration_number(&number, inn, &serial), Ok(true));
        let mut wrong = number.clone().into_bytes();
        wrong[15] = if wrong[15] == b'9' { b'0' } else { wrong[15] + 1 };
        prop_assert_eq!(ofdkit::rules::check_kkt_registration_number(std::str::from_utf8(&wrong).unwrap(), inn, &serial), Ok(false));
    }

    #[test]
    fn no_mutation_of_a_receipt_panics_validation(
        path_choice in any::<prop::sample::Index>(),
        replacement in arbitrary_json(),
        op in 0usize..8,
    ) {
        let mut receipt = json::parse(BASE).unwrap().into_owned();
        let count = count_nodes(&receipt);
        let target = path_choice.index(count);
        replace_node(&mut receipt, target, &mut 0, &replacement);
        let (model, violations) = ferma::check_receipt_value(&receipt, Operation::ALL[op]);
        for v in violations.iter() {
            prop_assert!(!v.message.is_empty() && !v.message_ru.is_empty());
        }
        // The split rule's count, made without writing, is the written length.
        prop_assert_eq!(ferma::wire_chars(&model), model.to_wire_json().unwrap().chars().count());
        // What validation's bound says of the text is at least what is sent.
        let text = receipt.to_json_string();
        if let Ok(sent) = ferma::normalize_receipt_json(text.as_bytes(), Operation::ALL[op]) {
            prop_assert!(sent.value.chars().count() <= ferma::wire_chars_bound(text.as_bytes()));
        }
    }
}

const BASE: &str = r#"{"timestamp":"24.11.2026 12:00:00","external_id":"x-1","service":{"callback_url":"https://s.example.ru/cb"},
"receipt":{"client":{"email":"b@example.ru","phone":"+79001234567"},"company":{"sno":"osn","inn":"7825706086","payment_address":"s"},
"items":[{"name":"Tea","price":249.9,"quantity":2,"sum":499.8,"measure":0,"payment_method":"full_payment","payment_object":1,
"vat":{"type":"vat20","sum":83.3},"agent_info":{"type":"another","paying_agent":{"phones":["+79998887766"]}},
"supplier_info":{"inn":"287381373424"},"mark_code":{"ean13":"4006381333931"},"mark_quantity":{"numerator":1,"denominator":2},
"sectoral_item_props":[{"federal_id":"030","date":"12.04.21","number":"1","value":"v"}]}],
"payments":[{"type":1,"sum":499.8}],"vats":[{"type":"vat20","sum":83.3}],"total":499.8,
"correction_info":{"type":"instruction","base_date":"01.01.2026"},"additional_user_props":{"name":"a","value":"b"},
"operating_check_props":{"name":"0","value":"v","timestamp":"24.11.2026 12:00:00"}}}"#;

fn count_nodes(value: &Value<'_>) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(members) => members.iter().map(|(_, v)| count_nodes(v)).sum(),
        _ => 0,
    }
}

fn replace_node(value: &mut Value<'static>, target: usize, seen: &mut usize, with: &Value<'static>) -> bool {
    if *seen == target {
        *value = with.clone();
        return true;
    }
    *seen += 1;
    match value {
        Value::Array(items) => items.iter_mut().any(|v| replace_node(v, target, seen, with)),
        Value::Object(members) => members.iter_mut().any(|(_, v)| replace_node(v, target, seen, with)),
        _ => false,
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value<'static>> {
    let number = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?([eE][+-]?[0-9]{1,4})?",
    ]
    .prop_map(|text| Value::Number(json::Number::parse(&text).unwrap().into_owned()));
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number,
        ".{0,20}".prop_map(|s: String| Value::String(s.into())),
        prop::sample::select(vec!["sell", "vat20", "1", "osn", "+79001234567", "01.01.2021", "7825706086", "0"])
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "receipt",
                        "correction",
                        "external_id",
                        "items",
                        "payments",
                        "vats",
                        "total",
                        "company",
                        "client",
                        "name",
                        "price",
                        "quantity",
                        "sum",
                        "vat",
                        "type",
                        "inn",
                        "sno",
                        "phones",
                        "agent_info",
                        "supplier_info",
                        "mark_code",
                        "correction_info",
                        "service",
                        "x",
                    ]),
                    inner,
                ),
                0..8
            )
            .prop_map(|members| Value::Object(members.into_iter().map(|(k, v)| (k.into(), v)).collect())),
        ]
    })
}
