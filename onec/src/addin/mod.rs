//! The `Ofdkit` component: what 1C calls, on top of the core and the
//! client. Its methods and properties are listed in `catalog`, their
//! bodies are in `calls`; every error becomes an exception with a Russian
//! message and `ПоследняяОшибка` / `LastError`.

mod calls;
mod catalog;
mod client;
mod errors;
mod output;

use ofdkit::{Strictness, Violations};

use crate::native::{AddIn, Failure, Method, Problem, Property, Value};
use calls::Args;
use catalog::{MethodId, PropertyId};
use client::{Clients, Settings};
use errors::ErrorReport;

pub use catalog::{METHODS, PROPERTIES};

/// The state of one `Ofdkit` object in 1C: its settings, its clients, the
/// violations of the last check and the last error.
pub struct Ofdkit {
    settings: Settings,
    clients: Clients,
    violations: Violations,
    last_error: Option<ErrorReport>,
    strictness: Strictness,
}

impl Ofdkit {
    /// Keeps the error for `LastError` and says it to the platform.
    fn remember(&mut self, report: ErrorReport) -> Failure {
        let failure = report.failure();
        self.last_error = Some(report);
        failure
    }
}

impl AddIn for Ofdkit {
    const NAME: &'static str = "Ofdkit";
    const METHODS: &'static [Method] = catalog::METHODS;
    const PROPERTIES: &'static [Property] = catalog::PROPERTIES;

    fn new() -> Self {
        Ofdkit {
            settings: Settings::default(),
            clients: Clients::default(),
            violations: Violations::default(),
            last_error: None,
            strictness: Strictness::Spec,
        }
    }

    fn call(&mut self, method: usize, args: Vec<Value>) -> Result<Value, Failure> {
        // Each call starts clean: LastError is about the latest call.
        self.last_error = None;
        let id = MethodId::ALL[method];
        let args = Args { method: &catalog::METHODS[method], values: &args };
        calls::call(self, id, &args).map_err(|report| self.remember(report))
    }

    fn get(&mut self, property: usize) -> Result<Value, Failure> {
        Ok(calls::get(self, PropertyId::ALL[property]))
    }

    fn set(&mut self, property: usize, value: Value) -> Result<(), Failure> {
        calls::set(self, PropertyId::ALL[property], value).map_err(|report| self.remember(report))
    }

    fn fail(&mut self, problem: Problem) -> Failure {
        self.remember(ErrorReport::from_problem(problem))
    }

    fn done(&mut self) {
        self.clients.reset();
    }
}
