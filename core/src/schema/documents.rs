//! The schema files: one per document kind, each a complete JSON Schema
//! with the models it uses under `$defs`, and the schemas of the types
//! whose reader is written by hand.

use serde_json::{json, Map, Value};

use super::{code_schema, portable_pattern, Describe, SchemaGenerator};
use crate::codes::Code;
use crate::ferma::{
    CashboxStats, CreateResponse, DocumentKey, ErrorBody, Receipt, ReceiptRequest, Report, Service, TokenRequest,
    TokenResponse,
};
use crate::json::Number;
use crate::ofd::{
    ApplicationRequest, ApplicationResponse, ApplicationUpdate, Applications, InstallmentPlace, PartnerRegistration,
    PartnerResponse, SignRequest,
};

/// One generated schema file.
#[derive(Debug)]
pub struct DocumentSchema {
    /// The file's name under `schema/` (`ferma-receipt-request.json`).
    pub file: &'static str,
    /// The schema's title.
    pub title: &'static str,
    /// Whether it describes a request ofdkit checks (the schema agreement
    /// test holds these to the core's verdicts) or an answer it reads.
    pub request: bool,
    /// The schema.
    pub schema: Value,
}

const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";
const BASE: &str = "https://github.com/ofdkit/ofdkit/schema/";

fn document<T: Describe>(file: &'static str, title: &'static str, description: &str, request: bool) -> DocumentSchema {
    let mut gen = SchemaGenerator::new();
    let root = T::schema(&mut gen);
    finish(file, title, description, request, root, gen)
}

fn finish(
    file: &'static str,
    title: &'static str,
    description: &str,
    request: bool,
    root: Value,
    gen: SchemaGenerator,
) -> DocumentSchema {
    let mut out = Map::new();
    out.insert("$schema".to_owned(), json!(DIALECT));
    out.insert("$id".to_owned(), json!(format!("{BASE}{file}")));
    out.insert("title".to_owned(), json!(title));
    out.insert("description".to_owned(), json!(description));
    if let Value::Object(root) = root {
        out.extend(root);
    }
    let defs: Map<String, Value> = gen.into_defs().into_iter().collect();
    out.insert("$defs".to_owned(), Value::Object(defs));
    DocumentSchema { file, title, request, schema: Value::Object(out) }
}

/// A receipt request. The document travels under `receipt` or
/// `correction`, exactly one of them; the core reads a document under the
/// other member than its operation's with a warning and sends it under the
/// right one, so both schemas take either. The correction schema also
/// requires `correction_info` (footnote 13).
fn receipt_request(member: DocumentKey, gen: &mut SchemaGenerator) -> Value {
    let mut document = gen.of::<Receipt>();
    if member == DocumentKey::Correction {
        document = json!({ "allOf": [document, { "required": ["correction_info"] }] });
    }
    let service = gen.of::<Service>();
    let timestamp = gen.of::<crate::datetime::DateTime>();
    let one = |key: &str, other: &str| json!({ "required": [key], "properties": { key: { "type": "object" }, other: { "type": "null" } } });
    json!({
        "type": "object",
        "properties": {
            "timestamp": {
                "anyOf": [timestamp, { "type": "null" }],
                "description": "When the external system processed the document (table 3.2)."
            },
            "external_id": {
                "type": "string",
                "pattern": portable_pattern(r"\S"),
                "description": "The document's identifier, unique in the cashbox group: Ferma refuses a second request with a known one (table 3.2)."
            },
            "service": { "anyOf": [service, { "type": "null" }] },
            "receipt": { "anyOf": [document.clone(), { "type": "null" }], "description": "The document of sell, sell_refund, buy and buy_refund (§3)." },
            "correction": { "anyOf": [document, { "type": "null" }], "description": "The document of the four correction operations (§3)." },
        },
        "required": ["external_id"],
        // One document per request (§3).
        "anyOf": [one("receipt", "correction"), one("correction", "receipt")],
        "additionalProperties": true
    })
}

impl Describe for ReceiptRequest {
    fn schema(gen: &mut SchemaGenerator) -> Value {
        receipt_request(DocumentKey::Receipt, gen)
    }
}

