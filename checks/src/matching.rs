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
use sha2::Digest as _;

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
                // After a hash the search string is compared with a digest: a request must
                // find a value whose digest holds those bytes, each a fixed character (one in
                // 256, more than a character of a hexadecimal secret). Before one, characters.
                let hashed = transformations.iter().any(|t| HASH_TRANSFORMATIONS.contains(&t.as_str()));
                let required_chars =
                    if hashed { search.len() } else { String::from_utf8_lossy(search).chars().count() };
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
        let accepted = self.test_transformed(&self.transformed(value, Sha256Form::Raw)?)?;
        if !accepted && self.transformations.iter().any(|t| t == "SHA256") {
            // A test written for the digest in hexadecimal fails on the raw one; it would pass
            // only if SHA256 wrote its digest otherwise than AWS documents MD5 to: not decided.
            for form in [Sha256Form::LowerHex, Sha256Form::UpperHex] {
                let passes = self.transformed(value, form).and_then(|v| self.test_transformed(&v));
                if passes == Ok(true) {
                    return Err("the test matches the SHA256 digest of a value written in hexadecimal, not the raw \
                                digest that edge-audit takes AWS to compare (as AWS documents for MD5), so whether \
                                AWS accepts the value is not decided"
                        .to_string());
                }
            }
        }
        Ok(accepted)
    }

    /// `value` through the transformations, in priority order.
    fn transformed(&self, value: &[u8], sha256: Sha256Form) -> Result<Vec<u8>, String> {
        let mut value = value.to_vec();
        for transformation in self.transformations {
            value = transform_as(transformation, &value, sha256)?;
        }
        Ok(value)
    }

    /// Whether the test accepts an already transformed value.
    fn test_transformed(&self, value: &[u8]) -> Result<bool, String> {
        Ok(match &self.test {
            Test::Bytes { search, constraint } => byte_match(value, search, *constraint),
            Test::Regex(regex) => regex.is_match(value),
            Test::Pcre(regex) => {
                let text = std::str::from_utf8(value).map_err(|_| {
                    "a value, once transformed, is not text, which the look-around evaluation needs"
                        .to_string()
                })?;
                regex.is_match(text).map_err(|_| {
                    "the regex needs more backtracking than edge-audit allows to decide a value".to_string()
                })?
            }
            Test::Wildcard(parts) => match std::str::from_utf8(value) {
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

/// The text transformations this module applies, with the API's names (the collector stores
/// `TextTransformationType::as_str`): every one aws-sdk-wafv2 knows. Each is applied as the AWS
/// WAF Developer Guide describes it, "Text transformation options",
/// <https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html>.
/// The descriptions quoted here are the guide's for the first 21; UPPERCASE, TRIM, TRIM_LEFT,
/// TRIM_RIGHT, REMOVE_WHITESPACE, REMOVE_COMMENTS_CHAR, CMD_LINE_UNIX, CMD_LINE_WIN,
/// JS_DECODE_EXT and SHA256 came later, and only what any reading of their names agrees on is
/// applied. Where a description leaves a case open (which characters TRIM takes for white
/// space, what CSS_DECODE makes of a hexadecimal escape, what CMD_LINE_UNIX changes at all), a
/// value that hits it is not evaluated ([`transform`] says why) rather than decided on a guess:
/// a pass is never a guess.
pub const SUPPORTED_TRANSFORMATIONS: &[&str] = &[
    "NONE",
    "LOWERCASE",
    "UPPERCASE",
    "COMPRESS_WHITE_SPACE",
    "REMOVE_WHITESPACE",
    "TRIM",
    "TRIM_LEFT",
    "TRIM_RIGHT",
    "URL_DECODE",
    "URL_DECODE_UNI",
    "BASE64_DECODE",
    "BASE64_DECODE_EXT",
    "HEX_DECODE",
    "SQL_HEX_DECODE",
    "HTML_ENTITY_DECODE",
    "CSS_DECODE",
    "JS_DECODE",
    "JS_DECODE_EXT",
    "ESCAPE_SEQ_DECODE",
    "UTF8_TO_UNICODE",
    "NORMALIZE_PATH",
    "NORMALIZE_PATH_WIN",
    "REMOVE_NULLS",
    "REPLACE_NULLS",
    "REPLACE_COMMENTS",
    "REMOVE_COMMENTS_CHAR",
    "CMD_LINE",
    "CMD_LINE_UNIX",
    "CMD_LINE_WIN",
    "MD5",
    "SHA256",
];

/// The hash transformations: what follows them is a digest, not the value.
const HASH_TRANSFORMATIONS: &[&str] = &["MD5", "SHA256"];

fn check_transformations(transformations: &[String]) -> Result<(), String> {
    match transformations.iter().find(|t| !SUPPORTED_TRANSFORMATIONS.contains(&t.as_str())) {
        Some(unknown) => Err(format!(
            "text transformation {} is not evaluated by edge-audit, so what the match accepts is unknown",
            printable(unknown)
        )),
        None => Ok(()),
    }
}

/// How SHA256 writes its digest. The guide says MD5's is "in a raw binary form"; SHA256's is
/// taken to be the same ([`Sha256Form::Raw`]), and the hexadecimal forms are only tried to
/// notice a test that would pass if it were not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sha256Form {
    Raw,
    LowerHex,
    UpperHex,
}

/// One AWS WAF text transformation applied to a value.
pub fn transform(kind: &str, value: &[u8]) -> Result<Vec<u8>, String> {
    transform_as(kind, value, Sha256Form::Raw)
}

fn transform_as(kind: &str, value: &[u8], sha256: Sha256Form) -> Result<Vec<u8>, String> {
    let open_case = |case: &str| {
        format!(
            "text transformation {} is evaluated only where AWS documents its effect, and a value holds {case}, so what the match accepts is unknown",
            printable(kind)
        )
    };
    Ok(match kind {
        "NONE" => value.to_vec(),
        "LOWERCASE" => value.to_ascii_lowercase(),
        "UPPERCASE" => uppercase(value).map_err(open_case)?,
        "COMPRESS_WHITE_SPACE" => compress_white_space(value),
        "REMOVE_WHITESPACE" => remove_whitespace(value).map_err(open_case)?,
        "TRIM" => trim_end(trim_start(value).map_err(open_case)?).map_err(open_case)?.to_vec(),
        "TRIM_LEFT" => trim_start(value).map_err(open_case)?.to_vec(),
        "TRIM_RIGHT" => trim_end(value).map_err(open_case)?.to_vec(),
        "URL_DECODE" => url_decode(value, false),
        "URL_DECODE_UNI" => url_decode(value, true),
        "BASE64_DECODE" => base64_decode(value, false),
        "BASE64_DECODE_EXT" => base64_decode(value, true),
        "HEX_DECODE" => hex_decode(value),
        "SQL_HEX_DECODE" => sql_hex_decode(value).map_err(open_case)?,
        "HTML_ENTITY_DECODE" => html_entity_decode(value).map_err(open_case)?,
        "CSS_DECODE" => css_decode(value).map_err(open_case)?,
        "JS_DECODE" => js_decode(value).map_err(open_case)?,
        "JS_DECODE_EXT" => js_decode_ext(value).map_err(open_case)?,
        "ESCAPE_SEQ_DECODE" => escape_seq_decode(value).map_err(open_case)?,
        "UTF8_TO_UNICODE" => utf8_to_unicode(value).map_err(open_case)?,
        "NORMALIZE_PATH" => normalize_path(value, false),
        "NORMALIZE_PATH_WIN" => normalize_path(value, true),
        "REMOVE_NULLS" => value.iter().copied().filter(|b| *b != 0).collect(),
        "REPLACE_NULLS" => value.iter().map(|b| if *b == 0 { b' ' } else { *b }).collect(),
        "REPLACE_COMMENTS" => replace_comments(value),
        "REMOVE_COMMENTS_CHAR" => remove_comments_char(value).map_err(open_case)?,
        "CMD_LINE" => cmd_line(value),
        "CMD_LINE_UNIX" | "CMD_LINE_WIN" => cmd_line_variant(value).map_err(open_case)?,
        // "AWS WAF calculates an MD5 hash from the data in the input. The computed hash is in a
        // raw binary form."
        "MD5" => md5::Md5::digest(value).to_vec(),
        "SHA256" => {
            let digest = sha2::Sha256::digest(value);
            match sha256 {
                Sha256Form::Raw => digest.to_vec(),
                Sha256Form::LowerHex => hex_string(&digest, false),
                Sha256Form::UpperHex => hex_string(&digest, true),
            }
        }
        other => {
            return Err(format!(
                "text transformation {} is not evaluated by edge-audit, so what the match accepts is unknown",
                printable(other)
            ))
        }
    })
}

fn hex_string(bytes: &[u8], upper: bool) -> Vec<u8> {
    let digits: &[u8; 16] = if upper { b"0123456789ABCDEF" } else { b"0123456789abcdef" };
    bytes.iter().flat_map(|b| [digits[usize::from(b >> 4)], digits[usize::from(b & 0xf)]]).collect()
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

/// White space under any definition AWS can mean: space, tab, newline, carriage return.
fn is_plain_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// A character that some definitions of white space take and others do not: the other ASCII
/// controls (vertical tab, form feed, NUL…), Unicode's white space beyond ASCII (the no-break
/// space among it) and the invisible characters some trims also remove. The guide names no set
/// for TRIM, TRIM_LEFT, TRIM_RIGHT and REMOVE_WHITESPACE, so a value holding one where it
/// matters is not evaluated.
fn is_doubtful_space(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control() && !is_plain_space(c as u8);
    }
    c.is_whitespace() || matches!(c, '\u{180e}' | '\u{200b}' | '\u{2060}' | '\u{feff}')
}

/// A byte that is no UTF-8 but is white space in Latin-1 (NEL, no-break space).
fn is_doubtful_space_byte(byte: u8) -> bool {
    matches!(byte, 0x85 | 0xa0)
}

const DOUBTFUL_SPACE: &str = "white space other than a space, tab, newline or carriage return";

fn starts_with_doubtful_space(value: &[u8]) -> bool {
    match value.utf8_chunks().next() {
        None => false,
        Some(chunk) => match chunk.valid().chars().next() {
            Some(c) => is_doubtful_space(c),
            None => chunk.invalid().first().is_some_and(|b| is_doubtful_space_byte(*b)),
        },
    }
}

fn ends_with_doubtful_space(value: &[u8]) -> bool {
    let last = (1..=value.len().min(4)).find_map(|n| {
        let tail = std::str::from_utf8(&value[value.len() - n..]).ok()?;
        let mut chars = tail.chars();
        chars.next().filter(|_| chars.next().is_none())
    });
    match last {
        Some(c) => is_doubtful_space(c),
        None => value.last().is_some_and(|b| is_doubtful_space_byte(*b)),
    }
}

/// TRIM_LEFT: the white space at the start removed.
fn trim_start(value: &[u8]) -> Result<&[u8], &'static str> {
    let start = value.iter().position(|b| !is_plain_space(*b)).unwrap_or(value.len());
    let rest = &value[start..];
    if starts_with_doubtful_space(rest) {
        return Err(DOUBTFUL_SPACE);
    }
    Ok(rest)
}

/// TRIM_RIGHT: the white space at the end removed.
fn trim_end(value: &[u8]) -> Result<&[u8], &'static str> {
    let end = value.iter().rposition(|b| !is_plain_space(*b)).map_or(0, |i| i + 1);
    let rest = &value[..end];
    if ends_with_doubtful_space(rest) {
        return Err(DOUBTFUL_SPACE);
    }
    Ok(rest)
}

/// REMOVE_WHITESPACE: every white-space character removed.
fn remove_whitespace(value: &[u8]) -> Result<Vec<u8>, &'static str> {
    let doubtful = value.utf8_chunks().any(|chunk| {
        chunk.valid().chars().any(is_doubtful_space)
            || chunk.invalid().iter().any(|b| is_doubtful_space_byte(*b))
    });
    if doubtful {
        return Err(DOUBTFUL_SPACE);
    }
    Ok(value.iter().copied().filter(|b| !is_plain_space(*b)).collect())
}

