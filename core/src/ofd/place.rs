//! `KktDetails.InstallmentPlace`: table 1 gives it both as a string (the
//! place's name: a site's address online, a vehicle for delivery trade) and
//! as a structure with `FiasCode`. Both are read; a name alone is written
//! as the string the answers show.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::context::{Context, Expected};
use crate::decode::{unknown_member, Extra, FromJson, Placeholder, Slot};
use crate::json::{Json, Node};
use crate::rules::Uuid;
use crate::validate::{Check, Validate, NOT_EMPTY};

/// Where the KKT is installed (table 1 `KktDetails.InstallmentPlace`): a name, a FIAS code, or both.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct InstallmentPlace {
    /// The place's name: a site's address online, a vehicle's make and number for delivery trade.
    pub name: Option<String>,
    /// The place's identifier in FIAS, a UUID (table 1 `InstallmentPlace.FiasCode`).
    pub fias_code: Option<String>,
    /// Members the spec does not describe, kept as given.
    pub extra: Extra,
}

impl InstallmentPlace {
    /// A place given by its name only.
    pub fn named(name: impl Into<String>) -> Self {
        InstallmentPlace { name: Some(name.into()), ..Default::default() }
    }
}

impl FromJson for InstallmentPlace {
    fn from_json(value: Node<'_, '_>, cx: &mut Context) -> Option<Self> {
        match value.read() {
            Json::String(name) => Some(InstallmentPlace::named(name)),
            Json::Object(mut members) => {
                let (mut name, mut fias_code) = (Slot::Absent, Slot::Absent);
                let mut extra = Extra::default();
                while let Some((key, value)) = members.next() {
                    let key: &str = &key;
                    match key {
                        "Name" => name.fill("Name", value, cx),
                        "FiasCode" => fias_code.fill("FiasCode", value, cx),
                        _ => unknown_member(key, value, Some(&mut extra), cx),
                    }
                }
                Some(InstallmentPlace { name: name.optional(), fias_code: fias_code.optional(), extra })
            }
            other => {
                cx.bad_type(Expected::String, &other);
                None
            }
        }
    }
}

impl Placeholder for InstallmentPlace {
    fn placeholder() -> Self {
        InstallmentPlace::default()
    }
}

impl Validate for InstallmentPlace {
    fn validate(&self, cx: &mut Context) {
        let structured = self.fias_code.is_some() || !self.extra.is_empty();
        if let Some(name) = &self.name {
            if structured {
                cx.at("Name", |cx| NOT_EMPTY.check(name, cx));
            } else {
                NOT_EMPTY.check(name, cx);
            }
        }
        if let Some(code) = &self.fias_code {
            cx.at("FiasCode", |cx| Uuid(crate::catalog::FIAS_CODE_FORMAT).check(code, cx));
        }
    }
}

crate::json::wire_length_through_serde!(InstallmentPlace);

impl Serialize for InstallmentPlace {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (&self.name, &self.fias_code) {
            (Some(name), None) if self.extra.is_empty() => serializer.serialize_str(name),
            _ => {
                let mut map = serializer.serialize_map(None)?;
                if let Some(name) = &self.name {
                    map.serialize_entry("Name", name)?;
                }
                if let Some(code) = &self.fias_code {
                    map.serialize_entry("FiasCode", code)?;
                }
                self.extra.serialize_members(&mut map)?;
                map.end()
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for InstallmentPlace {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::decode::deserialize_via_json(deserializer)
    }
}
