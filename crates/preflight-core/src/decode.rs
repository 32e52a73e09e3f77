//! Bytes from a disk, a zip or a browser file turned into text, the way a
//! person expects: a byte-order mark is dropped, UTF-16 is read, a file in
//! Windows-1252 (what older Windows editors save) is read with a note, and a
//! binary file is refused with what it looks like.

/// The text of a file, or why it has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    Text {
        text: String,
        /// Said to the person when the text was not plain UTF-8.
        note: Option<String>,
    },
    Refused(String),
}

/// What the first bytes of common binary files say they are.
const SIGNATURES: [(&[u8], &str); 7] = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (
        b"PGDMP",
        "a pg_dump archive (custom format); make a plain SQL dump with pg_dump --format=plain",
    ),
];

/// How far a NUL byte is looked for: text never has one, binaries soon do.
const BINARY_SNIFF: usize = 8000;

/// Windows-1252's characters for 0x80..=0x9F; the five it leaves undefined
/// map to the C1 controls of the same number, as browsers decode them.
const WINDOWS_1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return utf8_or_windows_1252(rest);
    }
    if let Some(text) = utf16(bytes) {
        return text;
    }
    if let Some((_, what)) = SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
    {
        return Decoded::Refused(format!("not text: {what}"));
    }
    if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
        return Decoded::Refused("not text: it holds NUL bytes, as binary files do".into());
    }
    utf8_or_windows_1252(bytes)
}

fn utf8_or_windows_1252(bytes: &[u8]) -> Decoded {
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded::Text {
            text: text.to_string(),
            note: None,
        },
        Err(error) => {
            let at = error.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Decoded::Text {
                text: bytes.iter().map(|&b| windows_1252(b)).collect(),
                note: Some(format!(
                    "byte {} (line {line}): not UTF-8 (Windows-1252?): read 0x{:02X} as \"{}\"; check the accented characters, and save the file as UTF-8",
                    at + 1,
                    bytes[at],
                    windows_1252(bytes[at])
                )),
            }
        }
    }
}

fn windows_1252(byte: u8) -> char {
    match byte {
        0x80..=0x9f => WINDOWS_1252_HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// UTF-16 with its byte-order mark (Windows' "Unicode" encoding).
fn utf16(bytes: &[u8]) -> Option<Decoded> {
    let (rest, little_endian) = match bytes.strip_prefix(b"\xff\xfe") {
        Some(rest) => (rest, true),
        None => (bytes.strip_prefix(b"\xfe\xff")?, false),
    };
    let units = rest.chunks_exact(2).map(|pair| match little_endian {
        true => u16::from_le_bytes([pair[0], pair[1]]),
        false => u16::from_be_bytes([pair[0], pair[1]]),
    });
    Some(
        match char::decode_utf16(units).collect::<Result<String, _>>() {
            Ok(text) if rest.len() % 2 == 0 => Decoded::Text {
                text,
                note: Some("read as UTF-16; save it as UTF-8 for other tools".into()),
            },
            _ => Decoded::Refused("not text: broken UTF-16".into()),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(decoded: Decoded) -> (String, Option<String>) {
        match decoded {
            Decoded::Text { text, note } => (text, note),
            Decoded::Refused(why) => panic!("refused: {why}"),
        }
    }

    #[test]
    fn utf8_is_taken_as_it_is_and_its_byte_order_mark_dropped() {
        assert_eq!(
            text(decode("select 'é';".as_bytes())),
            ("select 'é';".into(), None)
        );
        assert_eq!(
            text(decode(b"\xef\xbb\xbfcreate table t ();")),
            ("create table t ();".into(), None)
        );
    }

    #[test]
    fn windows_1252_is_read_with_a_note_naming_the_first_byte_that_is_not_utf8() {
        let (decoded, note) = text(decode(b"-- ok\n-- caf\xe9 \x93quoted\x94 \x80\nselect 1;"));
        assert_eq!(decoded, "-- ok\n-- café “quoted” €\nselect 1;");
        let note = note.expect("a note");
        assert!(
            note.starts_with("byte 13 (line 2): not UTF-8 (Windows-1252?): read 0xE9 as \"é\""),
            "{note}"
        );
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_read() {
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend("select 'ü';".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(text(decode(&bytes)).0, "select 'ü';");
        let mut bytes = vec![0xfe, 0xff];
        bytes.extend("select 1;".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(text(decode(&bytes)).0, "select 1;");
    }

    #[test]
    fn binaries_are_refused_saying_what_they_look_like() {
        let refused = |bytes: &[u8]| match decode(bytes) {
            Decoded::Refused(why) => why,
            Decoded::Text { .. } => panic!("taken as text"),
        };
        assert_eq!(
            refused(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            "not text: a PNG image"
        );
        assert_eq!(refused(b"PK\x03\x04\x14\0"), "not text: a zip archive");
        assert!(refused(b"PGDMP\x01\x0e").contains("pg_dump --format=plain"));
        assert!(refused(b"select 1;\0\0\x01").contains("NUL bytes"));
    }
}
