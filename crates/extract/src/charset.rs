//! From bytes to text: which charset a page is in, and whether it is text at all.
//!
//! Order of trust: a byte-order mark, then a charset the page declares (`<meta charset>`, or
//! the HTTP header the caller passes in), then UTF-8 if the bytes are valid UTF-8, then
//! statistical detection (chardetng), which tells windows-1251 from koi8-r from windows-1252.
//! Never fails on odd bytes: undecodable sequences become U+FFFD and are counted.

use encoding_rs::Encoding;
use std::borrow::Cow;

/// The decoded text of a document and how it was decoded.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    /// The text, borrowed from the input where it was UTF-8 already.
    pub text: Cow<'a, str>,
    /// WHATWG name of the encoding used, e.g. "UTF-8", "windows-1251", "KOI8-R".
    pub encoding: &'static str,
    /// How the encoding was chosen.
    pub source: CharsetSource,
    /// Number of byte sequences that were not valid in the chosen encoding.
    pub replaced: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    Bom,
    Declared,
    ValidUtf8,
    Detected,
}

impl CharsetSource {
    pub fn as_str(self) -> &'static str {
        match self {
            CharsetSource::Bom => "bom",
            CharsetSource::Declared => "declared",
            CharsetSource::ValidUtf8 => "utf-8",
            CharsetSource::Detected => "detected",
        }
    }
}

/// True when the bytes look like binary data rather than text in any charset: a NUL byte in
/// the first 16 (file headers of images, archives, executables), more than a stray few NULs,
/// or many control characters, in the first 8 KiB. UTF-16 with a BOM is text. A page with an
/// odd NUL pasted into it is still a page: the NULs are dropped when it is decoded.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if Encoding::for_bom(bytes).is_some() {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head[..head.len().min(16)].contains(&0) {
        return true;
    }
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if nuls > 4 && nuls * 200 > head.len() {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 20 > head.len()
}

/// Finds a charset that an HTML page declares in its first 4 KiB: `<meta charset="...">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=...">`.
pub fn declared_in_html(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        from = i;
        while i < lower.len() && matches!(lower[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        if lower.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < lower.len() && matches!(lower[i], b' ' | b'"' | b'\'') {
            i += 1;
        }
        let start = i;
        while i < lower.len()
            && (lower[i].is_ascii_alphanumeric() || matches!(lower[i], b'-' | b'_' | b':' | b'.'))
        {
            i += 1;
        }
        if let Some(enc) = Encoding::for_label(&lower[start..i]) {
            // A page that says UTF-16 in ASCII cannot be UTF-16; browsers read it as UTF-8.
            if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                return Some(encoding_rs::UTF_8);
            }
            return Some(enc);
        }
    }
    None
}

