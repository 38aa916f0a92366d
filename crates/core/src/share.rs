//! The share-link codec: a whole draft packed into a URL fragment (`#share=...`).
//!
//! The link data is base64url (no padding) of a small envelope:
//!
//! | bytes | field                                                   |
//! |-------|---------------------------------------------------------|
//! | 1     | magic `b'I'` (irdoc)                                    |
//! | 1     | format version, [`VERSION`]                             |
//! | 1     | kind: `b'P'` plain or `b'S'` sealed                     |
//! | 4     | body length, u32 big-endian                             |
//! | n     | body                                                    |
//! | 4     | CRC-32 of everything before it, u32 big-endian          |
//!
//! A plain body is the payload compressed with raw DEFLATE. A sealed body is
//! `salt (16) ‖ iv (12) ‖ iterations (u32 BE) ‖ ciphertext`, encrypted by the
//! app in the browser; this codec only frames it.
//!
//! The length tells a link that was cut off while being copied (the common
//! accident) from one that was altered, and the CRC catches any other change,
//! so a damaged link is an error rather than half a document. The CRC covers
//! sealed links too, so a damaged one is not reported as a wrong passphrase.

use std::cmp::Ordering;
use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::{DecodeError, Engine};
use miniz_oxide::deflate::{compress_to_vec, CompressionLevel};
use miniz_oxide::inflate::{decompress_to_vec_with_limit, TINFLStatus};

/// Decompression-bomb guard: no link unpacks to more than this.
pub const MAX_DECODED_BYTES: usize = 4 * 1024 * 1024;

/// The envelope format version this code writes and reads.
pub const VERSION: u8 = 1;

const MAGIC: u8 = b'I';
/// Magic, version, kind, body length.
const HEADER_LEN: usize = 7;
const CRC_LEN: usize = 4;
const SALT_LEN: usize = 16;
const IV_LEN: usize = 12;
const SEALED_HEADER_LEN: usize = SALT_LEN + IV_LEN + 4;
/// Marks the share data in a URL fragment: `#share=...`.
const FRAGMENT_KEY: &str = "share=";

/// What the envelope body holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// The payload, raw DEFLATE.
    Plain,
    /// A [`Sealed`] frame.
    Sealed,
}

impl Kind {
    const fn byte(self) -> u8 {
        match self {
            Self::Plain => b'P',
            Self::Sealed => b'S',
        }
    }

    fn from_byte(byte: u8) -> Option<Self> {
        [Self::Plain, Self::Sealed]
            .into_iter()
            .find(|kind| kind.byte() == byte)
    }
}

/// A passphrase-encrypted draft (AES-GCM with a PBKDF2-derived key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    pub salt: [u8; SALT_LEN],
    pub iv: [u8; IV_LEN],
    /// PBKDF2 iterations used to derive the key.
    pub iterations: u32,
    pub ciphertext: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decoded {
    Plain(Vec<u8>),
    Sealed(Sealed),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    Empty,
    NotBase64,
    /// Not an irdoc link.
    UnknownFormat,
    UnsupportedVersion(u8),
    Truncated,
    /// Inflate failed or checksum mismatch.
    Corrupt,
    TooLarge {
        limit: usize,
    },
    /// [`decode`] was given a sealed link; use [`decode_any`] and decrypt.
    PassphraseRequired,
    /// The link decodes, but what it holds is not an irdoc report.
    NotAReport,
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(
                f,
                "This share link has no draft in it. Copy the whole link, including everything after “#share=”."
            ),
            Self::NotBase64 => write!(
                f,
                "This share link contains characters a share link never has, so it was changed somewhere on the way. Copy the link again, exactly as you received it."
            ),
            Self::UnknownFormat => write!(f, "This is not an irdoc share link."),
            Self::UnsupportedVersion(version) if *version > VERSION => write!(
                f,
                "This share link was made by a newer version of irdoc (link format {version}). Reload irdoc to get the latest version, then open the link again."
            ),
            Self::UnsupportedVersion(version) => write!(
                f,
                "This share link uses a link format ({version}) that this version of irdoc cannot read."
            ),
            Self::Truncated => write!(
                f,
                "This share link is incomplete — it was probably cut off when it was copied. Ask for the link again."
            ),
            Self::Corrupt => write!(
                f,
                "This share link is damaged — some of its characters were changed after it was made. Ask for the link again."
            ),
            Self::TooLarge { limit } => write!(
                f,
                "The draft in this share link is larger than {}, more than irdoc opens from a link.",
                human_size(*limit)
            ),
            Self::PassphraseRequired => write!(
                f,
                "This share link is protected with a passphrase. Enter the passphrase to open it."
            ),
            Self::NotAReport => write!(
                f,
                "This link opens, but what it holds is not an irdoc report."
            ),
        }
    }
}

