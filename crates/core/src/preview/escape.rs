//! Escaping and character references.
//!
//! Every piece of input text reaches the output through [`escape_into`], the
//! first rule of the safety model. Character references (`&amp;`, `&#124;`,
//! `&hellip;` …) decode to characters that are then escaped like any other
//! text, so decoding can never produce markup.

use std::borrow::Cow;

/// Appends `s` as HTML text (safe in element content and quoted attributes).
pub(super) fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// `s` as HTML text: the one escaping rule, for the preview and for the app's HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s);
    out
}

// The names are space-separated strings, not arrays of `&str`: an array costs the
// wasm a pointer and a length for every name.

/// Named entities of HTML 4 for U+00A0..=U+00FF, in code point order.
const LATIN1_ENTITIES: &str =
    "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg \
    macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 \
    frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave \
    Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde \
    Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute \
    acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute \
    icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave \
    uacute ucirc uuml yacute thorn yuml";

/// Greek capitals U+0391..=U+03A9 (U+03A2 is unassigned: the empty name).
const GREEK_UPPER_ENTITIES: &str = "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa \
    Lambda Mu Nu Xi Omicron Pi Rho  Sigma Tau Upsilon Phi Chi Psi Omega";

/// Greek small letters U+03B1..=U+03C9.
const GREEK_LOWER_ENTITIES: &str = "alpha beta gamma delta epsilon zeta eta theta iota kappa \
    lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon phi chi psi omega";

/// Other names, each followed by its character.
const OTHER_ENTITIES: &str =
    "amp& lt< gt> quot\" apos' ndash– mdash— lsquo‘ rsquo’ sbquo‚ ldquo“ rdquo” \
    bdquo„ dagger† Dagger‡ bull• hellip… permil‰ prime′ Prime″ lsaquo‹ rsaquo› \
    oline‾ frasl⁄ euro€ trade™ weierp℘ imageℑ realℜ alefsymℵ larr← uarr↑ rarr→ darr↓ \
    harr↔ crarr↵ lArr⇐ uArr⇑ rArr⇒ dArr⇓ hArr⇔ forall∀ part∂ exist∃ empty∅ nabla∇ \
    isin∈ notin∉ ni∋ prod∏ sum∑ minus− lowast∗ radic√ prop∝ infin∞ ang∠ and∧ or∨ \
    cap∩ cup∪ int∫ there4∴ sim∼ cong≅ asymp≈ ne≠ equiv≡ le≤ ge≥ sub⊂ sup⊃ nsub⊄ \
    sube⊆ supe⊇ oplus⊕ otimes⊗ perp⊥ sdot⋅ loz◊ spades♠ clubs♣ hearts♥ diams♦ \
    ensp\u{2002} emsp\u{2003} thinsp\u{2009} zwnj\u{200c} zwj\u{200d} lrm\u{200e} \
    rlm\u{200f}";

fn named_entity(name: &str) -> Option<char> {
    if name.is_empty() {
        return None;
    }
    let from_block = |names: &str, first: u32| {
        let i = names.split(' ').position(|n| n == name)?;
        char::from_u32(first + u32::try_from(i).ok()?)
    };
    from_block(LATIN1_ENTITIES, 0xA0)
        .or_else(|| from_block(GREEK_UPPER_ENTITIES, 0x391))
        .or_else(|| from_block(GREEK_LOWER_ENTITIES, 0x3B1))
        .or_else(|| {
            OTHER_ENTITIES.split(' ').find_map(|entry| {
                let c = entry.chars().next_back()?;
                (entry.strip_suffix(c)? == name).then_some(c)
            })
        })
}

/// Code points MediaWiki accepts in numeric character references; others
/// (NUL, controls including CR, DEL and U+0080–U+009F, surrogates) are shown as the
/// literal reference.
fn valid_codepoint(code: u32) -> Option<char> {
    let ok = matches!(code, 0x09 | 0x0a | 0x20..=0x7e | 0xa0..=0xd7ff | 0xe000..=0xfffd | 0x10000..=0x10ffff);
    if ok {
        char::from_u32(code)
    } else {
        None
    }
}

/// Decodes the character reference at `s[i]` (an `&`): returns the character
/// and the index just past its `;`. Bounded look-ahead keeps `&&&…` linear.
pub(super) fn entity_at(s: &str, i: usize) -> Option<(char, usize)> {
    let b = s.as_bytes();
    let mut j = i + 1;
    if b.get(j) == Some(&b'#') {
        j += 1;
        let hex = matches!(b.get(j), Some(b'x' | b'X'));
        if hex {
            j += 1;
        }
        let start = j;
        while j < b.len()
            && j - start < 8
            && (if hex {
                b[j].is_ascii_hexdigit()
            } else {
                b[j].is_ascii_digit()
            })
        {
            j += 1;
        }
        if j == start || b.get(j) != Some(&b';') {
            return None;
        }
        let code = u32::from_str_radix(&s[start..j], if hex { 16 } else { 10 }).ok()?;
        Some((valid_codepoint(code)?, j + 1))
    } else {
        let start = j;
        while j < b.len() && j - start < 32 && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j == start || b.get(j) != Some(&b';') {
            return None;
        }
        Some((named_entity(&s[start..j])?, j + 1))
    }
}

/// Replaces valid character references by their characters.
pub(super) fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let (mut i, mut copied) = (0, 0);
    while let Some(off) = s[i..].find('&') {
        let amp = i + off;
        match entity_at(s, amp) {
            Some((c, end)) => {
                out.push_str(&s[copied..amp]);
                out.push(c);
                copied = end;
                i = end;
            }
            None => i = amp + 1,
        }
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_tables_are_consistent() {
        assert_eq!(named_entity("nbsp"), Some('\u{a0}'));
        assert_eq!(named_entity("times"), Some('×'));
        assert_eq!(named_entity("yuml"), Some('ÿ'));
        assert_eq!(named_entity("Omega"), Some('Ω'));
        assert_eq!(named_entity("sigmaf"), Some('ς'));
        assert_eq!(named_entity("omega"), Some('ω'));
        assert_eq!(named_entity(""), None);
        assert_eq!(named_entity("AMP"), None);
        let count = |names: &str| names.split(' ').count();
        assert_eq!(count(LATIN1_ENTITIES), 96);
        assert_eq!(count(GREEK_UPPER_ENTITIES), 25);
        assert_eq!(count(GREEK_LOWER_ENTITIES), 25);
        assert_eq!(count(OTHER_ENTITIES), 91);
        assert_eq!(named_entity("Sigma"), Some('Σ'));
        assert_eq!(named_entity("quot"), Some('"'));
        assert_eq!(named_entity("thinsp"), Some('\u{2009}'));
        assert_eq!(named_entity("rlm"), Some('\u{200f}'));
    }

    #[test]
    fn control_character_references_stay_literal() {
        // MediaWiki: <p>x&amp;#13;y&amp;#127;z&amp;#x80;w&amp;#x9F;v&#9;u</p>
        assert_eq!(
            decode_entities("x&#13;y&#127;z&#x80;w&#x9F;v&#9;u&#x7E;&#xA0;"),
            "x&#13;y&#127;z&#x80;w&#x9F;v\tu~\u{a0}"
        );
        assert_eq!(
            crate::preview::render_inline("&#13;&#x85;"),
            "&amp;#13;&amp;#x85;"
        );
    }
}
