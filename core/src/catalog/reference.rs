//! `docs/rules.md`, written from the catalog so that it cannot drift.

use std::fmt::Write;

use super::{all, Api, Rule};
use crate::violation::Severity;

/// The rules reference as Markdown: the severity policy, a summary table,
/// then every rule with its fields, what it checks and its source.
pub fn rules_reference_markdown() -> String {
    let mut out = String::new();
    out.push_str(
        "# Rules reference\n\n\
         <!-- Generated from core/src/catalog by `scripts/generate`; CI fails when it drifts. Do not edit. -->\n\n\
         Every violation ofdkit reports names one of these rules in its `rule` member. Search for the id \
         (`client_phone_format`) to find the rule here, and in capitals (`CLIENT_PHONE_FORMAT`) to find \
         the code that defines and reports it.\n\n\
         ## Severity policy\n\n\
         A rule is an **error** only where the spec, or the law and FFD tag it cites, makes the request \
         fail, or where the value is certainly wrong in the domain (a failing check digit, an all-zero \
         INN, a fiscal drive number that is not 16 digits). Where the spec is silent, or says the server \
         merely skips something (delivery to the buyer, the callback), it is a **warning**. The client \
         refuses to send a request with an error, so a false error would block a real sale. A rule \
         stricter than the spec's own words says why. The *strict* setting of every binding (Rust \
         `Strictness::Strict`, `ofdkit validate --strict`, C `OFDKIT_STRICT`, Python `strict=True`, \
         JavaScript `{ strict: true }`) turns every warning into an error.\n\n\
         \"FFD\" is the fiscal data format of приказ ФНС от 14.09.2020 № ЕД-7-20/662@, which Ferma's \
         table 3.1 cites. In field paths `receipt` also stands for `correction`, and `[]` for every \
         element.\n\n",
    );
    let sections = [
        (Api::Both, "Rules of the reader and of both APIs"),
        (Api::Ferma, "Ferma receipts API"),
        (Api::Registration, "KKT registration API"),
    ];
    let errors = all().filter(|r| r.is_error()).count();
    let _ = writeln!(out, "{} rules: {errors} errors, {} warnings.\n", all().count(), all().count() - errors);
    out.push_str("| rule | severity | code | API |\n| --- | --- | --- | --- |\n");
    for (api, _) in sections {
        for rule in all().filter(|r| r.api == api) {
            let _ = writeln!(
                out,
                "| [`{id}`](#{id}) | {} | `{}` | {} |",
                severity(rule),
                rule.code,
                api.as_str(),
                id = rule.id
            );
        }
    }
    for (api, title) in sections {
        let _ = write!(out, "\n## {title}\n");
        for rule in all().filter(|r| r.api == api) {
            write_rule(&mut out, rule);
        }
    }
    out
}

fn severity(rule: &Rule) -> &'static str {
    match rule.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn write_rule(out: &mut String, rule: &Rule) {
    let _ = write!(
        out,
        "\n### {id}\n\n**{}** · code `{}`\n\n- **Fields:** {}\n- **Checks:** {}\n- **Source:** {}\n",
        severity(rule),
        rule.code,
        rule.fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "),
        rule.checks,
        rule.source,
        id = rule.id,
    );
    if let Some(why) = rule.stricter {
        let _ = writeln!(out, "- **Stricter than the spec:** {why}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_rule_once_with_its_source() {
        let doc = rules_reference_markdown();
        for rule in all() {
            assert_eq!(doc.matches(&format!("\n### {}\n", rule.id)).count(), 1, "{}", rule.id);
            assert!(doc.contains(rule.source), "{}", rule.id);
        }
    }
}
