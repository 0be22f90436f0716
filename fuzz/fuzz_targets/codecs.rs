#![no_main]
//! Every reader of untrusted bytes, fed the same input: none may panic.

use libfuzzer_sys::fuzz_target;
use ofdkit::codes::{Code, Operation};
use ofdkit::ofd::ApplicationCheck;
use ofdkit::protocol::{self, HttpResponse};

fuzz_target!(|data: &[u8]| {
    let _ = ofdkit::json::parse_bytes(data);
    let operation = Operation::ALL[data.first().map_or(0, |b| *b as usize % Operation::ALL.len())];
    let _ = ofdkit::ferma::validate_receipt_json(data, operation);
    let _ = ofdkit::ferma::normalize_receipt_json(data, operation);
    let response = HttpResponse::new(200, data.to_vec());
    let _ = protocol::parse_token_response(&response);
    let _ = protocol::parse_create_response(&response);
    let _ = protocol::parse_report(&response);
    let _ = protocol::parse_cashbox_stats(&response);
    let check = [ApplicationCheck::Draft, ApplicationCheck::Complete, ApplicationCheck::Secondary][data.len() % 3];
    let _ = ofdkit::ofd::validate_application_json(data, check);
    let _ = ofdkit::ofd::validate_update_json(data, check);
    let _ = ofdkit::ofd::validate_partner_registration_json(data);
    let _ = protocol::parse_application(&response);
    let _ = protocol::parse_application_list(&response);
    let _ = protocol::parse_document(&response);
    let _ = protocol::parse_partner_response(&response);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ofdkit::parse_decimal(text);
        let _ = ofdkit::datetime::DateTime::parse_lenient(text);
        let _ = ofdkit::datetime::IsoDateTime::parse_lenient(text);
        let _ = ofdkit::rules::is_callback_url(text);
        let _ = ofdkit::rules::is_email(text);
    }
});
