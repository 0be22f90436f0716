//! Syntax rules shared by both APIs: taxpayer numbers, phones, emails,
//! URLs, digit strings and barcodes. Each is a plain function (usable on
//! its own) and a [`Check`](crate::validate::Check) for `#[json(check)]`.

mod contact;
mod digits;
mod inn;
mod url;

pub use contact::{is_email, is_phone, is_ru_phone, Email, Phone, RuPhone};
pub use digits::{gs1_check_digit_ok, Barcode, Digits, Equals, FurMark};
pub use inn::{inn_error, Inn, InnError, InnKind};
pub use url::{is_callback_url, CallbackUrl};