/// UPPERCASE: `a`–`z` to `A`–`Z`, as LOWERCASE is documented the other way. Whether letters
/// beyond ASCII change is not said.
fn uppercase(value: &[u8]) -> Result<Vec<u8>, &'static str> {
    if !value.is_ascii() {
        return Err("a character outside ASCII");
    }
    Ok(value.to_ascii_uppercase())
}

/// The byte a 16-bit escape (`%uHHHH`, `\uHHHH`) decodes to: "If the code is in the full-width
/// ASCII code range of FF01-FF5E, the higher byte is used to detect and adjust the lower byte.
/// Otherwise, only the lower byte is used and the higher byte is zeroed."
fn wide_code_byte(digits: &[u8]) -> u8 {
    let code = digits.iter().fold(0u32, |acc, d| acc * 16 + u32::from(*d));
    let code = if (0xff01..=0xff5e).contains(&code) { code - 0xfee0 } else { code };
    (code & 0xff) as u8
}

/// The four hex digits after `\u` / `%u` at `at`, if there are four.
fn four_hex_digits(value: &[u8], at: usize) -> Option<Vec<u8>> {
    (0..4).map(|k| value.get(at + k).copied().and_then(hex_value)).collect()
}

/// SQL_HEX_DECODE: "For example, (0x414243) is decoded to (ABC)." A value that is such a
/// literal is decoded; one without any is unchanged; a literal inside other text (or MySQL's
/// `X'…'`) is a case the guide does not describe.
fn sql_hex_decode(value: &[u8]) -> Result<Vec<u8>, &'static str> {
    if let Some(digits) = value.strip_prefix(b"0x") {
        if !digits.is_empty() && digits.len() % 2 == 0 && digits.iter().all(|b| hex_value(*b).is_some()) {
            return Ok(hex_decode(digits));
        }
    }
    let literal = value.windows(3).any(|w| match w {
        [b'0', b'x' | b'X', digit] => hex_value(*digit).is_some(),
        [b'x' | b'X', b'\'', digit] => hex_value(*digit).is_some(),
        _ => false,
    });
    if literal {
        return Err("a hexadecimal literal within other text");
    }
    Ok(value.to_vec())
}

