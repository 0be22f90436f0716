//! `ofdkit codes`: the code tables of both specs, with their Russian descriptions.

use clap::Args;
use ofdkit::codes;

use crate::out;
use crate::print::Failure;

#[derive(Args, Debug)]
pub struct CodesArgs {
    /// A table's name (measure, payment_object, federal_id, …); without one, every table is listed.
    table: Option<String>,
    /// Print the table as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: CodesArgs) -> Result<u8, Failure> {
    let Some(name) = args.table.as_deref() else {
        for t in codes::tables() {
            out!("{:<22} {:>3} values  ({})", t.name, t.entries.len(), t.source);
        }
        return Ok(0);
    };
    let table = codes::table(name).ok_or_else(|| {
        let names: Vec<&str> = codes::tables().iter().map(|t| t.name).collect();
        Failure(2, format!("no table {name:?}; the tables are {}", names.join(", ")))
    })?;
    if args.json {
        out!("{}", serde_json::to_string_pretty(table)?);
    } else {
        for e in table.entries {
            let aliases =
                if e.aliases.is_empty() { String::new() } else { format!(" (also {})", e.aliases.join(", ")) };
            out!("{:<24} {}{aliases}", e.wire, e.description_ru);
        }
    }
    Ok(0)
}