/// Every schema file, requests first.
pub fn document_schemas() -> Vec<DocumentSchema> {
    let mut gen = SchemaGenerator::new();
    let receipt = receipt_request(DocumentKey::Receipt, &mut gen);
    let receipt = finish(
        "ferma-receipt-request.json",
        "Ferma receipt request",
        "The body POSTed to /possystem/v1/{group_code}/{operation} for sell, sell_refund, buy and buy_refund (ferma-api §3, tables 3.2–3.4).",
        true,
        receipt,
        gen,
    );
    let mut gen = SchemaGenerator::new();
    let correction = receipt_request(DocumentKey::Correction, &mut gen);
    let correction = finish(
        "ferma-correction-request.json",
        "Ferma correction request",
        "The body POSTed for the four correction operations: the document under \"correction\", with correction_info (ferma-api §3, table 3.2, footnote 13).",
        true,
        correction,
        gen,
    );
    vec![
        receipt,
        correction,
        document::<ApplicationRequest>(
            "ofd-application-request.json",
            "KKT registration application",
            "The body of POST api/kkt/application (registration spec §2.1, table 1). What §2.5.1 needs before documents depends on the check level and is the core's to say.",
            true,
        ),
        document::<ApplicationUpdate>(
            "ofd-application-update.json",
            "KKT registration application update",
            "The body of PUT api/kkt/application/{id} (§2.2, table 3).",
            true,
        ),
        document::<SignRequest>(
            "ofd-sign-request.json",
            "Document signature",
            "The body of POST api/kkt/application/{id}/sign (§2.6, table 7).",
            true,
        ),
        document::<PartnerRegistration>(
            "ofd-partner-registration.json",
            "Partner registration of a new client",
            "The body of POST api/partner/v2/kkt/application (appendix 1, table П1.1).",
            true,
        ),
        document::<TokenRequest>(
            "ferma-token-request.json",
            "Ferma token request",
            "The body of POST /possystem/v1/getToken (§2).",
            true,
        ),
        document::<TokenResponse>(
            "ferma-token-response.json",
            "Ferma token answer",
            "Ferma's answer to getToken (§2).",
            false,
        ),
        document::<CreateResponse>(
            "ferma-create-response.json",
            "Ferma receipt answer",
            "Ferma's answer to a receipt request, one uuid or several for a split receipt (§3.1.3, §3.2).",
            false,
        ),
        document::<Report>(
            "ferma-report.json",
            "Ferma report",
            "Ferma's report of a document, also what it POSTs to callback_url (§4, tables 4.1–4.2).",
            false,
        ),
        document::<CashboxStats>(
            "ferma-cashbox-stats.json",
            "Ferma cashbox statistics",
            "Ferma's cashbox monitoring answer (§7).",
            false,
        ),
        document::<ApplicationResponse>(
            "ofd-application-response.json",
            "KKT registration application answer",
            "The registration API's answer carrying an application or a list of them (§§2.1–2.6, tables 2, 5, 6, 8).",
            false,
        ),
        document::<PartnerResponse>(
            "ofd-partner-response.json",
            "Partner registration answer",
            "The answer to a partner registration (appendix 1).",
            false,
        ),
    ]
}

impl Describe for ErrorBody {
    fn schema(gen: &mut SchemaGenerator) -> Value {
        let source = crate::codes::ErrorSource::schema(gen);
        gen.model("ErrorBody", |_| {
            json!({
                "description": "An error in an answer (§2, tables 3.5 and 4.2); table 4.1 calls it a string, so text is read as its text.",
                "anyOf": [
                    { "type": "string" },
                    {
                        "type": "object",
                        "properties": {
                            "error_id": { "type": ["string", "null"] },
                            "code": { "type": ["integer", "null"] },
                            "text": { "type": ["string", "null"] },
                            "type": { "anyOf": [source, {}] }
                        },
                        "additionalProperties": true
                    }
                ]
            })
        })
    }
}

impl Describe for Number<'static> {
    fn schema(_: &mut SchemaGenerator) -> Value {
        json!({ "type": ["number", "string"], "description": "A number, exactly as sent." })
    }
}

impl<C: Code> Describe for crate::codes::Lenient<C> {
    fn schema(_: &mut SchemaGenerator) -> Value {
        // An answer may carry a value newer than the spec: it is kept as sent.
        json!({ "anyOf": [code_schema::<C>(), {}] })
    }
}

impl Describe for InstallmentPlace {
    fn schema(gen: &mut SchemaGenerator) -> Value {
        gen.model("InstallmentPlace", |_| {
            json!({
                "description": "Where the KKT is installed (table 1): its name as text (a site's address online, a vehicle for delivery trade), or an object with Name and FiasCode.",
                "anyOf": [
                    { "type": "string", "pattern": portable_pattern(r"\S") },
                    {
                        "type": "object",
                        "properties": {
                            "Name": { "anyOf": [{ "type": "string", "pattern": portable_pattern(r"\S") }, { "type": "null" }] },
                            "FiasCode": {
                                "anyOf": [
                                    { "type": "string", "pattern": portable_pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$") },
                                    { "type": "null" }
                                ]
                            }
                        },
                        "additionalProperties": true
                    }
                ]
            })
        })
    }
}

impl Describe for Applications {
    fn schema(gen: &mut SchemaGenerator) -> Value {
        let application = gen.of::<crate::ofd::Application>();
        json!({ "anyOf": [{ "type": "array", "items": application }, application] })
    }
}
