//! Paying agents and suppliers (table 3.4 and the `supplier_info` rows of
//! tables 3.2–3.3). The same structures sit on the receipt and on an item.

use ofdkit_derive::Model;

use crate::catalog;
use crate::codes::AgentType;
use crate::context::Context;
use crate::decode::Extra;
use crate::rules::{Inn, InnKind, Phone};
use crate::validate::{Check, Each};

/// Who sells through an agent (tag 1223, table 3.4). Needs
/// [`SupplierInfo`] beside it (footnotes 14 and 15).
#[derive(Clone, Debug, PartialEq, Model)]
pub struct AgentInfo {
    /// Tag 1057.
    #[json(rename = "type")]
    pub agent_type: AgentType,
    /// The paying agent (table 3.4 `paying_agent`).
    pub paying_agent: Option<PayingAgent>,
    /// The payment acceptance operator (table 3.4 `receive_payments_operator`).
    pub receive_payments_operator: Option<ReceivePaymentsOperator>,
    /// The money transfer operator (table 3.4 `money_transfer_operator`).
    pub money_transfer_operator: Option<MoneyTransferOperator>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

impl AgentInfo {
    /// An agent of a type, with no other details.
    pub fn new(agent_type: AgentType) -> Self {
        AgentInfo {
            agent_type,
            paying_agent: None,
            receive_payments_operator: None,
            money_transfer_operator: None,
            extra: Extra::default(),
        }
    }
}

/// The paying agent (table 3.4 `paying_agent`).
#[derive(Clone, Debug, PartialEq, Default, Model)]
pub struct PayingAgent {
    /// Tag 1044.
    pub operation: Option<String>,
    /// Tag 1073.
    #[json(check = Each(Phone))]
    pub phones: Option<Vec<String>>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The payment acceptance operator (table 3.4 `receive_payments_operator`).
#[derive(Clone, Debug, PartialEq, Default, Model)]
pub struct ReceivePaymentsOperator {
    /// Tag 1074.
    #[json(check = Each(Phone))]
    pub phones: Option<Vec<String>>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The money transfer operator (table 3.4 `money_transfer_operator`).
#[derive(Clone, Debug, PartialEq, Default, Model)]
pub struct MoneyTransferOperator {
    /// Tag 1075: "only one phone number is passed" (table 3.4).
    #[json(check = Each(Phone), check = OnePhone)]
    pub phones: Option<Vec<String>>,
    /// Tag 1026.
    pub name: Option<String>,
    /// Tag 1005.
    pub address: Option<String>,
    /// Tag 1016.
    #[json(check = Inn(InnKind::Any))]
    pub inn: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// The supplier of goods sold by an agent. Needs [`AgentInfo`] beside it
/// (footnotes 14 and 15).
#[derive(Clone, Debug, PartialEq, Default, Model)]
pub struct SupplierInfo {
    /// Tag 1171.
    #[json(check = Each(Phone))]
    pub phones: Option<Vec<String>>,
    /// Tag 1225.
    pub name: Option<String>,
    /// Tag 1226.
    #[json(check = Inn(InnKind::Any))]
    pub inn: Option<String>,
    /// Members the spec does not describe, kept as given.
    #[json(flatten)]
    pub extra: Extra,
}

/// Table 3.4: a money transfer operator's phones carry «только один номер
/// телефона»; which of several Ferma keeps is not documented.
#[derive(Clone, Copy, Debug)]
pub struct OnePhone;

impl Check<Vec<String>> for OnePhone {
    fn check(&self, phones: &Vec<String>, cx: &mut Context) {
        if phones.len() > 1 {
            cx.violate(
                catalog::MONEY_TRANSFER_OPERATOR_ONE_PHONE,
                format!("has {} phones, but Ferma passes only one (table 3.4); which one is not documented", phones.len()),
                format!("содержит несколько телефонов ({}), но Ferma передаёт только один (табл. 3.4); какой именно, не описано", phones.len()),
            );
        }
    }
}