impl std::error::Error for ShareError {}

/// What a share link carries: the draft's id, so that a reader who already has that draft is
/// shown what changed, and its report.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    pub id: String,
    pub report: crate::Report,
}

pub(crate) const PAYLOAD_FORMAT: &str = "irdoc-share";

/// The link's JSON: the report as its wikitext page, which is lossless (import then export
/// gives the same bytes), smaller than the model's JSON, and independent of its version.
#[derive(serde::Serialize, serde::Deserialize)]
struct Payload<'a> {
    /// [`PAYLOAD_FORMAT`]; a plain field rather than a serde tag, which would buffer the
    /// whole payload before reading it.
    format: std::borrow::Cow<'a, str>,
    id: std::borrow::Cow<'a, str>,
    title: std::borrow::Cow<'a, str>,
    page: std::borrow::Cow<'a, str>,
    /// The wiki page the report came from, so the reader can find it (irdoc before schema 3
    /// ignores it).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::wiki::Origin::deserialize_field"
    )]
    wiki: Option<crate::wiki::Origin>,
}

/// The bytes a share link encodes for `shared`.
pub fn payload(shared: &Shared) -> Vec<u8> {
    let page = crate::export(&shared.report);
    let payload = Payload {
        format: PAYLOAD_FORMAT.into(),
        id: shared.id.as_str().into(),
        title: shared.report.title.as_str().into(),
        page: page.into(),
        wiki: shared.report.wiki.clone(),
    };
    serde_json::to_vec(&payload).expect("strings serialize")
}

/// Reads decoded (and decrypted) link bytes back.
pub fn read_payload(bytes: &[u8]) -> Result<Shared, ShareError> {
    let payload: Payload = std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| serde_json::from_str(text).ok())
        .filter(|p: &Payload| p.format == PAYLOAD_FORMAT)
        .ok_or(ShareError::NotAReport)?;
    let mut report = crate::import(&payload.page).report;
    report.title = payload.title.into_owned();
    report.wiki = payload.wiki;
    Ok(Shared {
        id: payload.id.into_owned(),
        report,
    })
}

/// Link data for a plain draft, compressed at miniz's highest level: links
/// are made once and must stay short. Payloads over [`MAX_DECODED_BYTES`] encode,
/// but [`decode`] refuses them; the app should check the size first.
pub fn encode(payload: &[u8]) -> String {
    encode_compressed(&compress(payload))
}

/// Link data for a plain draft already compressed with raw DEFLATE by any compressor. The
/// app compresses with the browser's own `CompressionStream`, which keeps a DEFLATE encoder
/// out of its wasm (8 KB gzipped); links come out within 0.2% of [`encode`]'s length.
pub fn encode_compressed(deflated: &[u8]) -> String {
    envelope(Kind::Plain, deflated)
}

/// Raw DEFLATE at the highest level; a sealed link's payload is compressed like this before
/// it is encrypted (ciphertext does not compress).
pub fn compress(payload: &[u8]) -> Vec<u8> {
    compress_to_vec(payload, CompressionLevel::UberCompression as u8)
}

/// Link data for a passphrase-encrypted draft.
pub fn encode_sealed(sealed: &Sealed) -> String {
    let mut body = Vec::with_capacity(SEALED_HEADER_LEN + sealed.ciphertext.len());
    body.extend_from_slice(&sealed.salt);
    body.extend_from_slice(&sealed.iv);
    body.extend_from_slice(&sealed.iterations.to_be_bytes());
    body.extend_from_slice(&sealed.ciphertext);
    envelope(Kind::Sealed, &body)
}

