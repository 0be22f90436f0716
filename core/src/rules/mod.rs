//! Syntax rules shared by both APIs: taxpayer and register numbers, phones,
//! emails, URLs, digit strings and barcodes. Each is a plain function (usable on
//! its own) and a [`Check`](crate::validate::Check) for `#[json(check)]`.

mod contact;
mod digits;
mod inn;
mod registers;
mod url;

pub use contact::{is_email, is_phone, is_ru_phone, Email, Phone, RuPhone};
pub use digits::{gs1_check_digit_ok, Barcode, Digits, Equals, FurMark};
pub use inn::{inn_error, Inn, InnError, InnKind};
pub use registers::{
    check_kkt_registration_number, crc16_ccitt_false, is_base64, is_kpp, is_okved, is_uuid, kkt_registration_number,
    ogrn_check, Base64, Kpp, Ogrn, OgrnKind, Okved, RegNumberError, Uuid,
};
pub use url::{is_callback_url, CallbackUrl};