/// A charset from an HTTP `Content-Type` header value, e.g. "text/html; charset=koi8-r".
pub fn from_content_type(content_type: &str) -> Option<&'static Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let (_, rest) = lower.split_once("charset=")?;
    let label = rest.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
    let label = label.split(';').next().unwrap_or(label).trim_matches('"');
    Encoding::for_label(label.as_bytes())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Decodes `bytes`. `declared` is a charset the caller already knows (HTTP header or HTML
/// meta); it loses to a BOM, as in browsers.
pub fn decode<'a>(bytes: &'a [u8], declared: Option<&'static Encoding>) -> Decoded<'a> {
    let (encoding, source) = if let Some((enc, _)) = Encoding::for_bom(bytes) {
        (enc, CharsetSource::Bom)
    } else if let Some(enc) = declared {
        (enc, CharsetSource::Declared)
    } else if std::str::from_utf8(bytes).is_ok() {
        (encoding_rs::UTF_8, CharsetSource::ValidUtf8)
    } else if mostly_utf8(bytes) {
        // A UTF-8 page with a few broken sequences (a truncated download, one pasted byte) is
        // still UTF-8; reading it as a legacy charset would garble every other character.
        (encoding_rs::UTF_8, CharsetSource::Detected)
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        (
            detector.guess(None, chardetng::Utf8Detection::Allow),
            CharsetSource::Detected,
        )
    };
    let (text, used, _) = encoding.decode(bytes);
    let replaced = if text.contains('\u{FFFD}') {
        let before = count_replacement_chars_in_source(bytes, used);
        text.matches('\u{FFFD}').count().saturating_sub(before)
    } else {
        0
    };
    let text = if text.contains('\0') {
        Cow::Owned(text.replace('\0', ""))
    } else {
        text
    };
    Decoded {
        text,
        encoding: used.name(),
        source,
        replaced,
    }
}

/// U+FFFD characters that the source itself contained (valid UTF-8 EF BF BD), so that only
/// characters lost in decoding are reported as replaced.
fn count_replacement_chars_in_source(bytes: &[u8], used: &'static Encoding) -> usize {
    if used == encoding_rs::UTF_8 {
        bytes
            .windows(3)
            .filter(|w| *w == [0xEF, 0xBF, 0xBD])
            .count()
    } else {
        0
    }
}

/// True when valid multi-byte UTF-8 sequences are at least as many as invalid ones: text in a
/// legacy 8-bit charset almost never forms valid UTF-8 sequences by chance.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid = 0usize;
    let mut invalid = 0usize;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                valid += std::str::from_utf8(good)
                    .map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                invalid += 1;
                let skip = e.error_len().unwrap_or(after.len()).max(1);
                rest = &after[skip.min(after.len())..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    valid > 0 && invalid <= valid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_legacy_charsets_are_told_apart() {
        let text =
            "Экипаж МКС: командир Олег Кононенко, бортинженеры Давид Сен-Жак и Энн Макклейн. \
                    Запуск ракеты-носителя Союз-ФГ с пилотируемым кораблём Союз МС-11 состоялся.";
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let (koi8, _, _) = encoding_rs::KOI8_R.encode(text);
        let a = decode(&cp1251, None);
        assert_eq!(a.encoding, "windows-1251");
        assert_eq!(a.text, text);
        let b = decode(&koi8, None);
        // chardetng names KOI8-U, the superset that decodes Russian text identically.
        assert!(b.encoding.starts_with("KOI8"), "{}", b.encoding);
        assert_eq!(b.text, text);
    }

    #[test]
    fn shift_jis_without_a_declaration_is_detected() {
        let text = "国際宇宙ステーションに補給船が到着しました。乗組員はハッチを開けて物資を運び入れました。";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, "Shift_JIS");
        assert_eq!(d.text, text);
    }

    #[test]
    fn http_header_charset_is_read() {
        assert_eq!(
            from_content_type("text/html; charset=\"KOI8-R\""),
            Some(encoding_rs::KOI8_R)
        );
        assert_eq!(from_content_type("text/html"), None);
    }

    #[test]
    fn declared_charset_is_found_in_meta() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">";
        assert_eq!(declared_in_html(page), Some(encoding_rs::WINDOWS_1251));
        assert_eq!(
            declared_in_html(b"<meta charset='koi8-r'>"),
            Some(encoding_rs::KOI8_R)
        );
        assert_eq!(declared_in_html(b"<p>no charset here</p>"), None);
        assert_eq!(
            from_content_type("text/html; charset=\"UTF-8\""),
            Some(encoding_rs::UTF_8)
        );
    }

    #[test]
    fn broken_utf8_stays_utf8_and_counts_replacements() {
        let mut bytes = "Экспедиция МКС-63 — Иван Вагнер".as_bytes().to_vec();
        bytes.insert(4, 0xFF);
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.replaced, 1);
    }

    #[test]
    fn binary_is_not_text() {
        assert!(looks_binary(&[0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0]));
        assert!(!looks_binary("plain text\nwith lines\r\n".as_bytes()));
    }
}
