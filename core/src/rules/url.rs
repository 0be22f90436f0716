//! The callback URL rule.

use crate::catalog::CALLBACK_URL_FORMAT;
use crate::context::Context;
use crate::validate::Check;

/// `[0-9a-zA-Zа-яА-Я]` of the expression: ASCII letters and digits and the
/// Cyrillic range а–я, А–Я, which leaves out ё and Ё.
fn is_edge_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, 'а'..='я' | 'А'..='Я')
}

/// `[-.\w]`: the expression is .NET's (Ferma's error texts carry .NET
/// placeholders such as `{0}`), where `\w` is any Unicode letter or digit
/// or `_`.
fn is_host_char(c: char) -> bool {
    c == '-' || c == '.' || c == '_' || c.is_alphanumeric()
}

/// `[a-zA-Z0-9а-яА-Я\-\.\?\,\'\/\\\+&=%\$#_]`.
fn is_path_char(c: char) -> bool {
    is_edge_char(c) || matches!(c, '-' | '.' | '?' | ',' | '\'' | '/' | '\\' | '+' | '&' | '=' | '%' | '$' | '#' | '_')
}

/// Whether Ferma will accept `url` as a `callback_url`.
///
/// Table 3.2 gives the regular expression Ferma checks the field with; the
/// spec's copy is garbled, but it is ATOL Online's well-known one:
/// `^http(s?)\:\/\/[0-9a-zA-Zа-яА-Я]([-.\w]*[0-9a-zA-Zа-яА-Я])*(:(0-9)*)*(\/?)([a-zA-Z0-9а-яА-Я\-\.\?\,\'\/\\\+&=%\$#_]*)?$`.
/// This function matches exactly what that expression matches, quirks
/// included: `(:(0-9)*)*` is a colon followed by the literal text `0-9`
/// any number of times, so a port is read as a colon and then path
/// characters (`:8080/cb` passes, and so does `:/x`); the host's first
/// character and, before a colon, its last must be in `[0-9a-zA-Zа-яА-Я]`,
/// which has no ё. A URL that fails is not an error on Ferma's side: the
/// callback is silently never sent (rule `callback_url_format`).
pub fn is_callback_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else {
        return false;
    };
    // A plain loop: `find` searched with `memchr`, whose setup cost more
    // than the whole short address.
    let Some(colon) = rest.bytes().position(|b| b == b':') else { return host_then_path(rest) };
    // Before the first colon: the whole host, `[0-9a-zA-Zа-яА-Я]` at both
    // ends and `[-.\w]` or edge characters between.
    let host = &rest[..colon];
    let (Some(first), Some(last)) = (host.chars().next(), host.chars().next_back()) else { return false };
    if !is_edge_char(first) || !is_edge_char(last) || !host.chars().all(|c| is_host_char(c) || is_edge_char(c)) {
        return false;
    }
    // From the first colon to the last: colons and the literal `0-9`;
    // after the last colon, path characters (never a colon).
    let last_colon = rest.rfind(':').unwrap_or(colon);
    let ports = &rest[colon..last_colon];
    let ports_ok = ports.split(':').skip(1).all(|between| {
        let mut between = between;
        while let Some(tail) = between.strip_prefix("0-9") {
            between = tail;
        }
        between.is_empty()
    });
    ports_ok && rest[last_colon + 1..].chars().all(is_path_char)
}

/// Without a colon the text is a host and then path characters. Path
/// characters include the host's ASCII ones, so only a character outside
/// them (ё, another script's letter, which .NET's `\w` allows inside a
/// host) forces the host to reach past it, ending on an edge character.
fn host_then_path(text: &str) -> bool {
    if !text.chars().next().is_some_and(is_edge_char) {
        return false;
    }
    let Some((last_non_path, c)) = text.char_indices().rev().find(|(_, c)| !is_path_char(*c)) else { return true };
    let (host, rest) = text.split_at(last_non_path + c.len_utf8());
    if !host.chars().all(|c| is_host_char(c) || is_edge_char(c)) {
        return false;
    }
    for c in rest.chars() {
        if is_edge_char(c) {
            return true;
        }
        if !is_host_char(c) {
            return false;
        }
    }
    false
}

/// The callback URL rule as a field check.
#[derive(Clone, Copy, Debug)]
pub struct CallbackUrl;

impl Check<String> for CallbackUrl {
    fn check(&self, value: &String, cx: &mut Context) {
        if !is_callback_url(value) {
            cx.violate(
                CALLBACK_URL_FORMAT,
                "does not match the expression Ferma checks callback URLs with (table 3.2): the receipt is processed, but no callback is sent; ask for the result with report",
                "не соответствует выражению, которым Ferma проверяет callback_url (табл. 3.2): чек будет обработан, но ответ на этот адрес не придёт; запросите результат методом report",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_the_expression_accepts() {
        for ok in [
            "http://testtest",
            "https://shop.example.ru/ferma/callback?order=15&sig=a%20b",
            "http://127.0.0.1:8080/cb",
            "https://магазин.рф/чек",
            "http://my_host-1.example.com/",
            // The port group is a colon and the literal 0-9, so these pass.
            "https://a.ru:/x",
            "https://a.ru:99999/",
            "http://a.ru:0-9:0-9/x",
            // \w is .NET's: Unicode letters inside the host before a colon.
            "http://пёс.рф:80/x",
            "http://пёс.рф/x",
            // A host's last character may be followed straight by path characters.
            "http://bad-/x",
        ] {
            assert!(is_callback_url(ok), "{ok}");
        }
        for bad in [
            "",
            "test.local",
            "ftp://example.com",
            "http://",
            "http://-bad.com",
            "https://a.ru/~user",
            "https://a.ru/path with space",
            "mailto:a@b.ru",
            "https://a.ru/(x)",
            "HTTP://example.com",
            // ё is outside а-я: not as the first character, nor in a path.
            "http://ёлка.рф",
            "http://a.ru/ёлка",
            // Before a colon the host must end in an edge character.
            "http://a-:80/x",
            // Between colons only the literal 0-9 is allowed.
            "http://a.ru:80:90/x",
        ] {
            assert!(!is_callback_url(bad), "{bad}");
        }
    }
}
