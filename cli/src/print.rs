//! Writing to stdout and stderr, reading an input within its limit, and the
//! failure type every command returns.

use std::io::{Read, Write};
use std::path::Path;

use ofdkit::Violations;

/// A failure with its exit code.
pub struct Failure(pub u8, pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(2, e.to_string())
    }
}

/// Prints a line to stdout. A reader that went away (`ofdkit codes | head`)
/// ends the program quietly instead of a panic.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::print::emit(format_args!($($arg)*))
    };
}

pub fn emit(line: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        std::process::exit(2);
    }
}

/// Writes text as it is to stdout, with a reader that went away handled as
/// [`emit`] does.
pub fn raw(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        std::process::exit(if e.kind() == std::io::ErrorKind::BrokenPipe { 0 } else { 2 });
    }
}

/// Prints a line to stderr, ignoring a stderr that is gone.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// What a document read as a whole turned out to be.
pub enum Document {
    Read(Vec<u8>),
    /// Larger than the limit: refused unread.
    TooLarge,
}

/// Reads at most `max + 1` bytes of `file` (`-` for stdin): a larger input
/// (or an endless one such as /dev/zero) is refused at once, never read
/// whole.
pub fn read(file: &Path, max: usize) -> Result<Document, Failure> {
    let cannot = |e: std::io::Error| Failure(2, format!("cannot read {}: {e}", crate::source_name(file)));
    let mut body = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    if file.as_os_str() == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut body).map_err(cannot)?;
    } else {
        std::fs::File::open(file).and_then(|f| f.take(limit).read_to_end(&mut body)).map_err(cannot)?;
    }
    Ok(if body.len() > max { Document::TooLarge } else { Document::Read(body) })
}

/// The refusal of a document over the limit, with how to raise it.
pub fn too_large(source: &str, max: usize) -> String {
    format!(
        "{source}: larger than the limit of {max} bytes, not read (INPUT_TOO_LARGE); raise it with --max-input-bytes or OFDKIT_MAX_INPUT_BYTES"
    )
}

/// Violations as people read them: the English line, the Russian under it.
pub fn violations_text(violations: &Violations, prefix: &str) {
    for v in violations {
        crate::out!("{prefix}{v}\n    {}", v.message_ru);
    }
}
