//! Rules that span several fields of a receipt: totals, VAT sums, pairs of
//! fields, operation-dependent fields and the rules for receipts Ferma splits.

use crate::catalog;
use crate::codes::{CorrectionType, PaymentObject, VatType};
use crate::context::Context;
use crate::money::Amount;
use crate::vat::vat_of;

use super::item::vat_mismatch;
use super::receipt::{CorrectionInfo, Receipt};

/// Above this many characters Ferma splits a receipt into several (§3.2).
pub const SPLIT_THRESHOLD_CHARS: usize = 20_000;

pub(crate) fn receipt_rules(receipt: &Receipt, cx: &mut Context) {
    client_contact(receipt, cx);
    correction_info_presence(receipt, cx);
    agent_supplier_pair(receipt.agent_info.is_some(), receipt.supplier_info.is_some(), cx);
    totals(receipt, cx);
    vat_sums(receipt, cx);
    split(receipt, cx);
}

/// Footnotes 4 and 5 require email or phone; the phone row says that
/// without both the receipt goes to the email registered in Ferma, so the
/// spec leaves it open: a warning.
fn client_contact(receipt: &Receipt, cx: &mut Context) {
    let has_contact = receipt.client.as_ref().is_some_and(|c| c.email.is_some() || c.phone.is_some());
    if !has_contact && cx.is_clean("client") {
        cx.at("client", |cx| {
            cx.violate(
                catalog::NO_CLIENT_CONTACT,
                "has neither email nor phone: Ferma sends the receipt to the email registered in Ferma, not to the buyer (table 3.2, footnotes 4–5)",
                "не содержит ни email, ни phone: Ferma отправит чек на адрес, указанный при регистрации в Ferma, а не покупателю (табл. 3.2, сноски 4–5)",
            )
        });
    }
}

/// Footnote 13: correction_info belongs to correction receipts.
fn correction_info_presence(receipt: &Receipt, cx: &mut Context) {
    let Some(correction) = cx.facts.correction_document else { return };
    match (correction, receipt.correction_info.is_some()) {
        (true, false) if cx.is_clean("correction_info") => cx.at("correction_info", |cx| {
            cx.required_because(
                catalog::CORRECTION_INFO_REQUIRED,
                "in a correction (table 3.2, footnote 13; FFD tags 1173 and 1178)",
                "в чеке коррекции (табл. 3.2, сноска 13; теги ФФД 1173 и 1178)",
            )
        }),
        (false, true) => cx.at("correction_info", |cx| {
            cx.violate(
                catalog::CORRECTION_INFO_OUTSIDE_CORRECTION,
                "belongs to the four correction operations (table 3.2, footnote 13); what Ferma does with it here is not documented",
                "относится к четырём операциям коррекции (табл. 3.2, сноска 13); что Ferma сделает с ним в этом чеке, не описано",
            )
        }),
        _ => {}
    }
}

pub(crate) fn correction_info_rules(info: &CorrectionInfo, cx: &mut Context) {
    // Tag 1179 (FFD): the instruction's number is needed when the correction
    // is made on the tax authority's instruction.
    if info.correction_type == CorrectionType::Instruction && info.base_number.is_none() {
        cx.at("base_number", |cx| {
            cx.required_because(
                catalog::CORRECTION_BASE_NUMBER_REQUIRED,
                "for a correction by instruction: the number of the tax authority's instruction (tag 1179)",
                "для коррекции по предписанию: номер предписания налогового органа (тег 1179)",
            )
        });
    }
}

/// The schema's side of [`agent_supplier_pair`]: each of the two requires
/// the other (footnotes 14–15, 21–22).
pub(crate) fn agent_supplier_schema(schema: &mut serde_json::Value) {
    if let serde_json::Value::Object(map) = schema {
        map.insert(
            "dependentRequired".to_owned(),
            serde_json::json!({ "agent_info": ["supplier_info"], "supplier_info": ["agent_info"] }),
        );
    }
}