/// CSS_DECODE: CSS 2.x escapes; "a combination of a backslash and non-hexadecimal characters.
/// For example, ja\vascript for javascript." A hexadecimal escape ("uses up to two bytes in the
/// decoding process": which, and the white space after it, are not said), an escaped line
/// break and a final backslash are not described.
fn css_decode(value: &[u8]) -> Result<Vec<u8>, &'static str> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        if value[i] != b'\\' {
            out.push(value[i]);
            i += 1;
            continue;
        }
        match value.get(i + 1) {
            Some(&next) if hex_value(next).is_none() && !matches!(next, b'\n' | b'\r' | 0x0c) => {
                out.push(next);
                i += 2;
            }
            _ => return Err("a hexadecimal or line-break escape, or a final backslash"),
        }
    }
    Ok(out)
}

/// JS_DECODE: "If a \uHHHH code is in the full-width ASCII code range of FF01-FF5E, then the
/// higher byte is used to detect and adjust the lower byte. If not, only the lower byte is used
/// and the higher byte is zeroed." The other JavaScript escapes (`\xHH`, octal, `\n`, `\q`) are
/// not described.
fn js_decode(value: &[u8]) -> Result<Vec<u8>, &'static str> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        if value[i] != b'\\' {
            out.push(value[i]);
            i += 1;
            continue;
        }
        match (value.get(i + 1), four_hex_digits(value, i + 2)) {
            (Some(b'u'), Some(digits)) => {
                out.push(wide_code_byte(&digits));
                i += 6;
            }
            _ => return Err("a JavaScript escape other than \\uHHHH"),
        }
    }
    Ok(out)
}