/// The draft in a plain link.
pub fn decode(link_data: &str) -> Result<Vec<u8>, ShareError> {
    match decode_any(link_data)? {
        Decoded::Plain(payload) => Ok(payload),
        Decoded::Sealed(_) => Err(ShareError::PassphraseRequired),
    }
}

/// The draft in a plain link, or the sealed frame of an encrypted one.
pub fn decode_any(link_data: &str) -> Result<Decoded, ShareError> {
    match unpack(link_data)? {
        Packed::Deflated(body) => inflate(&body).map(Decoded::Plain),
        Packed::Sealed(sealed) => Ok(Decoded::Sealed(sealed)),
    }
}

/// A link's contents with the envelope checked, a plain draft still deflated: the app
/// inflates it with the browser's own `DecompressionStream` (no inflater in its wasm), held
/// to [`MAX_DECODED_BYTES`] as [`inflate`] holds it.
pub enum Packed {
    Deflated(Vec<u8>),
    Sealed(Sealed),
}

/// [`decode_any`] up to inflating.
pub fn unpack(link_data: &str) -> Result<Packed, ShareError> {
    let bytes = link_bytes(link_data)?;
    let (kind, body) = open_envelope(&bytes)?;
    match kind {
        Kind::Plain => Ok(Packed::Deflated(body.to_vec())),
        Kind::Sealed => unframe_sealed(body).map(Packed::Sealed),
    }
}

/// The share link to `data` for the app at `base` (its address, without a fragment).
pub fn link(base: &str, data: &str) -> String {
    format!("{base}#{FRAGMENT_KEY}{data}")
}

/// The share data of a URL fragment as the browser gives it (`#share=DATA`), when the
/// fragment is a share link.
pub fn in_fragment(hash: &str) -> Option<&str> {
    hash.strip_prefix('#')
        .unwrap_or(hash)
        .strip_prefix(FRAGMENT_KEY)
}

/// The share data in a full URL (`https://…/#share=DATA`), a fragment
/// (`#share=DATA`) or the bare data. It ends at the first character that
/// cannot be part of it (`&`, a closing parenthesis or full stop of the
/// sentence the link was pasted in). Whitespace inside is kept: [`decode`]
/// drops it.
pub fn fragment_data(url_or_fragment: &str) -> Option<&str> {
    let after_key = url_or_fragment
        .match_indices(FRAGMENT_KEY)
        .find_map(|(at, key)| {
            let before = url_or_fragment[..at].chars().next_back();
            let starts_parameter = before.is_none_or(|c| "#?&;".contains(c) || c.is_whitespace());
            starts_parameter.then(|| &url_or_fragment[at + key.len()..])
        });
    let data = match after_key {
        Some(rest) => rest.split(|c| !is_link_char(c)).next().unwrap_or(rest),
        None => {
            let bare = url_or_fragment.trim();
            let bare = bare.strip_prefix('#').unwrap_or(bare);
            if !bare.chars().all(is_link_char) {
                return None;
            }
            bare
        }
    };
    let data = data.trim_matches(is_ignored);
    (!data.is_empty()).then_some(data)
}