/// Footnotes 14, 15, 21 and 22: agent_info and supplier_info come together.
pub(crate) fn agent_supplier_pair(agent: bool, supplier: bool, cx: &mut Context) {
    let (missing, present) = match (agent, supplier) {
        (true, false) => ("supplier_info", "agent_info"),
        (false, true) => ("agent_info", "supplier_info"),
        _ => return,
    };
    if cx.is_clean(present) {
        cx.at(missing, |cx| {
            cx.required_because(
                catalog::AGENT_SUPPLIER_PAIR,
                &format!("when {present} is given (table 3.2, footnotes 14–15)"),
                &format!("при наличии {present} (табл. 3.2, сноски 14–15)"),
            )
        });
    }
}

fn kopecks(amounts: impl Iterator<Item = Amount>) -> i64 {
    amounts.map(Amount::kopecks).sum()
}

fn show(kopecks: i64) -> String {
    format!("{}.{:02}", kopecks / 100, kopecks % 100)
}

/// Table 3.2: the total is the sum of the items, and the payments pay it.
fn totals(receipt: &Receipt, cx: &mut Context) {
    let items_clean = cx.is_clean("items");
    let items = kopecks(receipt.items.iter().map(|i| i.sum));
    let paid = kopecks(receipt.payments.iter().map(|p| p.sum));
    let payments_clean = cx.is_clean("payments") && !receipt.payments.is_empty();
    match receipt.total {
        None => {
            if cx.is_clean("total") {
                cx.at("total", |cx| {
                    cx.required_because(catalog::TOTAL_REQUIRED, "(table 3.2, tag 1020)", "(табл. 3.2, тег 1020)")
                });
            }
            if items_clean && payments_clean && paid != items {
                payments_mismatch(cx, paid, items, "the items");
            }
        }
        Some(total) if cx.is_clean("total") => {
            let total = total.kopecks();
            if items_clean && items != total {
                cx.at("total", |cx| {
                    cx.violate(
                        catalog::TOTAL_MATCHES_ITEMS,
                        format!("is {} but the items add up to {}", show(total), show(items)),
                        format!("равно {}, а сумма позиций {}", show(total), show(items)),
                    )
                });
            }
            if payments_clean && paid != total {
                payments_mismatch(cx, paid, total, "the total");
            }
        }
        Some(_) => {}
    }
}

fn payments_mismatch(cx: &mut Context, paid: i64, due: i64, what: &str) {
    let what_ru = if what == "the total" { "итог чека" } else { "сумма позиций" };
    cx.at("payments", |cx| {
        cx.violate(
            catalog::PAYMENTS_MATCH_TOTAL,
            format!("add up to {} but {what} is {}", show(paid), show(due)),
            format!("в сумме {}, а {what_ru} {}", show(paid), show(due)),
        )
    });
}