/// JS_DECODE_EXT: what it adds to JS_DECODE is not described; a value without a backslash or a
/// percent sign has no escape to decode.
fn js_decode_ext(value: &[u8]) -> Result<Vec<u8>, &'static str> {
    if value.iter().any(|b| matches!(b, b'\\' | b'%')) {
        return Err("a backslash or a percent sign");
    }
    Ok(value.to_vec())
}

/// ESCAPE_SEQ_DECODE: "\a, \b, \f, \n, \r, \t, \v, \\, \?, \', \", \xHH (hexadecimal), \0OOO
/// (octal). Encodings that aren't valid remain in the output." How many digits an octal escape
/// takes, and a `\x` with one hex digit or more than two, are not said.
fn escape_seq_decode(value: &[u8]) -> Result<Vec<u8>, &'static str> {
    const OPEN: &str = "an octal escape, or a hexadecimal one of other than two digits";
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        if value[i] != b'\\' {
            out.push(value[i]);
            i += 1;
            continue;
        }
        let decoded = match value.get(i + 1) {
            Some(b'a') => Some(0x07),
            Some(b'b') => Some(0x08),
            Some(b'f') => Some(0x0c),
            Some(b'n') => Some(b'\n'),
            Some(b'r') => Some(b'\r'),
            Some(b't') => Some(b'\t'),
            Some(b'v') => Some(0x0b),
            Some(&c @ (b'\\' | b'?' | b'\'' | b'"')) => Some(c),
            Some(b'x') => {
                let digit = |k: usize| value.get(i + k).copied().and_then(hex_value);
                match (digit(2), digit(3), digit(4)) {
                    (Some(high), Some(low), None) => {
                        out.push(high * 16 + low);
                        i += 4;
                        continue;
                    }
                    // Not an escape: it remains.
                    (None, _, _) => None,
                    _ => return Err(OPEN),
                }
            }
            Some(b'0'..=b'7') => return Err(OPEN),
            // `\X` is no C escape, but a decoder may take it for `\x`.
            Some(b'X') if value.get(i + 2).copied().and_then(hex_value).is_some() => return Err(OPEN),
            _ => None,
        };
        match decoded {
            Some(byte) => {
                out.push(byte);
                i += 2;
            }
            None => {
                out.push(b'\\');
                i += 1;
            }
        }
    }
    Ok(out)
}

