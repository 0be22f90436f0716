//! `/sandbox/…`: the controls for tests written in any language. They are
//! never caught by injected faults.

use std::time::Duration;

use serde_json::{json, Value};

use crate::config::{TokenTimestamp, MAX_DELAY, MAX_TOKEN_TTL};
use crate::faults::{Fault, FaultKind, FAULT_SYNTAX};
use crate::ferma::FermaState;
use crate::http::{Reply, Request};
use crate::ofd::OfdState;
use crate::{State, Stats};

pub(crate) fn handle(state: &State, request: &Request, rest: &[String]) -> Reply {
    match (request.method.as_str(), rest.first().map(String::as_str)) {
        ("GET", Some("stats")) => {
            let most = state.ferma().registrations().values().copied().max().unwrap_or(0);
            Reply::json(200, stats_json(&state.stats(), most).to_string())
        }
        ("GET", Some("faults")) => {
            let examples: Vec<Value> = FaultKind::examples().iter().map(FaultKind::to_json).collect();
            Reply::json(200, json!({"kinds": FaultKind::ALL_NAMES, "examples": examples}).to_string())
        }
        ("POST", Some("faults")) => {
            match serde_json::from_slice::<Value>(&request.body).ok().and_then(|v| Fault::from_json(&v)) {
                Some(fault) => {
                    state.faults().push(fault);
                    Reply::json(200, r#"{"ok":true}"#)
                }
                None => Reply::json(400, json!({"error": FAULT_SYNTAX, "kinds": FaultKind::ALL_NAMES}).to_string()),
            }
        }
        ("POST", Some("config")) => match serde_json::from_slice::<Value>(&request.body) {
            Ok(Value::Object(changes)) => match configure(state, &changes) {
                Ok(()) => Reply::json(200, r#"{"ok":true}"#),
                Err(e) => Reply::json(400, json!({ "error": e }).to_string()),
            },
            _ => Reply::json(400, r#"{"error":"expected a JSON object of settings"}"#),
        },
        ("POST", Some("expire-tokens")) => {
            state.ferma().expire_tokens();
            Reply::json(200, r#"{"ok":true}"#)
        }
        ("POST", Some("reset")) => {
            let config = state.config();
            *state.ferma() = FermaState::new(config.cashboxes);
            *state.ofd() = OfdState::new(&config.ofd_agreements);
            state.faults().clear();
            state.reset_stats();
            Reply::json(200, r#"{"ok":true}"#)
        }
        _ => Reply::json(404, r#"{"error":"not found"}"#),
    }
}

pub(crate) fn stats_json(stats: &Stats, max_registrations: usize) -> Value {
    json!({
        "tokens_issued": stats.tokens_issued,
        "receipts_registered": stats.receipts_registered,
        "callbacks_delivered": stats.callbacks_delivered,
        "callbacks_failed": stats.callbacks_failed,
        "max_registrations_per_external_id": max_registrations,
        "connections_open": stats.connections_open,
        "connections_accepted": stats.connections_accepted,
        "accept_errors": stats.accept_errors,
        "header_timeouts": stats.header_timeouts,
        "body_timeouts": stats.body_timeouts,
        "bodies_too_large": stats.bodies_too_large,
    })
}

/// `POST /sandbox/config`: the settings a test may change while the
/// sandbox runs. All are checked first; nothing changes if one is wrong.
fn configure(state: &State, changes: &serde_json::Map<String, Value>) -> Result<(), String> {
    state.update_config(|config| apply(config, changes))
}

fn apply(config: &mut crate::SandboxConfig, changes: &serde_json::Map<String, Value>) -> Result<(), String> {
    for (name, value) in changes {
        let millis = |max: Duration| {
            value
                .as_u64()
                .map(Duration::from_millis)
                .filter(|d| *d <= max)
                .ok_or_else(|| format!("{name} must be a whole number of milliseconds up to {}", max.as_millis()))
        };
        match name.as_str() {
            "token_timestamp" => {
                config.token_timestamp = value
                    .as_str()
                    .and_then(TokenTimestamp::from_name)
                    .ok_or_else(|| format!("{name} must be \"expiry\" or \"issue\""))?;
            }
            "token_ttl_seconds" => {
                config.token_ttl = value
                    .as_u64()
                    .map(Duration::from_secs)
                    .filter(|d| *d <= MAX_TOKEN_TTL)
                    .ok_or_else(|| format!("{name} must be a whole number of seconds up to {}", MAX_TOKEN_TTL.as_secs()))?;
            }
            "processing_delay_ms" => config.processing_delay = millis(MAX_DELAY)?,
            "response_delay_ms" => config.response_delay = millis(MAX_DELAY)?,
            "fns_step_delay_ms" => config.fns_step_delay = millis(MAX_DELAY)?,
            "drop_rate" => {
                config.drop_rate = value
                    .as_f64()
                    .filter(|r| (0.0..=1.0).contains(r))
                    .ok_or_else(|| format!("{name} must be a number from 0 to 1"))?;
            }
            "split_enabled" => {
                config.split_enabled = value.as_bool().ok_or_else(|| format!("{name} must be true or false"))?;
            }
            _ => {
                return Err(format!(
                    "{name} cannot be changed here; these can: token_timestamp, token_ttl_seconds, processing_delay_ms, response_delay_ms, fns_step_delay_ms, drop_rate, split_enabled"
                ))
            }
        }
    }
    Ok(())
}
