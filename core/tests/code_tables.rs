//! Counts every code table against the spec, entry for entry: the values,
//! their numbers and their Russian descriptions are read from
//! `spec/ferma-api.ru.md` here and compared with `ofdkit::codes`.

use std::path::Path;

use ofdkit::codes::{self, Code, CodeTable};

fn spec() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ferma-api.ru.md");
    std::fs::read_to_string(path).expect("the spec is in the repository").replace("\\_", "_")
}

/// The lines of the section whose heading contains `heading`, up to the next heading.
fn section<'a>(spec: &'a str, heading: &str) -> Vec<&'a str> {
    let mut lines = spec.lines().skip_while(|l| !(l.starts_with('#') && l.contains(heading)));
    lines.next().expect(heading);
    lines.take_while(|l| !l.starts_with('#')).collect()
}

/// The `«value» – description` pairs in a run of text (the spec uses both
/// dashes and the hyphen), each description ending at `;`, `.` at the end,
/// or the next `«`.
fn guillemet_pairs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in text.split('«').skip(1) {
        let Some((value, rest)) = part.split_once('»') else { continue };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('–').or_else(|| rest.strip_prefix('-')).or_else(|| rest.strip_prefix('—'))
        else {
            continue;
        };
        let description = rest.split([';', '\t']).next().unwrap_or_default().trim();
        out.push((value.to_owned(), description.trim_end_matches('.').trim().to_owned()));
    }
    out
}

fn entries(table: &CodeTable) -> Vec<(String, String)> {
    table.entries.iter().map(|e| (e.wire.to_owned(), e.description_ru.to_owned())).collect()
}

fn assert_same(table: &CodeTable, from_spec: Vec<(String, String)>) {
    assert_eq!(entries(table), from_spec, "table {}", table.name);
}

#[test]
fn operations_match_section_3() {
    let spec = spec();
    let lines = section(&spec, "3. Создание чеков");
    let from_spec: Vec<(String, String)> = lines
        .iter()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .filter_map(|l| l.split_once(" - чек "))
        .map(|(op, d)| (op.to_owned(), format!("чек {}", d.trim_end_matches(';').trim_end_matches('.'))))
        .collect();
    assert_eq!(from_spec.len(), 8);
    assert_same(codes::Operation::TABLE, from_spec);
}

fn table_row<'a>(spec: &'a str, starts: &str) -> &'a str {
    spec.lines().find(|l| l.trim_start().starts_with(starts)).unwrap_or_else(|| panic!("row {starts}"))
}

#[test]
fn sno_matches_table_3_2() {
    let spec = spec();
    let row = table_row(&spec, "sno\t");
    let pairs = guillemet_pairs(row);
    assert_eq!(pairs.len(), 6);
    assert_same(codes::Sno::TABLE, pairs);
}

#[test]
fn vat_types_are_the_spec_six_and_the_law_six() {
    let spec = spec();
    let row = spec
        .lines()
        .find(|l| l.contains("Тип налоговой ставки. Параметр может принимать следующие значения: «none»"))
        .unwrap();
    let pairs = guillemet_pairs(row);
    assert_eq!(pairs.len(), 6);
    let ours = entries(codes::VatType::TABLE);
    assert_eq!(ours[..6], pairs[..]);
    let added: Vec<&str> = ours[6..].iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(added, ["vat5", "vat7", "vat105", "vat107", "vat22", "vat122"]);
}

#[test]
fn payment_methods_match_3_1_4() {
    let spec = spec();
    let pairs: Vec<(String, String)> =
        section(&spec, "3.1.4").iter().filter(|l| l.starts_with("- «")).flat_map(|l| guillemet_pairs(l)).collect();
    assert_eq!(pairs.len(), 7);
    // The spec's description runs on after the first sentence.
    let ours = entries(codes::PaymentMethod::TABLE);
    for ((w, d), (sw, sd)) in ours.iter().zip(&pairs) {
        assert_eq!(w, sw);
        assert!(d.starts_with(sd.as_str()) || sd.starts_with(d.as_str()), "{d} / {sd}");
    }
    let full: Vec<String> = section(&spec, "3.1.4")
        .iter()
        .filter_map(|l| l.split_once("» - ").map(|(_, d)| d.trim_end_matches('.').to_owned()))
        .collect();
    assert_eq!(ours.iter().map(|(_, d)| d.clone()).collect::<Vec<_>>(), full);
}