/// UTF8_TO_UNICODE: "converts all UTF-8 character sequences to Unicode"; the form it writes is
/// not said, so only a value in ASCII (which it leaves as it is) is evaluated.
fn utf8_to_unicode(value: &[u8]) -> Result<Vec<u8>, &'static str> {
    if !value.is_ascii() {
        return Err("a character outside ASCII");
    }
    Ok(value.to_vec())
}

/// REPLACE_COMMENTS: "replaces each occurrence of a C-style comment (/* ... */) with a single
/// space. It doesn't compress multiple consecutive occurrences. It replaces unterminated
/// comments with a space (ASCII 0x20). It doesn't change a standalone termination of a comment
/// (*/)."
fn replace_comments(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        if value[i..].starts_with(b"/*") {
            out.push(b' ');
            match value[i + 2..].windows(2).position(|w| w == b"*/") {
                Some(end) => i += 2 + end + 2,
                None => break,
            }
        } else {
            out.push(value[i]);
            i += 1;
        }
    }
    out
}

/// REMOVE_COMMENTS_CHAR: which comment characters it removes is not described; a value
/// without any of the usual ones (`/*`, `*/`, `--`, `#`, `//`) is unchanged.
fn remove_comments_char(value: &[u8]) -> Result<Vec<u8>, &'static str> {
    let marked =
        value.contains(&b'#') || value.windows(2).any(|w| matches!(w, b"/*" | b"*/" | b"--" | b"//"));
    if marked {
        return Err("a comment character");
    }
    Ok(value.to_vec())
}