fn envelope(kind: Kind, body: &[u8]) -> String {
    // A body over 4 GiB cannot be in a URL anyway; its saturated length makes the link decode as Corrupt.
    let body_len = u32::try_from(body.len()).unwrap_or(u32::MAX);
    let mut bytes = Vec::with_capacity(HEADER_LEN + body.len() + CRC_LEN);
    bytes.extend_from_slice(&[MAGIC, VERSION, kind.byte()]);
    bytes.extend_from_slice(&body_len.to_be_bytes());
    bytes.extend_from_slice(body);
    bytes.extend_from_slice(&crc32(&bytes).to_be_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Base64 characters (URL-safe and standard) and what chat tools insert into links.
fn is_link_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_+/=".contains(c) || is_ignored(c)
}

/// Whitespace, line breaks and zero-width characters that chat tools insert when wrapping links.
fn is_ignored(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

fn link_bytes(link_data: &str) -> Result<Vec<u8>, ShareError> {
    let data: String = link_data
        .chars()
        .filter(|&c| !is_ignored(c))
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    let data = data.trim_end_matches('=');
    if data.is_empty() {
        return Err(ShareError::Empty);
    }
    URL_SAFE_NO_PAD.decode(data).map_err(|error| match error {
        // Every character is valid, but the data stops where no encoder
        // would stop: a link cut off mid-character.
        DecodeError::InvalidLength(_) | DecodeError::InvalidLastSymbol(..) => ShareError::Truncated,
        DecodeError::InvalidByte(..) | DecodeError::InvalidPadding => ShareError::NotBase64,
    })
}

/// Checks the envelope and returns its kind and body.
fn open_envelope(bytes: &[u8]) -> Result<(Kind, &[u8]), ShareError> {
    match bytes.first() {
        None => return Err(ShareError::Truncated),
        Some(&magic) if magic != MAGIC => return Err(ShareError::UnknownFormat),
        Some(_) => {}
    }
    match bytes.get(1) {
        Some(&version) if version != VERSION => {
            return Err(ShareError::UnsupportedVersion(version))
        }
        _ => {}
    }
    let header: [u8; HEADER_LEN] = bytes
        .get(..HEADER_LEN)
        .and_then(|header| header.try_into().ok())
        .ok_or(ShareError::Truncated)?;
    let [_, _, kind, body_len @ ..] = header;
    let kind = Kind::from_byte(kind).ok_or(ShareError::Corrupt)?;
    let body_len = usize::try_from(u32::from_be_bytes(body_len)).unwrap_or(usize::MAX);
    let body_end = HEADER_LEN.saturating_add(body_len);
    match bytes.len().cmp(&body_end.saturating_add(CRC_LEN)) {
        Ordering::Less => return Err(ShareError::Truncated),
        Ordering::Greater => return Err(ShareError::Corrupt),
        Ordering::Equal => {}
    }
    let (checked, crc) = bytes.split_at(body_end);
    if *crc != crc32(checked).to_be_bytes() {
        return Err(ShareError::Corrupt);
    }
    Ok((kind, &checked[HEADER_LEN..]))
}

/// Inflates without ever holding more than [`MAX_DECODED_BYTES`] (plus one
/// byte, to tell "exactly at the limit" from "over it").
/// Undoes [`compress`], refusing to unpack more than [`MAX_DECODED_BYTES`].
pub fn inflate(compressed: &[u8]) -> Result<Vec<u8>, ShareError> {
    let too_large = ShareError::TooLarge {
        limit: MAX_DECODED_BYTES,
    };
    match decompress_to_vec_with_limit(compressed, MAX_DECODED_BYTES + 1) {
        Ok(payload) if payload.len() > MAX_DECODED_BYTES => Err(too_large),
        Ok(payload) => Ok(payload),
        Err(error) if error.status == TINFLStatus::HasMoreOutput => Err(too_large),
        Err(_) => Err(ShareError::Corrupt),
    }
}

fn unframe_sealed(body: &[u8]) -> Result<Sealed, ShareError> {
    // The CRC matched, so a body too short for its fields was made wrong, not cut off.
    let (salt, rest) = split_array::<SALT_LEN>(body).ok_or(ShareError::Corrupt)?;
    let (iv, rest) = split_array::<IV_LEN>(rest).ok_or(ShareError::Corrupt)?;
    let (iterations, ciphertext) = split_array::<4>(rest).ok_or(ShareError::Corrupt)?;
    Ok(Sealed {
        salt,
        iv,
        iterations: u32::from_be_bytes(iterations),
        ciphertext: ciphertext.to_vec(),
    })
}

fn split_array<const N: usize>(bytes: &[u8]) -> Option<([u8; N], &[u8])> {
    let head = bytes.get(..N)?.try_into().ok()?;
    Some((head, &bytes[N..]))
}

/// CRC-32 (IEEE 802.3, as in zip and PNG): it detects every burst error up to 32 bits.
fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0, |crc, &byte| {
        CRC32_TABLE[usize::from((crc as u8) ^ byte)] ^ (crc >> 8)
    })
}