fn numbered(spec: &str, heading: &str, separator: &str) -> Vec<(u32, String)> {
    section(spec, heading)
        .iter()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .filter_map(|l| l.split_once(separator))
        .filter_map(|(n, d)| Some((n.trim().parse().ok()?, d.trim().trim_end_matches([';', '.']).to_owned())))
        .collect()
}

fn numbered_entries(table: &CodeTable) -> Vec<(u32, String)> {
    table.entries.iter().map(|e| (e.number.expect("numbered"), e.description_ru.to_owned())).collect()
}

#[test]
fn payment_objects_match_3_1_5() {
    let from_spec = numbered(&spec(), "3.1.5", " — ");
    assert_eq!(from_spec.len(), 31, "1–27 and 30–33");
    assert_eq!(numbered_entries(codes::PaymentObject::TABLE), from_spec);
    assert_eq!(codes::PaymentObject::parse_any("commodity"), Some(codes::PaymentObject::Commodity));
}

#[test]
fn measures_match_3_1_8() {
    let from_spec = numbered(&spec(), "3.1.8", " - ");
    assert_eq!(from_spec.len(), 24);
    assert_eq!(numbered_entries(codes::Measure::TABLE), from_spec);
}

#[test]
fn federal_ids_match_3_1_7() {
    let from_spec = numbered(&spec(), "3.1.7", " - ");
    assert_eq!(from_spec.len(), 72);
    assert_eq!(numbered_entries(codes::FederalId::TABLE), from_spec);
    for entry in codes::FederalId::TABLE.entries {
        assert_eq!(entry.wire, format!("{:03}", entry.number.unwrap()));
    }
}

#[test]
fn document_codes_match_3_1_6() {
    let spec = spec();
    let from_spec: Vec<(String, u32, String)> = section(&spec, "3.1.6")
        .iter()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .filter_map(|l| {
            let (name, rest) = l.split_once(" (")?;
            let (number, rest) = rest.split_once(", «")?;
            let description = rest.rsplit_once("»)")?.0;
            Some((name.to_owned(), number.parse().ok()?, description.to_owned()))
        })
        .collect();
    assert_eq!(from_spec.len(), 14);
    let ours: Vec<(String, u32, String)> = codes::DocumentCode::TABLE
        .entries
        .iter()
        .map(|e| (e.wire.to_owned(), e.number.unwrap(), e.description_ru.to_owned()))
        .collect();
    assert_eq!(ours, from_spec);
}

#[test]
fn payment_types_match_table_3_2() {
    let spec = spec();
    let row = spec.lines().find(|l| l.contains("Тип оплаты может принимать параметры")).unwrap();
    let pairs = guillemet_pairs(row);
    // «0»…«4» with their texts, then «5» – «9» "расширенные виды оплаты".
    let ours = entries(codes::PaymentType::TABLE);
    assert_eq!(ours.len(), 10);
    assert_eq!(ours[..5], pairs[..5]);
    assert!(row.contains("«5» – «9» – расширенные виды оплаты"));
    assert!(ours[5..].iter().all(|(_, d)| d == "расширенный вид оплаты"));
}

#[test]
fn agent_types_match_table_3_4() {
    let spec = spec();
    let pairs: Vec<(String, String)> = section(&spec, "3.1.2")
        .iter()
        .filter(|l| l.trim_start().starts_with("\t\t\t«") || l.trim_start().starts_with('«'))
        .flat_map(|l| guillemet_pairs(l))
        .collect();
    assert_eq!(pairs.len(), 7);
    assert_same(codes::AgentType::TABLE, pairs);
}

#[test]
fn correction_types_match_table_3_2() {
    let spec = spec();
    let row = table_row(&spec, "correction_info\t\ttype");
    assert_same(codes::CorrectionType::TABLE, guillemet_pairs(row));
}

#[test]
fn error_codes_match_table_5_1() {
    let spec = spec();
    let rows: Vec<(u32, String, String)> = section(&spec, "5. Описание ошибок")
        .iter()
        .filter_map(|l| {
            let mut cells = l.split('\t');
            let name = cells.next()?;
            let code = cells.next()?.parse().ok()?;
            Some((code, name.to_owned(), cells.next()?.to_owned()))
        })
        .collect();
    assert_eq!(rows.len(), 11);
    for (code, name, description) in rows {
        let ours = codes::FermaErrorCode::from_number(code).unwrap_or_else(|| panic!("{code}"));
        assert_eq!(ours.symbol(), Some(name.as_str()));
        assert_eq!(ours.description_ru(), description);
        assert_eq!(codes::FermaErrorCode::parse_any(&name), Some(ours));
    }
    for (code, text) in [(12, "Неверный логин или пароль"), (34, "Состояние чека не найдено. Попробуйте позднее")]
    {
        assert!(spec.contains(&format!("\"code\": {code},")));
        assert!(spec.contains(text));
        assert_eq!(codes::FermaErrorCode::from_number(code).unwrap().description_ru(), text);
    }
    assert!(codes::FermaErrorCode::from_number(30).is_some());
}