/// CMD_LINE_UNIX and CMD_LINE_WIN: what each deletes, replaces or lowercases is not described; a
/// value of lowercase letters and digits only has nothing a command-line normalisation changes.
fn cmd_line_variant(value: &[u8]) -> Result<Vec<u8>, &'static str> {
    if !value.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        return Err("a character other than a lowercase letter or a digit");
    }
    Ok(value.to_vec())
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
                    out.push(wide_code_byte(&digits));
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
fn html_entity_decode(value: &[u8]) -> Result<Vec<u8>, &'static str> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        if value[i] == b'&' {
            let rest = &value[i + 1..];
            if let Some(end) = rest.iter().take(40).position(|b| *b == b';') {
                let entity = &rest[..end];
                // The guide names five entities; AWS WAF may decode more of HTML's named ones
                // (and in other cases): a value holding another name is not guessed at.
                let named = entity.first().is_some_and(u8::is_ascii_alphabetic)
                    && entity.iter().all(u8::is_ascii_alphanumeric);
                if named && !matches!(entity, b"quot" | b"nbsp" | b"lt" | b"gt" | b"amp") {
                    return Err("a named character reference other than &quot; &nbsp; &lt; &gt; &amp;");
                }
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
    Ok(out)
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
            ("abc", "EXACTLY", vec!["SHA256"], "abc", false),
            // White space: TRIM, TRIM_LEFT, TRIM_RIGHT, REMOVE_WHITESPACE.
            ("abc", "EXACTLY", vec!["TRIM"], " \t abc \r\n", true),
            ("a b", "EXACTLY", vec!["TRIM"], "  a b  ", true),
            ("abc ", "EXACTLY", vec!["TRIM_LEFT"], " \tabc ", true),
            ("abc", "EXACTLY", vec!["TRIM_LEFT"], " \tabc ", false),
            (" abc", "EXACTLY", vec!["TRIM_RIGHT"], " abc\t ", true),
            ("", "EXACTLY", vec!["TRIM"], "   ", true),
            ("abc", "EXACTLY", vec!["REMOVE_WHITESPACE"], " a b\tc\n", true),
            // TRIM and LOWERCASE make a value that is not the search string pass; in the other
            // order too, and LOWERCASE alone leaves the spaces.
            ("abc", "EXACTLY", vec!["TRIM", "LOWERCASE"], "\tABC ", true),
            ("abc", "EXACTLY", vec!["LOWERCASE", "TRIM"], "\tABC ", true),
            ("abc", "EXACTLY", vec!["LOWERCASE"], "\tABC ", false),
            ("ABC", "EXACTLY", vec!["UPPERCASE"], "aBc", true),
            // A transformation that makes the right value fail: UPPERCASE before a search in
            // lowercase.
            ("abc", "EXACTLY", vec!["UPPERCASE"], "abc", false),
            ("abc", "EXACTLY", vec!["UPPERCASE", "LOWERCASE"], "aBc", true),
            // Decoders, where the guide describes them.
            ("javascript", "EXACTLY", vec!["CSS_DECODE"], "ja\\vascript", true),
            ("a\\b", "EXACTLY", vec!["CSS_DECODE"], "a\\\\b", true),
            ("AB", "EXACTLY", vec!["JS_DECODE"], "\\u0041\\uff22", true),
            ("A", "EXACTLY", vec!["JS_DECODE"], "\\u2041", true),
            ("abc", "EXACTLY", vec!["JS_DECODE_EXT"], "abc", true),
            ("a\tb\"A\x07", "EXACTLY", vec!["ESCAPE_SEQ_DECODE"], "a\\tb\\\"\\x41\\a", true),
            ("a\\qb\\", "EXACTLY", vec!["ESCAPE_SEQ_DECODE"], "a\\qb\\", true),
            ("\\xZ", "EXACTLY", vec!["ESCAPE_SEQ_DECODE"], "\\xZ", true),
            ("ABC", "EXACTLY", vec!["SQL_HEX_DECODE"], "0x414243", true),
            ("abc", "EXACTLY", vec!["SQL_HEX_DECODE"], "abc", true),
            ("0x", "EXACTLY", vec!["SQL_HEX_DECODE"], "0x", true),
            ("abc", "EXACTLY", vec!["UTF8_TO_UNICODE"], "abc", true),
            // REPLACE_COMMENTS: a space per comment, not compressed; unterminated, a space; a
            // standalone end kept.
            ("a b", "EXACTLY", vec!["REPLACE_COMMENTS"], "a/* x */b", true),
            ("a  b", "EXACTLY", vec!["REPLACE_COMMENTS"], "a/*1*//*2*/b", true),
            ("a ", "EXACTLY", vec!["REPLACE_COMMENTS"], "a/*x", true),
            ("a */b", "EXACTLY", vec!["REPLACE_COMMENTS"], "a */b", true),
            ("a ", "EXACTLY", vec!["REPLACE_COMMENTS"], "a/*/", true),
            ("a-b", "EXACTLY", vec!["REMOVE_COMMENTS_CHAR"], "a-b", true),
            ("cat", "EXACTLY", vec!["CMD_LINE_UNIX"], "cat", true),
            ("c4t", "EXACTLY", vec!["CMD_LINE_WIN"], "c4t", true),
            ("cat", "EXACTLY", vec!["LOWERCASE", "CMD_LINE_UNIX"], "CAT", true),
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
        let transformations = vec!["ROT13".to_string()];
        let test = evaluate(
            &[Matcher::ByteMatch {
                search: b"abc",
                positional_constraint: "EXACTLY",
                transformations: &transformations,
            }],
            &["abc"],
        );
        assert_eq!(test.required_chars, None);
        assert!(test.not_evaluated.is_some_and(|r| r.contains("ROT13")));
    }

    #[test]
    fn every_transformation_aws_sdk_wafv2_knows_is_evaluated() {
        // `TextTransformationType::values()` of aws-sdk-wafv2 1.139.
        let sdk = [
            "BASE64_DECODE",
            "BASE64_DECODE_EXT",
            "CMD_LINE",
            "CMD_LINE_UNIX",
            "CMD_LINE_WIN",
            "COMPRESS_WHITE_SPACE",
            "CSS_DECODE",
            "ESCAPE_SEQ_DECODE",
            "HEX_DECODE",
            "HTML_ENTITY_DECODE",
            "JS_DECODE",
            "JS_DECODE_EXT",
            "LOWERCASE",
            "MD5",
            "NONE",
            "NORMALIZE_PATH",
            "NORMALIZE_PATH_WIN",
            "REMOVE_COMMENTS_CHAR",
            "REMOVE_NULLS",
            "REMOVE_WHITESPACE",
            "REPLACE_COMMENTS",
            "REPLACE_NULLS",
            "SHA256",
            "SQL_HEX_DECODE",
            "TRIM",
            "TRIM_LEFT",
            "TRIM_RIGHT",
            "UPPERCASE",
            "URL_DECODE",
            "URL_DECODE_UNI",
            "UTF8_TO_UNICODE",
        ];
        let mut supported = SUPPORTED_TRANSFORMATIONS.to_vec();
        supported.sort_unstable();
        assert_eq!(supported, sdk);
        for kind in sdk {
            // A secret of the usual shape goes through every one of them.
            assert!(transform(kind, SECRET.as_bytes()).is_ok(), "{kind}");
            let transformations = vec![kind.to_string()];
            let test =
                evaluate(&[Matcher::Regex { pattern: ".*", transformations: &transformations }], &[SECRET]);
            assert_eq!(test.not_evaluated, None, "{kind}");
            assert!(accepted(&test, SECRET), "{kind}");
        }
    }

    #[test]
    fn cases_the_guide_leaves_open_are_not_evaluated() {
        // (transformation, value): the value hits a case AWS does not describe.
        let cases: Vec<(&str, &str)> = vec![
            ("TRIM", "\u{a0}abc"),
            ("TRIM", "abc\u{0b}"),
            ("TRIM", " \u{0c}abc"),
            ("TRIM", "abc\u{0}"),
            ("TRIM_LEFT", "\u{3000}abc"),
            ("TRIM_LEFT", "\u{feff}abc"),
            ("TRIM_RIGHT", "abc\u{a0} "),
            ("TRIM_RIGHT", "abc\u{2003}"),
            ("REMOVE_WHITESPACE", "a\u{0c}b"),
            ("REMOVE_WHITESPACE", "a\u{a0}b"),
            ("UPPERCASE", "caf\u{e9}"),
            ("CSS_DECODE", "\\41 bc"),
            ("CSS_DECODE", "abc\\"),
            ("CSS_DECODE", "a\\\nb"),
            ("JS_DECODE", "\\x41"),
            ("JS_DECODE", "\\n"),
            ("JS_DECODE", "\\u41"),
            ("JS_DECODE", "abc\\"),
            ("JS_DECODE_EXT", "\\u0041"),
            ("JS_DECODE_EXT", "%41"),
            ("ESCAPE_SEQ_DECODE", "\\101"),
            ("ESCAPE_SEQ_DECODE", "\\0"),
            ("ESCAPE_SEQ_DECODE", "\\x4"),
            ("ESCAPE_SEQ_DECODE", "\\x414"),
            ("ESCAPE_SEQ_DECODE", "\\X41"),
            ("SQL_HEX_DECODE", "id=0x41"),
            ("SQL_HEX_DECODE", "0x414"),
            ("SQL_HEX_DECODE", "X'41'"),
            ("UTF8_TO_UNICODE", "caf\u{e9}"),
            ("HTML_ENTITY_DECODE", "a&NonBreakingSpace;b"),
            ("HTML_ENTITY_DECODE", "&QUOT;secret"),
            ("REMOVE_COMMENTS_CHAR", "a--b"),
            ("REMOVE_COMMENTS_CHAR", "a#b"),
            ("REMOVE_COMMENTS_CHAR", "a/*b*/"),
            ("CMD_LINE_UNIX", "Cat"),
            ("CMD_LINE_WIN", "a b"),
            ("CMD_LINE_WIN", "c:\\x"),
        ];
        for (kind, value) in cases {
            let transformations = vec![kind.to_string()];
            let test = evaluate(
                &[Matcher::ByteMatch {
                    search: value.as_bytes(),
                    positional_constraint: "CONTAINS",
                    transformations: &transformations,
                }],
                &[value],
            );
            assert!(!accepted(&test, value), "{kind} {value:?}");

            let reason = test.not_evaluated.unwrap_or_default();
            assert!(reason.contains(kind), "{kind} {value:?}: {reason}");
            assert!(!reason.contains(value), "no value in reasons");
        }
        // Bytes that are no UTF-8 (a value once decoded): Latin-1's no-break space.
        assert!(transform("TRIM", b"\xa0abc").is_err());
        assert!(transform("TRIM_RIGHT", b"abc\x85").is_err());
        assert!(transform("REMOVE_WHITESPACE", b"a\xa0b").is_err());
        assert_eq!(transform("TRIM", b"\xffabc\xfe").ok(), Some(b"\xffabc\xfe".to_vec()));
    }

    fn byte_test(search: &[u8], constraint: &str, transformations: &[&str], sent: &[&str]) -> ValueTest {
        let transformations: Vec<String> = transformations.iter().map(|t| t.to_string()).collect();
        evaluate(
            &[Matcher::ByteMatch {
                search,
                positional_constraint: constraint,
                transformations: &transformations,
            }],
            sent,
        )
    }

    #[test]
    fn a_hash_of_the_secret_is_a_lock_compared_bytewise() {
        use crate::inventory::TestStrength::*;
        use sha2::Digest as _;
        let sha256 = sha2::Sha256::digest(SECRET.as_bytes()).to_vec();
        let md5 = md5::Md5::digest(SECRET.as_bytes()).to_vec();
        let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();

        // The raw digest of the secret: only the secret passes, and forging a value takes a
        // preimage (each digest byte counts).
        let test = byte_test(&sha256, "EXACTLY", &["SHA256"], &[SECRET, "other"]);
        assert!(accepted(&test, SECRET) && !accepted(&test, "other"));
        assert_eq!((test.required_chars, test.strength()), (Some(32), Secret));
        let test = byte_test(&md5, "EXACTLY", &["MD5"], &[SECRET, "other"]);
        assert!(accepted(&test, SECRET) && !accepted(&test, "other"));
        assert_eq!((test.required_chars, test.strength()), (Some(16), Secret));
        // After the transformations before it.
        let upper = SECRET.to_uppercase();
        let test = byte_test(&sha256, "EXACTLY", &["TRIM", "LOWERCASE", "SHA256"], &[&format!(" {upper} ")]);
        assert!(accepted(&test, &format!(" {upper} ")));
        assert_eq!(test.not_evaluated, None);
        // Two bytes of a digest are found by trying some 65,000 values: a fragment.
        let test = byte_test(&sha256[..2], "STARTS_WITH", &["SHA256"], &[SECRET]);
        assert!(accepted(&test, SECRET));
        assert_eq!(test.strength(), Fragment);
        let test = byte_test(&md5[5..9], "CONTAINS", &["MD5"], &[SECRET]);
        assert!(accepted(&test, SECRET));

        // MD5's digest is documented raw: its hexadecimal form is a search that fails.
        let test = byte_test(hex(&md5).as_bytes(), "EXACTLY", &["MD5"], &[SECRET]);
        assert!(!accepted(&test, SECRET));
        assert_eq!(test.not_evaluated, None);
        // SHA256's is taken to be raw too, so a search for its hexadecimal form would pass only
        // if it were not: that is not decided.
        for search in [hex(&sha256), hex(&sha256).to_uppercase(), hex(&sha256)[..20].to_string()] {
            let test = byte_test(search.as_bytes(), "STARTS_WITH", &["SHA256"], &[SECRET]);
            assert!(!accepted(&test, SECRET));
            assert!(test.not_evaluated.is_some_and(|r| r.contains("SHA256")));
        }
        let test = byte_test(hex(&sha256).as_bytes(), "EXACTLY", &["SHA256"], &["other"]);
        assert_eq!(test.not_evaluated, None);

        // A digest is no text: a regex sees its bytes, a look-around cannot.
        let transformations = ["SHA256".to_string()];
        let test = evaluate(
            &[Matcher::Regex { pattern: "^(?s-u).{32}$", transformations: &transformations }],
            &[SECRET],
        );
        assert!(accepted(&test, SECRET));
        assert_eq!(test.not_evaluated, None);
        let test =
            evaluate(&[Matcher::Regex { pattern: "(?=a)a", transformations: &transformations }], &[SECRET]);
        assert!(test.not_evaluated.is_some());
        // A transformation after a hash works on the digest's bytes.
        let test = byte_test(&sha256.to_ascii_lowercase(), "EXACTLY", &["SHA256", "LOWERCASE"], &[SECRET]);
        assert!(accepted(&test, SECRET));
    }

    #[test]
    fn a_trim_and_lowercase_gate_is_satisfied_by_what_cloudfront_sends() {
        use crate::inventory::{Origin, OriginHeader};
        use crate::perimeter::headers::ExpectedValue;
        use crate::perimeter::{HeaderCheck, Verdict};
        let sent = SECRET.to_uppercase();
        let origin = Origin {
            custom_headers: vec![OriginHeader {
                name: "X-Origin-Verify".into(),
                value: SecretValue::from_plaintext(&sent),
            }],
            ..Origin::default()
        };
        let judge = |transformations: &[&str]| {
            let test = byte_test(SECRET.as_bytes(), "EXACTLY", transformations, &[&sent, "other"]);
            let search = SecretValue::from_plaintext(SECRET);
            let check = HeaderCheck {
                name: "x-origin-verify".into(),
                values: vec![ExpectedValue { value: Some(&search), exact: false, test: Some(&test) }],
                unverifiable: None,
            };
            (check.judge(&origin), test.strength())
        };
        use crate::inventory::TestStrength::Secret;
        assert_eq!(judge(&["TRIM", "LOWERCASE"]), (Verdict::Satisfied, Secret));
        assert_eq!(judge(&["LOWERCASE", "TRIM_RIGHT", "NONE"]), (Verdict::Satisfied, Secret));
        // Without LOWERCASE, the value CloudFront sends is not the search string.
        assert_eq!(judge(&["TRIM"]).0, Verdict::Mismatch);
        assert_eq!(judge(&["TRIM", "UPPERCASE"]).0, Verdict::Mismatch);
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
