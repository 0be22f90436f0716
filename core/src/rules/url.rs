//! The callback URL rule.

use crate::context::Context;
use crate::validate::Check;

fn is_host_letter(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё')
}

fn is_path_char(c: char) -> bool {
    is_host_letter(c) || "-.?,'/\\+&=%$#_".contains(c)
}

/// Whether Ferma will accept `url` as a `callback_url`.
///
/// Table 3.2 gives the regular expression Ferma checks the field with; the
/// spec's copy is garbled, but it is ATOL Online's well-known one:
/// `^http(s?)\:\/\/[0-9a-zA-Zа-яА-Я]([-.\w]*[0-9a-zA-Zа-яА-Я])*(:(0-9)*)*(\/?)([a-zA-Z0-9а-яА-Я\-\.\?\,\'\/\\\+&=%\$#_]*)?$`.
/// A URL that fails it is not an error on Ferma's side: the callback is
/// silently never sent. This function implements that expression: `http`
/// or `https`, a host that starts and ends with a letter or digit, an
/// optional port, and a path of the characters the expression allows
/// (no spaces, `~`, `@`, `;`, `!`, `*`, `(`, `)`, `[`, `]`).
pub fn is_callback_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else {
        return false;
    };
    let host_end =
        rest.find(|c: char| c == ':' || c == '/' || !(is_host_letter(c) || "-._".contains(c))).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let (Some(first), Some(last)) = (host.chars().next(), host.chars().last()) else { return false };
    if !is_host_letter(first) || !is_host_letter(last) {
        return false;
    }
    let mut tail = &rest[host_end..];
    if let Some(after_colon) = tail.strip_prefix(':') {
        let port_len = after_colon.bytes().take_while(u8::is_ascii_digit).count();
        let port = &after_colon[..port_len];
        if port.is_empty() || port.parse::<u32>().map_or(true, |p| p == 0 || p > 65_535) {
            return false;
        }
        tail = &after_colon[port_len..];
        if !(tail.is_empty() || tail.starts_with('/')) {
            return false;
        }
    }
    tail.chars().all(is_path_char)
}

/// The callback URL rule as a field check.
#[derive(Clone, Copy, Debug)]
pub struct CallbackUrl;

impl Check<String> for CallbackUrl {
    fn check(&self, value: &String, cx: &mut Context) {
        if !is_callback_url(value) {
            cx.bad_format(
                "an http(s) URL Ferma accepts (§3.1 table 3.2): otherwise no callback is ever sent",
                "URL-адресом http(s), который принимает Ferma (§3.1, табл. 3.2): иначе ответ на него не придёт",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_ferma_accepts() {
        for ok in [
            "http://testtest",
            "https://shop.example.ru/ferma/callback?order=15&sig=a%20b",
            "http://127.0.0.1:8080/cb",
            "https://магазин.рф/чек",
            "http://my_host-1.example.com/",
        ] {
            assert!(is_callback_url(ok), "{ok}");
        }
        for bad in [
            "",
            "ftp://example.com",
            "http://",
            "http://-bad.com",
            "http://bad-/x",
            "https://a.ru/~user",
            "https://a.ru/path with space",
            "https://a.ru:99999/",
            "https://a.ru:/x",
            "mailto:a@b.ru",
            "https://a.ru/(x)",
            "HTTP://example.com",
        ] {
            assert!(!is_callback_url(bad), "{bad}");
        }
    }
}