#[test]
fn kkt_states_and_tariffs_match_7_1_and_7_2() {
    let spec = spec();
    let states: Vec<(String, String)> =
        section(&spec, "7.1.").iter().filter(|l| l.starts_with("- «")).flat_map(|l| guillemet_pairs(l)).collect();
    assert_eq!(states.len(), 9);
    assert_same(codes::KktState::TABLE, states);
    let tariffs: Vec<(String, String)> =
        section(&spec, "7.2.").iter().filter(|l| l.starts_with("- «")).flat_map(|l| guillemet_pairs(l)).collect();
    assert_eq!(tariffs.len(), 3);
    assert_same(codes::TariffType::TABLE, tariffs);
}

#[test]
fn every_table_is_listed_once_and_consistent() {
    let tables = codes::tables();
    for (i, t) in tables.iter().enumerate() {
        assert!(tables[i + 1..].iter().all(|o| o.name != t.name), "{} twice", t.name);
        assert_eq!(codes::table(t.name).map(|x| x.name), Some(t.name));
        for (j, e) in t.entries.iter().enumerate() {
            // No two entries share a spelling or a number.
            for o in &t.entries[j + 1..] {
                assert_ne!(e.wire, o.wire, "{}", t.name);
                assert!(e.number.is_none() || e.number != o.number, "{}: {}", t.name, e.wire);
                assert!(!o.aliases.contains(&e.wire) && !e.aliases.iter().any(|a| o.aliases.contains(a)));
            }
            assert!(!e.description_ru.is_empty());
            assert_eq!(t.lookup(e.wire).map(|x| x.name), Some(e.name));
        }
    }
}

fn registration_spec() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ofd-kkt-registration-api.ru.txt");
    std::fs::read_to_string(path).expect("the spec is in the repository")
}

/// The `Value — description` items (the PDF's bullets became U+F0B7) that
/// follow the line containing `heading`, joined across the PDF's line breaks.
fn bulleted(spec: &str, heading: &str) -> Vec<(String, String)> {
    let start = spec.find(heading).unwrap_or_else(|| panic!("{heading}"));
    let rest = &spec[start + heading.len()..];
    let mut items = Vec::new();
    for chunk in rest.split('\u{f0b7}').skip(1) {
        // The item runs until a line that opens the next section (a numbered
        // heading or the next request's text), which also ends the list.
        let mut lines = Vec::new();
        let mut last = false;
        for line in chunk.lines() {
            let t = line.trim();
            let numbered = t
                .split(' ')
                .next()
                .is_some_and(|w| w.contains('.') && w.chars().all(|c| c.is_ascii_digit() || c == '.') && w.len() > 2);
            if numbered || t.starts_with("Приложение") || t.starts_with("Вид запроса") {
                last = true;
                break;
            }
            lines.push(t);
        }
        let text = lines.join(" ").split_whitespace().collect::<Vec<_>>().join(" ").replace("- ", "-");
        let Some((value, description)) = text.split_once(" — ") else { break };
        items.push((
            value.trim_matches('"').to_owned(),
            description.trim().trim_end_matches(['.', ';']).trim().to_owned(),
        ));
        if last {
            break;
        }
    }
    items
}

#[test]
fn registration_tables_match_the_spec() {
    let spec = registration_spec();
    let cases: [(&CodeTable, &str, usize); 5] = [
        (codes::ApplicationStatus::TABLE, "2.1.1 Возможные статусы заявки", 9),
        (codes::CompanyType::TABLE, "2.1.2 Возможные значения поля", 2),
        (codes::ApplicationStage::TABLE, "2.1.3 Возможные этапы обработки заявки", 2),
        (codes::DocumentKind::TABLE, "2.3.2 Виды документов", 7),
        (codes::SignatureState::TABLE, "2.3.3 Возможные состояния цифровой подписи", 3),
    ];
    for (table, heading, count) in cases {
        let from_spec = bulleted(&spec, heading);
        assert_eq!(from_spec.len(), count, "{heading}: {from_spec:?}");
        assert_same(table, from_spec);
    }
}

