//! Evaluating a non-literal value test against plaintext header values, as AWS does: WAF
//! regexes (statements and pattern sets), WAF byte matches with positional constraints and text
//! transformations, ALB http-header condition values (case-insensitive wildcards).
//!
//! Only the collector calls this, in its matching pass, while the plaintexts of the scan are in
//! memory (they are never stored). The result is a [`ValueTest`]: the fingerprints of the sent
//! values the test accepts, and how many fixed characters any accepted value must contain.
//! Nothing here returns or formats a plaintext; reasons are fixed sentences.

use crate::inventory::ValueTest;
use crate::secret::SecretValue;
use regex_syntax::hir::{Class, Hir, HirKind};

/// The compiled size limit of one WAF regex (AWS limits a pattern to 200 characters; the limit
/// only protects the collector from a pathological answer).
const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// The lazy DFA's cache per regex.
const REGEX_DFA_SIZE_LIMIT: usize = 1 << 20;
/// Nesting limit of the regex parser.
const REGEX_NEST_LIMIT: u32 = 64;
/// Backtracking steps allowed per value for a pattern with look-around (a header value is at
/// most a few kilobytes; a pattern that needs more is reported, not waited for).
const PCRE_BACKTRACK_LIMIT: usize = 1_000_000;

/// One test of a header value.
#[derive(Debug, Clone, Copy)]
pub enum Matcher<'p> {
    /// A WAF byte match: `search` against the transformed value, per the positional constraint.
    ByteMatch { search: &'p [u8], positional_constraint: &'p str, transformations: &'p [String] },
    /// A WAF regex, unanchored unless the pattern anchors itself, against the transformed value.
    Regex { pattern: &'p str, transformations: &'p [String] },
    /// An ALB http-header condition value: case-insensitive, `*` any run, `?` one character.
    AlbValue { pattern: &'p str },
}

/// Evaluates `matchers` (the alternatives of one statement: the patterns of a set, or a single
/// test) against every value of `sent`: a value is accepted if one matcher accepts it.
pub fn evaluate(matchers: &[Matcher<'_>], sent: &[&str]) -> ValueTest {
    let mut accepts: Vec<String> = Vec::new();
    let mut required: Option<usize> = None;
    let mut not_evaluated: Option<String> = None;
    for matcher in matchers {
        match Compiled::new(matcher) {
            Ok(compiled) => {
                required = Some(required.map_or(compiled.required_chars, |r| r.min(compiled.required_chars)));
                for value in sent {
                    match compiled.accepts(value.as_bytes()) {
                        Ok(true) => accepts.push(SecretValue::from_plaintext(value).fingerprint),
                        Ok(false) => {}
                        Err(reason) => {
                            not_evaluated.get_or_insert(reason);
                        }
                    }
                }
            }
            Err(reason) => {
                not_evaluated.get_or_insert(reason);
            }
        }
    }
    accepts.sort();
    accepts.dedup();
    ValueTest { accepts, required_chars: required, not_evaluated }
}

/// A matcher ready to test values.
struct Compiled<'p> {
    test: Test<'p>,
    transformations: &'p [String],
    required_chars: usize,
}

enum Test<'p> {
    Bytes {
        search: &'p [u8],
        constraint: Constraint,
    },
    Regex(regex::bytes::Regex),
    /// A pattern with PCRE constructs the regex crate lacks (look-around, `\Z`), matched by
    /// backtracking against text.
    Pcre(Box<fancy_regex::Regex>),
    Wildcard(Vec<WildcardPart>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Constraint {
    Exactly,
    StartsWith,
    EndsWith,
    Contains,
    ContainsWord,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WildcardPart {
    /// A character, compared ASCII case-insensitively.
    Char(char),
    /// `?`
    One,
    /// `*`
    Any,
}

impl<'p> Compiled<'p> {
    fn new(matcher: &Matcher<'p>) -> Result<Self, String> {
        match *matcher {
            Matcher::ByteMatch { search, positional_constraint, transformations } => {
                check_transformations(transformations)?;
                let constraint = match positional_constraint {
                    "EXACTLY" => Constraint::Exactly,
                    "STARTS_WITH" => Constraint::StartsWith,
                    "ENDS_WITH" => Constraint::EndsWith,
                    "CONTAINS" => Constraint::Contains,
                    "CONTAINS_WORD" => Constraint::ContainsWord,
                    other => return Err(format!("positional constraint {} is not known", printable(other))),
                };
                let required_chars = String::from_utf8_lossy(search).chars().count();
                Ok(Compiled { test: Test::Bytes { search, constraint }, transformations, required_chars })
            }
            Matcher::Regex { pattern, transformations } => {
                check_transformations(transformations)?;
                let parsed = regex_syntax::ParserBuilder::new()
                    .nest_limit(REGEX_NEST_LIMIT)
                    .utf8(false)
                    .build()
                    .parse(pattern);
                let Ok(hir) = parsed else {
                    // AWS WAF takes PCRE syntax; what the regex crate refuses may still be a
                    // construct WAF accepts (look-ahead, look-behind).
                    let (regex, required_chars) = compile_pcre(pattern)?;
                    return Ok(Compiled {
                        test: Test::Pcre(Box::new(regex)),
                        transformations,
                        required_chars,
                    });
                };
                let regex = regex::bytes::RegexBuilder::new(pattern)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .dfa_size_limit(REGEX_DFA_SIZE_LIMIT)
                    .nest_limit(REGEX_NEST_LIMIT)
                    .build()
                    .map_err(|error| match error {
                        regex::Error::CompiledTooBig(_) => "the regex exceeds the size limit".to_string(),
                        _ => "the regex does not compile".to_string(),
                    })?;
                Ok(Compiled {
                    test: Test::Regex(regex),
                    transformations,
                    required_chars: required_chars(&hir),
                })
            }
            Matcher::AlbValue { pattern } => {
                let parts: Vec<WildcardPart> = pattern
                    .chars()
                    .map(|c| match c {
                        '*' => WildcardPart::Any,
                        '?' => WildcardPart::One,
                        other => WildcardPart::Char(other),
                    })
                    .collect();
                let required_chars = parts.iter().filter(|p| matches!(p, WildcardPart::Char(_))).count();
                Ok(Compiled { test: Test::Wildcard(parts), transformations: &[], required_chars })
            }
        }
    }

    /// Whether the test accepts `value`; `Err` when a transformation could not be applied.
    fn accepts(&self, value: &[u8]) -> Result<bool, String> {
        let mut value = value.to_vec();
        for transformation in self.transformations {
            value = transform(transformation, &value)?;
        }
        Ok(match &self.test {
            Test::Bytes { search, constraint } => byte_match(&value, search, *constraint),
            Test::Regex(regex) => regex.is_match(&value),
            Test::Pcre(regex) => {
                let text = std::str::from_utf8(&value).map_err(|_| {
                    "a value, once transformed, is not text, which the look-around evaluation needs"
                        .to_string()
                })?;
                regex.is_match(text).map_err(|_| {
                    "the regex needs more backtracking than edge-audit allows to decide a value".to_string()
                })?
            }
            Test::Wildcard(parts) => match std::str::from_utf8(&value) {
                Ok(text) => wildcard_match(parts, &text.chars().collect::<Vec<_>>()),
                Err(_) => false,
            },
        })
    }
}

/// Compiles a pattern the regex crate refuses with a backtracking engine, and measures it.
/// Constructs AWS WAF refuses anyway (back-references, conditionals, subroutines, backtracking
/// verbs) are not measured: the test is then not evaluated.
fn compile_pcre(pattern: &str) -> Result<(fancy_regex::Regex, usize), String> {
    const UNKNOWN: &str = "the regex uses syntax edge-audit cannot evaluate (back-references, conditionals, \
                           subroutines or another construct AWS WAF refuses), so what it accepts could not be evaluated";
    let tree = fancy_regex::Expr::parse_tree(pattern).map_err(|_| UNKNOWN.to_string())?;
    let required = pcre_required_chars(&tree.expr).ok_or_else(|| UNKNOWN.to_string())?;
    let regex = fancy_regex::RegexBuilder::new(pattern)
        .backtrack_limit(PCRE_BACKTRACK_LIMIT)
        .delegate_size_limit(REGEX_SIZE_LIMIT)
        .delegate_dfa_size_limit(REGEX_DFA_SIZE_LIMIT)
        .build()
        .map_err(|_| UNKNOWN.to_string())?;
    Ok((regex, required.at_least))
}

/// What a part of a backtracking pattern requires of a matching value.
#[derive(Debug, Clone, Copy)]
struct PcreRequirement {
    /// Fixed characters the part consumes.
    consumed: usize,
    /// Fixed characters any matching value contains because of this part: at least
    /// `consumed`, more when a positive look-around demands text it does not consume.
    at_least: usize,
}

/// [`required_chars`] for a backtracking pattern. A positive look-around's characters are in
/// the value but may overlap what the rest consumes, so they count as a maximum, not a sum; a
/// negative one demands nothing. `None` for constructs that are not measured.
fn pcre_required_chars(expr: &fancy_regex::Expr) -> Option<PcreRequirement> {
    use fancy_regex::{AstNode, Expr, LookAround};
    let fixed = |n: usize| PcreRequirement { consumed: n, at_least: n };
    Some(match expr {
        Expr::Empty
        | Expr::Any { .. }
        | Expr::Assertion(_)
        | Expr::GeneralNewline { .. }
        | Expr::KeepOut
        | Expr::ContinueFromPreviousMatchEnd => fixed(0),
        Expr::Literal { val, .. } => fixed(val.chars().count()),
        Expr::Delegate { inner, casei } => {
            // One character (a class, an escape): it counts if it stands for one character.
            let hir = regex_syntax::ParserBuilder::new()
                .case_insensitive(*casei)
                .nest_limit(REGEX_NEST_LIMIT)
                .utf8(false)
                .build()
                .parse(inner)
                .ok()?;
            fixed(required_chars(&hir))
        }
        Expr::Group(child) => pcre_required_chars(child)?,
        Expr::AtomicGroup(child) | Expr::AstNode(AstNode::AstGroup { inner: child, .. }, _) => {
            pcre_required_chars(child)?
        }
        Expr::LookAround(child, LookAround::LookAhead | LookAround::LookBehind) => {
            PcreRequirement { consumed: 0, at_least: pcre_required_chars(child)?.at_least }
        }
        Expr::LookAround(..) => fixed(0),
        Expr::Repeat { child, lo, .. } => {
            let child = pcre_required_chars(child)?;
            let consumed = lo.saturating_mul(child.consumed);
            let at_least = if *lo == 0 { 0 } else { consumed.max(child.at_least) };
            PcreRequirement { consumed, at_least }
        }
        Expr::Concat(parts) => {
            let parts = parts.iter().map(pcre_required_chars).collect::<Option<Vec<_>>>()?;
            let consumed = parts.iter().map(|p| p.consumed).fold(0, usize::saturating_add);
            let at_least = parts.iter().map(|p| p.at_least).fold(consumed, usize::max);
            PcreRequirement { consumed, at_least }
        }
        Expr::Alt(branches) => {
            let branches = branches.iter().map(pcre_required_chars).collect::<Option<Vec<_>>>()?;
            PcreRequirement {
                consumed: branches.iter().map(|b| b.consumed).min().unwrap_or(0),
                at_least: branches.iter().map(|b| b.at_least).min().unwrap_or(0),
            }
        }
        _ => return None,
    })
}

/// A WAF name as it may appear in a reason (names are not secrets, but are bounded).
fn printable(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(40).collect()
}

/// The text transformations this module applies exactly as AWS WAF documents them.
pub const SUPPORTED_TRANSFORMATIONS: &[&str] = &[
    "NONE",
    "LOWERCASE",
    "COMPRESS_WHITE_SPACE",
    "URL_DECODE",
    "URL_DECODE_UNI",
    "BASE64_DECODE",
    "BASE64_DECODE_EXT",
    "HEX_DECODE",
    "HTML_ENTITY_DECODE",
    "NORMALIZE_PATH",
    "NORMALIZE_PATH_WIN",
    "REMOVE_NULLS",
    "REPLACE_NULLS",
    "CMD_LINE",
];

fn check_transformations(transformations: &[String]) -> Result<(), String> {
    match transformations.iter().find(|t| !SUPPORTED_TRANSFORMATIONS.contains(&t.as_str())) {
        Some(unknown) => Err(format!(
            "text transformation {} is not evaluated by edge-audit, so what the match accepts is unknown",
            printable(unknown)
        )),
        None => Ok(()),
    }
}

/// One AWS WAF text transformation applied to a value.
pub fn transform(kind: &str, value: &[u8]) -> Result<Vec<u8>, String> {
    Ok(match kind {
        "NONE" => value.to_vec(),
        "LOWERCASE" => value.to_ascii_lowercase(),
        "COMPRESS_WHITE_SPACE" => compress_white_space(value),
        "URL_DECODE" => url_decode(value, false),
        "URL_DECODE_UNI" => url_decode(value, true),
        "BASE64_DECODE" => base64_decode(value, false),
        "BASE64_DECODE_EXT" => base64_decode(value, true),
        "HEX_DECODE" => hex_decode(value),
        "HTML_ENTITY_DECODE" => html_entity_decode(value),
        "NORMALIZE_PATH" => normalize_path(value, false),
        "NORMALIZE_PATH_WIN" => normalize_path(value, true),
        "REMOVE_NULLS" => value.iter().copied().filter(|b| *b != 0).collect(),
        "REPLACE_NULLS" => value.iter().map(|b| if *b == 0 { b' ' } else { *b }).collect(),
        "CMD_LINE" => cmd_line(value),
        other => {
            return Err(format!(
                "text transformation {} is not evaluated by edge-audit, so what the match accepts is unknown",
                printable(other)
            ))
        }
    })
}

/// WAF's white space: space, tab, newline, carriage return, form feed, vertical tab and the
/// non-breaking space (0xA0).
fn is_waf_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0xa0)
}

/// Replaces white space with a space and collapses runs into one.
fn compress_white_space(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut in_space = false;
    for &byte in value {
        if is_waf_space(byte) {
            if !in_space {
                out.push(b' ');
            }
            in_space = true;
        } else {
            out.push(byte);
            in_space = false;
        }
    }
    out
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// `%XX` (and, for URL_DECODE_UNI, Microsoft's `%uXXXX`, kept as its low byte like ModSecurity's
/// urlDecodeUni for the ASCII range) decoded; `+` becomes a space; an invalid escape is kept.
fn url_decode(value: &[u8], unicode: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        let byte = value[i];
        if byte == b'%' {
            if unicode && value.get(i + 1).is_some_and(|b| b.eq_ignore_ascii_case(&b'u')) {
                let digits: Option<Vec<u8>> =
                    (2..6).map(|k| value.get(i + k).copied().and_then(hex_value)).collect();
                if let Some(digits) = digits {
                    let code = digits.iter().fold(0u32, |acc, d| acc * 16 + u32::from(*d));
                    // Full-width ASCII (U+FF01–U+FF5E) maps to ASCII, as IIS does.
                    let code = if (0xff01..=0xff5e).contains(&code) { code - 0xfee0 } else { code };
                    out.push((code & 0xff) as u8);
                    i += 6;
                    continue;
                }
            }
            if let (Some(high), Some(low)) =
                (value.get(i + 1).copied().and_then(hex_value), value.get(i + 2).copied().and_then(hex_value))
            {
                out.push(high * 16 + low);
                i += 3;
                continue;
            }
            out.push(byte);
        } else if byte == b'+' {
            out.push(b' ');
        } else {
            out.push(byte);
        }
        i += 1;
    }
    out
}

fn base64_value(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Base64 decoding. BASE64_DECODE stops at the first character outside the alphabet (or `=`);
/// BASE64_DECODE_EXT skips such characters (it "forgives" characters that are not valid).
fn base64_decode(value: &[u8], forgiving: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in value {
        let Some(sextet) = base64_value(byte) else {
            if forgiving {
                continue;
            }
            break;
        };
        buffer = (buffer << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    out
}

/// Pairs of hex digits decoded; decoding stops at the first character that is not one.
fn hex_decode(value: &[u8]) -> Vec<u8> {
    value
        .chunks(2)
        .map_while(|pair| match pair {
            [high, low] => Some(hex_value(*high)? * 16 + hex_value(*low)?),
            _ => None,
        })
        .collect()
}

/// The entities AWS WAF documents for HTML_ENTITY_DECODE: `&quot;`, `&nbsp;`, `&lt;`, `&gt;`,
/// `&amp;`, `&#xhhhh;` and `&#nnnn;`; anything else is kept.
fn html_entity_decode(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        if value[i] == b'&' {
            let rest = &value[i + 1..];
            if let Some(end) = rest.iter().take(12).position(|b| *b == b';') {
                let entity = &rest[..end];
                let decoded: Option<Vec<u8>> = match entity {
                    b"quot" => Some(vec![b'"']),
                    b"nbsp" => Some(vec![0xa0]),
                    b"lt" => Some(vec![b'<']),
                    b"gt" => Some(vec![b'>']),
                    b"amp" => Some(vec![b'&']),
                    [b'#', b'x' | b'X', digits @ ..] if !digits.is_empty() => {
                        u32::from_str_radix(std::str::from_utf8(digits).unwrap_or("z"), 16)
                            .ok()
                            .map(code_point)
                    }
                    [b'#', digits @ ..] if !digits.is_empty() => {
                        std::str::from_utf8(digits).ok().and_then(|d| d.parse::<u32>().ok()).map(code_point)
                    }
                    _ => None,
                };
                if let Some(decoded) = decoded {
                    out.extend(decoded);
                    i += end + 2;
                    continue;
                }
            }
        }
        out.push(value[i]);
        i += 1;
    }
    out
}

/// A numeric entity's character as UTF-8 (an invalid code point as its low byte).
fn code_point(code: u32) -> Vec<u8> {
    match char::from_u32(code) {
        Some(c) => c.to_string().into_bytes(),
        None => vec![(code & 0xff) as u8],
    }
}

/// Removes `//` runs, `/./` and `/../` (with the segment before it). NORMALIZE_PATH_WIN first
/// turns backslashes into slashes.
fn normalize_path(value: &[u8], windows: bool) -> Vec<u8> {
    let value: Vec<u8> = if windows {
        value.iter().map(|b| if *b == b'\\' { b'/' } else { *b }).collect()
    } else {
        value.to_vec()
    };
    let absolute = value.first() == Some(&b'/');
    let trailing = value.len() > 1 && value.last() == Some(&b'/');
    let mut segments: Vec<&[u8]> = Vec::new();
    for segment in value.split(|b| *b == b'/') {
        match segment {
            b"" | b"." => {}
            b".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut out = Vec::with_capacity(value.len());
    if absolute {
        out.push(b'/');
    }
    out.extend(segments.join(&b'/'));
    if trailing && !segments.is_empty() {
        out.push(b'/');
    }
    out
}

/// CMD_LINE as AWS WAF documents it: delete `\ " ' ^`, delete spaces before `/` and `(`,
/// replace `,` and `;` with a space, compress white space, lowercase.
fn cmd_line(value: &[u8]) -> Vec<u8> {
    let kept: Vec<u8> = value
        .iter()
        .copied()
        .filter(|b| !matches!(b, b'\\' | b'"' | b'\'' | b'^'))
        .map(|b| if matches!(b, b',' | b';') { b' ' } else { b })
        .collect();
    let compressed = compress_white_space(&kept);
    let mut out: Vec<u8> = Vec::with_capacity(compressed.len());
    for byte in compressed {
        if matches!(byte, b'/' | b'(') {
            while out.last() == Some(&b' ') {
                out.pop();
            }
        }
        out.push(byte);
    }
    out.to_ascii_lowercase()
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

fn byte_match(value: &[u8], search: &[u8], constraint: Constraint) -> bool {
    match constraint {
        Constraint::Exactly => value == search,
        Constraint::StartsWith => value.starts_with(search),
        Constraint::EndsWith => value.ends_with(search),
        Constraint::Contains => search.is_empty() || value.windows(search.len()).any(|w| w == search),
        Constraint::ContainsWord => {
            // The search string must be a word: at the start or after a non-word character, and
            // at the end or before one.
            if search.is_empty() || !search.iter().all(|b| is_word_byte(*b)) {
                return false;
            }
            (0..=value.len().saturating_sub(search.len())).any(|start| {
                value.get(start..start + search.len()) == Some(search)
                    && (start == 0 || !is_word_byte(value[start - 1]))
                    && value.get(start + search.len()).is_none_or(|b| !is_word_byte(*b))
            })
        }
    }
}

/// ALB's wildcard comparison: case-insensitive (ASCII), `*` any run, `?` exactly one character.
fn wildcard_match(parts: &[WildcardPart], text: &[char]) -> bool {
    // Classic two-pointer glob matching with backtracking to the last `*`.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match parts.get(p) {
            Some(WildcardPart::Char(c)) if c.eq_ignore_ascii_case(&text[t]) => {
                p += 1;
                t += 1;
            }
            Some(WildcardPart::One) => {
                p += 1;
                t += 1;
            }
            Some(WildcardPart::Any) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    parts[p..].iter().all(|part| *part == WildcardPart::Any)
}

/// The fewest fixed characters any string the regex matches must contain: literals count per
/// character, a class of at most two characters (a case-insensitive letter) counts as one,
/// wider classes and `.` as none; alternatives take the smallest branch, repetitions their
/// minimum count.
pub fn required_chars(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 0,
        HirKind::Literal(literal) => String::from_utf8_lossy(&literal.0).chars().count(),
        HirKind::Class(class) => usize::from(is_one_character(class)),
        HirKind::Repetition(repetition) => {
            (repetition.min as usize).saturating_mul(required_chars(&repetition.sub))
        }
        HirKind::Capture(capture) => required_chars(&capture.sub),
        HirKind::Concat(parts) => parts.iter().map(required_chars).fold(0, usize::saturating_add),
        HirKind::Alternation(branches) => branches.iter().map(required_chars).min().unwrap_or(0),
    }
}

/// Whether a class stands for one character, up to case (`[Kk]`, with Unicode's folds such as
/// the Kelvin sign that `(?i)` adds).
fn is_one_character(class: &Class) -> bool {
    let size = class_size(class);
    if size <= 1 {
        return true;
    }
    let Class::Unicode(set) = class else { return false };
    if size > 4 {
        return false;
    }
    let mut folded: Vec<char> = set
        .ranges()
        .iter()
        .flat_map(|r| r.start()..=r.end())
        .map(|c| match c {
            '\u{17f}' => 's',
            '\u{212a}' => 'k',
            '\u{212b}' => '\u{e5}',
            other => other.to_lowercase().next().unwrap_or(other),
        })
        .collect();
    folded.sort_unstable();
    folded.dedup();
    folded.len() == 1
}

fn class_size(class: &Class) -> u64 {
    match class {
        Class::Unicode(set) => {
            set.ranges().iter().map(|r| u64::from(r.end()) - u64::from(r.start()) + 1).sum()
        }
        Class::Bytes(set) => set.ranges().iter().map(|r| u64::from(r.end()) - u64::from(r.start()) + 1).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "4f1c1f6b1b7a4f1e9c3a8d2e7b6a5c4d";

    fn regex(pattern: &str) -> ValueTest {
        evaluate(&[Matcher::Regex { pattern, transformations: &[] }], &[SECRET, "other"])
    }

    fn accepted(test: &ValueTest, value: &str) -> bool {
        test.accepts(&SecretValue::from_plaintext(value).fingerprint)
    }

    #[test]
    fn regexes_match_substrings_and_measure_what_a_request_must_know() {
        use crate::inventory::TestStrength::*;
        // (pattern, accepts the secret, accepts "other", strength)
        let cases: Vec<(String, bool, bool, crate::inventory::TestStrength)> = vec![
            (format!("^{SECRET}$"), true, false, Secret),
            (SECRET.to_string(), true, false, Secret),
            (SECRET[4..24].to_string(), true, false, Secret),
            (format!("(?i)^{}$", SECRET.to_uppercase()), true, false, Secret),
            (".*".into(), true, true, Presence),
            (".+".into(), true, true, Presence),
            ("^$".into(), false, false, Presence),
            ("^[0-9a-f]{32}$".into(), true, false, Presence),
            ("4f1c".into(), true, false, Fragment),
            ("^4f1c.*$".into(), true, false, Fragment),
            (format!("^{SECRET}$|^other$"), true, true, Fragment),
            (format!("^(?:{SECRET}|{})$", "x".repeat(20)), true, false, Secret),
            ("(?i)^OTHER$".into(), false, true, Fragment),
        ];
        for (pattern, secret, other, strength) in cases {
            let test = regex(&pattern);
            assert_eq!(accepted(&test, SECRET), secret, "{pattern}");
            assert_eq!(accepted(&test, "other"), other, "{pattern}");
            assert_eq!(test.strength(), strength, "{pattern}");
        }
    }

    #[test]
    fn look_around_is_evaluated_as_pcre_does() {
        use crate::inventory::TestStrength::*;
        // (pattern, accepts the secret, accepts "other", strength)
        let cases: Vec<(String, bool, bool, crate::inventory::TestStrength)> = vec![
            // The secret required by a look-ahead, whatever else the value holds.
            (format!("^(?=.*{SECRET}).*$"), true, false, Secret),
            // A length check in a look-ahead, then the secret: the look-ahead adds nothing.
            (format!("^(?=.{{32}}$){SECRET}"), true, false, Secret),
            (format!("(?<=^){SECRET}(?=$)"), true, false, Secret),
            // "Not blank": any value passes.
            (r"^(?!\s*$).+".into(), true, true, Presence),
            // A negative look-ahead on a fragment does not make the rest a secret.
            ("^(?!other).+".into(), true, false, Presence),
            // A look-behind on a fragment.
            ("(?<=4f1c)1f6b".into(), true, false, Fragment),
            // `\Z`: the end, or before a final newline.
            (format!("^{SECRET}\\Z"), true, false, Secret),
            (format!("^(?i)(?={})", SECRET.to_uppercase()), true, false, Secret),
        ];
        for (pattern, secret, other, strength) in cases {
            let test = regex(&pattern);
            assert_eq!(test.not_evaluated, None, "{pattern}");
            assert_eq!(accepted(&test, SECRET), secret, "{pattern}");
            assert_eq!(accepted(&test, "other"), other, "{pattern}");
            assert_eq!(test.strength(), strength, "{pattern}");
        }
    }

    #[test]
    fn a_look_around_after_a_transformation_sees_the_transformed_value() {
        let encoded = SECRET.to_uppercase();
        let transformations = ["LOWERCASE".to_string()];
        let pattern = format!("^(?={SECRET}$)");
        let test =
            evaluate(&[Matcher::Regex { pattern: &pattern, transformations: &transformations }], &[&encoded]);
        assert!(accepted(&test, &encoded));
        // A value that is not text once decoded cannot be given to the backtracking engine.
        let transformations = ["BASE64_DECODE".to_string()];
        let test = evaluate(
            &[Matcher::Regex { pattern: "(?=x{20})x{20}", transformations: &transformations }],
            &["/w=="],
        );
        assert_eq!(test.strength(), crate::inventory::TestStrength::Unknown);
        assert!(test.not_evaluated.is_some());
    }

    #[test]
    fn catastrophic_backtracking_is_not_evaluated_not_waited_for() {
        let value = "a".repeat(64);
        let test = evaluate(
            &[Matcher::Regex { pattern: "^(?:(?=a)(?:a|aa))+(?=b)b", transformations: &[] }],
            &[&value],
        );
        assert!(test.accepts.is_empty());
        assert!(test.not_evaluated.is_some());
    }

    #[test]
    fn regexes_the_regex_crate_cannot_evaluate_are_named_unknown() {
        for pattern in ["(a)\\1", "(?<x>a)\\k<x>", "(a)(?(1)b|c)", "[unclosed", "a{99999999}", "(?=a)\\1"] {
            let test = regex(pattern);
            assert_eq!(test.strength(), crate::inventory::TestStrength::Unknown, "{pattern}");
            assert!(test.not_evaluated.is_some(), "{pattern}");
            assert!(!test.not_evaluated.as_deref().unwrap_or("").contains(pattern), "no pattern in reasons");
        }
    }

    #[test]
    fn a_pattern_set_is_as_weak_as_its_weakest_pattern() {
        let patterns = [format!("^{SECRET}$"), ".*".to_string()];
        let matchers: Vec<Matcher<'_>> =
            patterns.iter().map(|p| Matcher::Regex { pattern: p, transformations: &[] }).collect();
        let test = evaluate(&matchers, &[SECRET, "other"]);
        assert_eq!(test.required_chars, Some(0));
        assert!(accepted(&test, "other"));
        let patterns = [format!("^{SECRET}$"), "(y)\\1".to_string()];
        let matchers: Vec<Matcher<'_>> =
            patterns.iter().map(|p| Matcher::Regex { pattern: p, transformations: &[] }).collect();
        let test = evaluate(&matchers, &[SECRET]);
        assert_eq!(test.strength(), crate::inventory::TestStrength::Unknown);
        assert!(accepted(&test, SECRET));
    }

    fn byte(search: &str, constraint: &str, transformations: &[&str], value: &str) -> bool {
        let transformations: Vec<String> = transformations.iter().map(|t| t.to_string()).collect();
        let test = evaluate(
            &[Matcher::ByteMatch {
                search: search.as_bytes(),
                positional_constraint: constraint,
                transformations: &transformations,
            }],
            &[value],
        );
        accepted(&test, value)
    }

    #[test]
    fn byte_matches_apply_constraints_and_transformations_in_order() {
        let cases: Vec<(&str, &str, Vec<&str>, &str, bool)> = vec![
            ("abc", "EXACTLY", vec![], "abc", true),
            ("abc", "EXACTLY", vec![], "ABC", false),
            ("abc", "EXACTLY", vec!["LOWERCASE"], "ABC", true),
            ("abc", "STARTS_WITH", vec![], "abcdef", true),
            ("def", "STARTS_WITH", vec![], "abcdef", false),
            ("def", "ENDS_WITH", vec![], "abcdef", true),
            ("cd", "CONTAINS", vec![], "abcdef", true),
            ("cd", "CONTAINS_WORD", vec![], "abcdef", false),
            ("cd", "CONTAINS_WORD", vec![], "ab-cd;ef", true),
            ("cd", "CONTAINS_WORD", vec![], "cd", true),
            ("a b", "EXACTLY", vec!["COMPRESS_WHITE_SPACE"], "a \t  b", true),
            ("a/b", "EXACTLY", vec!["URL_DECODE"], "a%2Fb", true),
            ("a b", "EXACTLY", vec!["URL_DECODE"], "a+b", true),
            ("hello", "EXACTLY", vec!["BASE64_DECODE"], "aGVsbG8=", true),
            ("hello", "EXACTLY", vec!["BASE64_DECODE_EXT"], "aGV sbG8", true),
            ("hello", "EXACTLY", vec!["HEX_DECODE"], "68656c6c6f", true),
            ("<a>", "EXACTLY", vec!["HTML_ENTITY_DECODE"], "&lt;a&#x3e;", true),
            ("/a/c", "EXACTLY", vec!["NORMALIZE_PATH"], "//a/./b/../c", true),
            ("/a/c", "EXACTLY", vec!["NORMALIZE_PATH_WIN"], "\\a\\b\\..\\c", true),
            ("ab", "EXACTLY", vec!["REMOVE_NULLS"], "a\0b", true),
            ("a b", "EXACTLY", vec!["REPLACE_NULLS"], "a\0b", true),
            ("abc", "EXACTLY", vec!["BASE64_DECODE", "LOWERCASE"], "QUJD", true),
            ("abc", "EXACTLY", vec!["LOWERCASE", "BASE64_DECODE"], "QUJD", false),
            ("abc", "EXACTLY", vec!["MD5"], "abc", false),
        ];
        for (search, constraint, transformations, value, expected) in cases {
            assert_eq!(
                byte(search, constraint, &transformations, value),
                expected,
                "{search} {constraint} {transformations:?} {value:?}"
            );
        }
    }

    #[test]
    fn unknown_transformations_are_not_evaluated() {
        let transformations = vec!["MD5".to_string()];
        let test = evaluate(
            &[Matcher::ByteMatch {
                search: b"abc",
                positional_constraint: "EXACTLY",
                transformations: &transformations,
            }],
            &["abc"],
        );
        assert_eq!(test.required_chars, None);
        assert!(test.not_evaluated.is_some_and(|r| r.contains("MD5")));
    }

    #[test]
    fn alb_values_are_case_insensitive_wildcards() {
        let cases: Vec<(&str, &str, bool, usize)> = vec![
            ("*", "anything", true, 0),
            ("*", "", true, 0),
            ("abc", "ABC", true, 3),
            ("abc", "abcd", false, 3),
            ("a?c", "abc", true, 2),
            ("a?c", "ac", false, 2),
            ("a*c", "abbbc", true, 2),
            ("a*c", "abbbd", false, 2),
            ("*c*", "xxcxx", true, 1),
            ("**", "x", true, 0),
            ("a*b*c", "aXbYc", true, 3),
            ("a*b*c", "aXcYb", false, 3),
        ];
        for (pattern, value, expected, required) in cases {
            let test = evaluate(&[Matcher::AlbValue { pattern }], &[value]);
            assert_eq!(accepted(&test, value), expected, "{pattern} {value}");
            assert_eq!(test.required_chars, Some(required), "{pattern}");
        }
    }
}