/// Table 3.3 (`vat`): each item's VAT sum or the receipt's `vats` must be
/// given; when both are, Ferma uses `vats`. Whether the sums match their
/// rates the spec leaves open: warnings with the expected values.
fn vat_sums(receipt: &Receipt, cx: &mut Context) {
    let Some(vats) = &receipt.vats else {
        for (i, item) in receipt.items.iter().enumerate() {
            // `none` carries no tax, so it has no sum to give.
            if item.vat.sum.is_none() && item.vat.vat_type != VatType::None {
                cx.at("items", |cx| {
                    cx.at_index(i, |cx| {
                        if cx.is_clean("vat") {
                            cx.at("vat", |cx| {
                                cx.at("sum", |cx| {
                                    cx.required_because(
                                        catalog::ITEM_VAT_SUM_REQUIRED,
                                        "unless the receipt gives vats (table 3.3, vat)",
                                        "если в чеке не передан vats (табл. 3.3, vat)",
                                    )
                                })
                            })
                        }
                    })
                });
            }
        }
        return;
    };
    if !cx.is_clean("vats") {
        return;
    }
    cx.at("vats", |cx| {
        for (i, vat) in vats.iter().enumerate() {
            if vats[..i].iter().any(|v| v.vat_type == vat.vat_type) {
                cx.at_index(i, |cx| {
                    cx.at("type", |cx| {
                        cx.violate(
                            catalog::VATS_RATE_DUPLICATE,
                            format!(
                                "{} appears more than once in vats; which sum Ferma keeps is not documented",
                                vat.vat_type
                            ),
                            format!(
                                "ставка {} указана в vats несколько раз; какую сумму учтёт Ferma, не описано",
                                vat.vat_type
                            ),
                        )
                    })
                });
            }
        }
    });
    if !cx.is_clean("items") {
        return;
    }
    cx.at("vats", |cx| {
        for (i, vat) in vats.iter().enumerate() {
            let items: Vec<Amount> =
                receipt.items.iter().filter(|it| it.vat.vat_type == vat.vat_type).map(|it| it.sum).collect();
            if items.is_empty() {
                cx.at_index(i, |cx| {
                    cx.violate(
                        catalog::VATS_RATE_WITHOUT_ITEMS,
                        format!("no item has the rate {}", vat.vat_type),
                        format!("ни одна позиция не имеет ставки {}", vat.vat_type),
                    )
                });
                continue;
            }
            // Per item and rounded, or on the rate's whole base: both are in use.
            let per_item = kopecks(items.iter().map(|s| vat_of(*s, vat.vat_type)));
            let base = kopecks(items.iter().copied());
            let on_base = Amount::from_kopecks(base).map(|b| vat_of(b, vat.vat_type).kopecks());
            if vat.sum.kopecks() != per_item && on_base != Ok(vat.sum.kopecks()) {
                let expected = Amount::from_kopecks(per_item).unwrap_or(Amount::MAX);
                let base = Amount::from_kopecks(base).unwrap_or(Amount::MAX);
                cx.at_index(i, |cx| {
                    cx.at("sum", |cx| vat_mismatch(cx, catalog::VATS_SUM_MATCHES_RATE, vat.sum, expected, vat.vat_type, base))
                });
            }
        }
        let mut missing: Vec<VatType> = Vec::new();
        for item in &receipt.items {
            let t = item.vat.vat_type;
            let taxed = !matches!(t, VatType::None | VatType::Vat0);
            if taxed && !vats.iter().any(|v| v.vat_type == t) && !missing.contains(&t) {
                missing.push(t);
            }
        }
        for t in missing {
            cx.violate(
                catalog::VATS_RATE_MISSING,
                format!("has no sum for the rate {t} that items use; Ferma takes the receipt's vats over the items' VAT sums (table 3.3)"),
                format!("не содержит суммы по ставке {t}, которая есть у позиций; Ferma учитывает vats чека, а не НДС позиций (табл. 3.3)"),
            );
        }
    });
}

/// §3.2: above 20 000 characters Ferma splits the receipt; then every item
/// needs the same payment_object and agent_info may only be on items.
fn split(receipt: &Receipt, cx: &mut Context) {
    let Some(chars) = cx.facts.wire_chars else { return };
    if chars <= SPLIT_THRESHOLD_CHARS {
        return;
    }
    cx.violate(
        catalog::SPLIT_WILL_HAPPEN,
        format!("the request is {chars} characters long, over 20 000: Ferma will split it into several receipts, possibly on different cashboxes, if splitting is enabled for you (§3.2)"),
        format!("длина запроса {chars} символов, больше 20 000: Ferma разделит его на несколько чеков, возможно на разных кассах, если механика включена (§3.2)"),
    );
    if cx.is_clean("items") {
        let first: Option<PaymentObject> = receipt.items.first().map(|i| i.payment_object);
        if let Some(first) = first {
            if let Some(i) = receipt.items.iter().position(|it| it.payment_object != first) {
                cx.at("items", |cx| {
                    cx.at_index(i, |cx| {
                        cx.at("payment_object", |cx| {
                            cx.violate(
                                catalog::SPLIT_SAME_PAYMENT_OBJECT,
                                format!("differs from items[0] ({first}): in a receipt Ferma splits every item must have the same payment_object (§3.2)"),
                                format!("отличается от items[0] ({first}): в чеке, который Ferma делит, у всех позиций должен быть одинаковый payment_object (§3.2)"),
                            )
                        })
                    })
                });
            }
        }
    }
    if receipt.agent_info.is_some() {
        cx.at("agent_info", |cx| {
            cx.violate(
                catalog::SPLIT_AGENT_INFO_ON_ITEMS,
                "must be given on items, not on the receipt, in a receipt Ferma splits (§3.2)",
                "в чеке, который Ferma делит, передаётся только в позициях, а не в чеке (§3.2)",
            )
        });
    }
}