#[test]
fn purposes_accept_both_spellings_and_write_table_1s() {
    let spec = registration_spec();
    let from_2_1_4 = bulleted(&spec, "2.1.4 Возможные значения поля");
    let wires: Vec<&str> = from_2_1_4.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(wires, ["InitialRegistration", "ReRegistration", "UnRegistration"]);
    for (wire, _) in &from_2_1_4 {
        assert!(codes::ApplicationPurpose::parse_any(wire).is_some(), "{wire}");
    }
    let table_1 = ["InitialRegistration", "Reregistration", "Unregistration"];
    assert!(table_1.iter().all(|w| spec.contains(&format!(" {w} — "))));
    let ours: Vec<&str> = codes::ApplicationPurpose::TABLE.entries.iter().map(|e| e.wire).collect();
    assert_eq!(ours, table_1);
}

#[test]
fn registration_errors_match_the_spec() {
    let spec = registration_spec();
    let mut from_spec: Vec<(String, String)> = Vec::new();
    for heading in
        ["2.1.5 Возможные ошибки", "2.2.1 Возможные ошибки", "2.3.1 Возможные ошибки", "2.5.2 Возможные ошибки"]
    {
        for (value, description) in bulleted(&spec, heading) {
            if !value.starts_with("Missing_") {
                from_spec.push((value, description));
            }
        }
    }
    for (value, description) in &from_spec {
        let ours = codes::ApplicationError::from_wire(value).unwrap_or_else(|| panic!("{value}"));
        assert!(ours.description_ru().to_lowercase().contains(&description.to_lowercase()), "{value}: {description}");
    }
    let distinct: std::collections::BTreeSet<&str> = from_spec.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(distinct.len(), codes::ApplicationError::ALL.len());
    assert!(spec.contains("Missing_... — в заявке не указаны обязательные данные"));
    for (value, description) in [
        ("ValidationError", "Введенные данные непригодны к использованию"),
        ("AccessDenied", "Нет прав доступа"),
        ("AgreementNotFound", "Не найден ЛК"),
        ("InternalError", "Непредвиденная ошибка"),
    ] {
        assert!(spec.contains(&format!("{value} {description}")), "{value}");
        assert_eq!(codes::PartnerError::from_wire(value).map(|e| e.description_ru()), Some(description));
    }
    assert_eq!(codes::PartnerError::ALL.len(), 4);
}

/// A code is read by value when it is a JSON number (1, 1.0 and 1e0 are
/// one number, as JSON Schema's `integer` says) and by its plain digits when
/// it is text: no table gives `01` or `+1`. Either way the table's own form
/// goes out.
#[test]
fn a_code_number_is_read_by_value_and_its_text_by_plain_digits() {
    let receipt =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/receipt.json")).unwrap();
    for (measure, accepted) in [
        ("0.0", true),
        ("-0", true),
        ("0e0", true),
        ("\"0\"", true),
        ("0.5", false),
        ("\"00\"", false),
        ("\"+0\"", false),
        ("\"0.0\"", false),
    ] {
        let json = receipt.replacen("\"measure\": 0,", &format!("\"measure\": {measure},"), 1);
        assert_ne!(json, receipt);
        let violations = ofdkit::ferma::validate_receipt_json(json.as_bytes(), codes::Operation::Sell).unwrap();
        let refused = violations.errors().any(|v| v.path == "receipt.items[0].measure");
        assert_eq!(!refused, accepted, "measure {measure}: {violations:?}");
    }
    let payment = receipt.replacen("\"type\": 1,", "\"type\": 1.0,", 1);
    let wire = ofdkit::ferma::prepare_receipt(payment.as_bytes(), codes::Operation::Sell)
        .unwrap()
        .value
        .to_wire_json()
        .unwrap();
    assert!(wire.contains(r#""payments":[{"type":1,"#), "{wire}");
}

/// A code's length on the wire is counted as its characters and two
/// quotes (`WireLength`), which holds only while no wire form needs an
/// escape.
#[test]
fn wire_forms_need_no_escape() {
    for table in codes::tables() {
        for entry in table.entries {
            let plain = entry.wire.chars().all(|c| c >= ' ' && c != '"' && c != '\\');
            assert!(plain, "{}: {:?}", table.name, entry.wire);
        }
    }
}