const CRC32_TABLE: [u32; 256] = {
    let mut table = [0; 256];
    let mut index = 0;
    while index < 256 {
        let mut crc = index as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[index] = crc;
        index += 1;
    }
    table
};

fn human_size(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes.is_multiple_of(MIB) {
        format!("{} MB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_fixture_report_survives_a_link() {
        for page in crate::test_pages::ALL {
            let shared = Shared {
                id: "d1".into(),
                report: crate::import(page).report,
            };
            let bytes = payload(&shared);
            assert!(bytes.starts_with(br#"{"format":"irdoc-share","id":"d1","#));
            let link = encode(&bytes);
            let back = read_payload(&decode(&link).unwrap()).unwrap();
            assert_eq!(back.id, shared.id);
            assert_eq!(crate::export(&back.report), page);
        }
    }

    #[test]
    fn links_compressed_by_another_deflate_read_the_same() {
        // The app's links come from the browser's DEFLATE, at its own level.
        let bytes = payload(&Shared {
            id: "d1".into(),
            report: crate::import(crate::test_pages::S4).report,
        });
        for level in [1, 6] {
            let link = encode_compressed(&compress_to_vec(&bytes, level));
            assert_eq!(decode(&link).unwrap(), bytes);
        }
    }

    #[test]
    fn unpacking_stops_before_inflating() {
        let link = encode(b"a draft");
        let Ok(Packed::Deflated(body)) = unpack(&link) else {
            panic!("a plain link unpacks to its deflated body")
        };
        assert_eq!(inflate(&body).unwrap(), b"a draft");
        assert_eq!(
            unpack(&link[..link.len() - 3]).err(),
            decode(&link[..link.len() - 3]).err()
        );
    }

    #[test]
    fn a_link_carries_the_wiki_page_a_report_came_from() {
        let origin = crate::wiki::Origin {
            wiki: "https://wikitech.wikimedia.org".into(),
            title: "Incidents/2025-03-31 sessionstore unavailability".into(),
            revid: 7,
            timestamp: "2025-04-01T10:00:00Z".into(),
        };
        let mut report = crate::import(crate::test_pages::SESSIONSTORE).report;
        report.title = origin.title.clone();
        report.wiki = Some(origin);
        let shared = Shared {
            id: "d1".into(),
            report,
        };
        assert_eq!(read_payload(&payload(&shared)).unwrap(), shared);
        // A link from before schema 3 has none.
        let old = br#"{"format":"irdoc-share","id":"a","title":"t","page":"x"}"#;
        assert_eq!(read_payload(old).unwrap().report.wiki, None);
    }

    #[test]
    fn payloads_that_are_not_reports_are_refused() {
        assert_eq!(read_payload(b"not json"), Err(ShareError::NotAReport));
        assert_eq!(
            read_payload(br#"{"format":"other"}"#),
            Err(ShareError::NotAReport)
        );
        assert_eq!(
            read_payload(br#"{"format":"irdoc-share","id":"x","report":{}}"#),
            Err(ShareError::NotAReport)
        );
        let ok = read_payload(
            br#"{"format":"irdoc-share","id":"x","title":"T","page":"== Summary ==\nHi"}"#,
        )
        .unwrap();
        assert_eq!(
            (ok.report.title.as_str(), ok.report.summary.as_str()),
            ("T", "Hi")
        );
    }

    use super::*;
    use miniz_oxide::deflate::compress_to_vec;
    use proptest::prelude::*;

    /// A draft-sized JSON document, deterministic.
    fn json_like(len: usize) -> Vec<u8> {
        let mut text = String::from("{\"entries\":[");
        let mut n: u32 = 0;
        while text.len() < len {
            n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            text.push_str(&format!(
                "{{\"when\":\"2024-07-21 {:02}:{:02}\",\"text\":\"db{} write queries exceed {} wr/s\"}},",
                n % 24,
                n % 60,
                1000 + n % 300,
                n % 1000
            ));
        }
        text.truncate(len);
        text.into_bytes()
    }

    fn sealed() -> Sealed {
        Sealed {
            salt: *b"0123456789abcdef",
            iv: *b"nonce-12byte",
            iterations: 600_000,
            ciphertext: (0..=255).collect(),
        }
    }

    /// Link data for an envelope assembled by hand.
    fn link(magic: u8, version: u8, kind: u8, body: &[u8]) -> String {
        let mut bytes = vec![magic, version, kind];
        bytes.extend_from_slice(&u32::try_from(body.len()).unwrap().to_be_bytes());
        bytes.extend_from_slice(body);
        bytes.extend_from_slice(&crc32(&bytes).to_be_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn round_trips() {
        for payload in [
            Vec::new(),
            b"{\"title\":\"s4 write overload\"}".to_vec(),
            json_like(1024 * 1024),
        ] {
            let data = encode(&payload);
            assert_eq!(decode(&data), Ok(payload.clone()));
            assert_eq!(decode_any(&data), Ok(Decoded::Plain(payload)));
        }
    }

    #[test]
    fn links_are_url_safe_and_deterministic() {
        let payload = json_like(20_000);
        let data = encode(&payload);
        assert_eq!(data, encode(&payload));
        assert!(data
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        // Every plain v1 link starts with the same envelope header.
        assert!(data.starts_with("SQFQ"));
        // Length figures for the record: the envelope costs 11 bytes before base64.
        assert_eq!(encode(b"").len(), 18);
        assert_eq!(encode(b"hello world").len(), 32);
        assert_eq!(encode(&json_like(1024 * 1024)).len(), 104_336);
    }

    #[test]
    fn sealed_framing_round_trips() {
        let data = encode_sealed(&sealed());
        assert_eq!(decode_any(&data), Ok(Decoded::Sealed(sealed())));
        assert_eq!(decode(&data), Err(ShareError::PassphraseRequired));
        let empty = Sealed {
            ciphertext: Vec::new(),
            ..sealed()
        };
        assert_eq!(
            decode_any(&encode_sealed(&empty)),
            Ok(Decoded::Sealed(empty))
        );
    }

    #[test]
    fn sealed_body_too_short_for_its_fields_is_corrupt() {
        let data = link(
            MAGIC,
            VERSION,
            Kind::Sealed.byte(),
            &[0; SEALED_HEADER_LEN - 1],
        );
        assert_eq!(decode_any(&data), Err(ShareError::Corrupt));
    }

    #[test]
    fn every_truncation_is_reported() {
        for data in [encode(&json_like(3000)), encode_sealed(&sealed())] {
            for cut in 1..data.len() {
                let error = decode_any(&data[..cut]).unwrap_err();
                assert!(
                    matches!(error, ShareError::Truncated | ShareError::Corrupt),
                    "cut at {cut}: {error:?}"
                );
            }
            assert_eq!(
                decode_any(&data[..data.len() - 1]),
                Err(ShareError::Truncated)
            );
        }
    }

    #[test]
    fn every_single_bit_flip_is_an_error() {
        let bytes = URL_SAFE_NO_PAD.decode(encode(&json_like(400))).unwrap();
        for bit in 0..bytes.len() * 8 {
            let mut flipped = bytes.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            assert!(
                decode_any(&URL_SAFE_NO_PAD.encode(&flipped)).is_err(),
                "bit {bit}"
            );
        }
    }

    #[test]
    fn changed_characters_never_give_other_data() {
        let payload = json_like(300);
        let data = encode(&payload);
        for at in 0..data.len() {
            for replacement in ['A', 'z', '0', '-', '_'] {
                let mut changed = data.clone();
                changed.replace_range(at..=at, &replacement.to_string());
                if changed != data {
                    assert!(decode(&changed).is_err(), "{at} -> {replacement}");
                }
            }
        }
    }

    #[test]
    fn decompression_bomb_is_rejected() {
        let zeros = vec![0; 100 * 1024 * 1024];
        let bomb = compress_to_vec(&zeros, 1);
        drop(zeros);
        let data = link(MAGIC, VERSION, Kind::Plain.byte(), &bomb);
        assert_eq!(
            decode(&data),
            Err(ShareError::TooLarge {
                limit: MAX_DECODED_BYTES
            })
        );
    }

    #[test]
    fn limit_is_inclusive() {
        assert_eq!(
            decode(&encode(&vec![b'x'; MAX_DECODED_BYTES])).map(|p| p.len()),
            Ok(MAX_DECODED_BYTES)
        );
        assert_eq!(
            decode(&encode(&vec![b'x'; MAX_DECODED_BYTES + 1])),
            Err(ShareError::TooLarge {
                limit: MAX_DECODED_BYTES
            })
        );
    }

    #[test]
    fn envelope_errors() {
        let body = compress_to_vec(b"draft", 6);
        assert_eq!(
            decode(&link(b'X', VERSION, Kind::Plain.byte(), &body)),
            Err(ShareError::UnknownFormat)
        );
        assert_eq!(
            decode(&link(MAGIC, 9, Kind::Plain.byte(), &body)),
            Err(ShareError::UnsupportedVersion(9))
        );
        assert_eq!(
            decode(&link(MAGIC, 0, Kind::Plain.byte(), &body)),
            Err(ShareError::UnsupportedVersion(0))
        );
        assert_eq!(
            decode(&link(MAGIC, VERSION, b'?', &body)),
            Err(ShareError::Corrupt)
        );
        assert_eq!(
            decode(&link(
                MAGIC,
                VERSION,
                Kind::Plain.byte(),
                b"not deflate at all"
            )),
            Err(ShareError::Corrupt)
        );
        // Another site's base64 data.
        assert_eq!(
            decode("eyJhbGciOiJIUzI1NiJ9"),
            Err(ShareError::UnknownFormat)
        );
    }

    #[test]
    fn extra_bytes_after_the_checksum_are_corrupt() {
        let mut bytes = URL_SAFE_NO_PAD.decode(encode(b"draft")).unwrap();
        bytes.push(0);
        assert_eq!(
            decode(&URL_SAFE_NO_PAD.encode(bytes)),
            Err(ShareError::Corrupt)
        );
    }

    #[test]
    fn empty_and_garbage() {
        assert_eq!(decode(""), Err(ShareError::Empty));
        assert_eq!(decode(" \n\t "), Err(ShareError::Empty));
        assert_eq!(decode("=="), Err(ShareError::Empty));
        assert_eq!(decode("not a link!"), Err(ShareError::NotBase64));
        assert_eq!(decode("abc=def"), Err(ShareError::NotBase64));
        assert_eq!(decode("Zm9vYmFy☃"), Err(ShareError::NotBase64));
        assert_eq!(decode("A"), Err(ShareError::Truncated));
    }

    #[test]
    fn chat_mangling_is_tolerated() {
        let payload = json_like(5000);
        let data = encode(&payload);
        let wrapped: String = data
            .as_bytes()
            .chunks(60)
            .map(|line| std::str::from_utf8(line).unwrap())
            .collect::<Vec<_>>()
            .join("\n  \u{200B}");
        assert_eq!(decode(&wrapped), Ok(payload.clone()));

        let standard = base64::engine::general_purpose::STANDARD
            .encode(URL_SAFE_NO_PAD.decode(&data).unwrap());
        assert!(standard.contains(['+', '/']) || standard.ends_with('='));
        assert_eq!(decode(&standard), Ok(payload));
    }

    #[test]
    fn fragment_data_finds_the_link_data() {
        assert_eq!(
            fragment_data("https://irdoc.example/#share=SQFQabc"),
            Some("SQFQabc")
        );
        assert_eq!(fragment_data("#share=SQFQabc"), Some("SQFQabc"));
        let made = super::link("https://irdoc.example/", "SQFQabc");
        assert_eq!(made, "https://irdoc.example/#share=SQFQabc");
        assert_eq!(fragment_data(&made), Some("SQFQabc"));
        assert_eq!(in_fragment("#share=SQFQabc"), Some("SQFQabc"));
        assert_eq!(in_fragment("#/timeline"), None);
        assert_eq!(fragment_data("SQFQabc"), Some("SQFQabc"));
        assert_eq!(fragment_data("  #SQFQabc \n"), Some("SQFQabc"));
        assert_eq!(
            fragment_data("https://irdoc.example/#share=SQFQ-_c&view=1"),
            Some("SQFQ-_c")
        );
        assert_eq!(
            fragment_data("https://irdoc.example/?x=1&share=SQFQ"),
            Some("SQFQ")
        );
        assert_eq!(
            fragment_data("see https://irdoc.example/#share=SQFQabc."),
            Some("SQFQabc")
        );
        assert_eq!(
            fragment_data("(https://irdoc.example/#share=SQFQabc)"),
            Some("SQFQabc")
        );
        assert_eq!(fragment_data("#share=SQFQ\n  abc"), Some("SQFQ\n  abc"));
        assert_eq!(fragment_data("https://irdoc.example/#noshare=SQFQ"), None);
        assert_eq!(fragment_data("https://irdoc.example/"), None);
        assert_eq!(fragment_data("#share="), None);
        assert_eq!(fragment_data(""), None);
    }

    #[test]
    fn fragment_data_feeds_decode() {
        let data = encode(b"{\"title\":\"x\"}");
        let url = format!("https://irdoc.example/#share={data}");
        assert_eq!(
            fragment_data(&url).map(decode),
            Some(Ok(b"{\"title\":\"x\"}".to_vec()))
        );
    }

    #[test]
    fn messages_speak_to_the_author() {
        assert_eq!(
            ShareError::Truncated.to_string(),
            "This share link is incomplete — it was probably cut off when it was copied. Ask for the link again."
        );
        assert!(ShareError::TooLarge {
            limit: MAX_DECODED_BYTES
        }
        .to_string()
        .contains("4 MB"));
        assert!(ShareError::TooLarge { limit: 1000 }
            .to_string()
            .contains("1000 bytes"));
        assert!(ShareError::UnsupportedVersion(9)
            .to_string()
            .contains("newer version of irdoc"));
        assert!(!ShareError::UnsupportedVersion(0)
            .to_string()
            .contains("newer"));
        for error in [
            ShareError::Empty,
            ShareError::NotBase64,
            ShareError::UnknownFormat,
            ShareError::Corrupt,
            ShareError::PassphraseRequired,
        ] {
            let message = error.to_string();
            assert!(
                message.starts_with("Th") && message.ends_with('.'),
                "{message}"
            );
        }
    }

    proptest! {
        #[test]
        fn random_bytes_round_trip(payload in proptest::collection::vec(any::<u8>(), 0..4096)) {
            prop_assert_eq!(decode(&encode(&payload)), Ok(payload));
        }

        #[test]
        fn random_sealed_round_trip(
            salt in any::<[u8; 16]>(),
            iv in any::<[u8; 12]>(),
            iterations in any::<u32>(),
            ciphertext in proptest::collection::vec(any::<u8>(), 0..512),
        ) {
            let sealed = Sealed { salt, iv, iterations, ciphertext };
            prop_assert_eq!(decode_any(&encode_sealed(&sealed)), Ok(Decoded::Sealed(sealed)));
        }

        #[test]
        fn decode_never_panics_on_strings(data in "\\PC{0,300}") {
            let _ = decode_any(&data);
            let _ = fragment_data(&data);
        }

        #[test]
        fn decode_never_panics_on_base64_of_anything(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = decode_any(&URL_SAFE_NO_PAD.encode(&bytes));
        }

        #[test]
        fn decode_never_panics_on_irdoc_looking_data(
            kind in prop_oneof![Just(Kind::Plain.byte()), Just(Kind::Sealed.byte()), any::<u8>()],
            body in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let _ = decode_any(&link(MAGIC, VERSION, kind, &body));
        }
    }
}
