//! `edge-audit.toml`: check selection, severity remaps, check options and suppressions.
//!
//! The file is parsed with spans (`toml::de::DeTable`) and validated by hand into [`Config`], so
//! that every mistake — an unknown key, a bad value, an unknown check id — is reported as one
//! line naming the file, the line and the key: `edge-audit.toml:12: unknown key `suppres` in
//! [[suppress]]`. Nothing in a configuration is ever silently ignored.

use crate::error::quote_input;
use crate::error::Error;
use edge_audit_checks::{registry, CheckOptions, Finding, Severity};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use time::Date;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "edge-audit.toml";

/// The resource tag that suppresses checks for one resource: `edge-audit:ignore` = `EA101 EA112`.
pub const IGNORE_TAG: &str = "edge-audit:ignore";

/// The longest `resource` pattern accepted, in characters: an ARN is at most 2048. Longer
/// patterns (`a*` repeated 85,000 times) exceed what the glob matcher compiles.
pub const MAX_PATTERN_CHARS: usize = 2048;

/// The most wildcards (`*`, `?`, `[…]`, `{…}`) in one `resource` pattern.
pub const MAX_PATTERN_WILDCARDS: usize = 64;

/// A validated configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file, as it was named (`--config` or [`DEFAULT_FILE`]).
    pub path: PathBuf,
    pub checks: ChecksConfig,
    pub suppress: Vec<Suppression>,
}

/// `[checks]`.
#[derive(Debug, Clone, Default)]
pub struct ChecksConfig {
    /// Only these checks (canonical ids); empty: all.
    pub select: Vec<String>,
    /// Not these checks (canonical ids).
    pub ignore: Vec<String>,
    /// Severity remaps by canonical id.
    pub severity: BTreeMap<String, Severity>,
    /// `[checks.options]`.
    pub options: CheckOptions,
}

/// One `[[suppress]]` entry.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// Position among the `[[suppress]]` entries, from 0.
    pub index: usize,
    /// The line of its `[[suppress]]` header.
    pub line: usize,
    /// The check's canonical id.
    pub check: String,
    /// The resource ARN pattern as written (`*` matches any characters, `/` and `:` included).
    pub resource: String,
    /// The pattern as one glob, for building one matcher over many suppressions. It compiled
    /// alone when the configuration was read (as a set of one glob: a set reports a pattern too
    /// large to compile as an error, where a single glob's matcher would panic); that set is not
    /// kept, since 10,000 of them took over 200 MB.
    glob: Glob,
    /// The set of this glob alone, built when [`Self::matches`] is first asked.
    matcher: std::sync::OnceLock<Option<GlobSet>>,
    pub reason: String,
    /// Suppresses through this date (inclusive); `None` when permanent.
    pub expires: Option<Date>,
    pub permanent: bool,
}

impl Suppression {
    /// Whether the suppression covers `finding` (check and resource), expired or not.
    pub fn matches(&self, finding: &Finding) -> bool {
        finding.check_id == self.check
            && self
                .matcher
                .get_or_init(|| GlobSetBuilder::new().add(self.glob.clone()).build().ok())
                .as_ref()
                // It compiled when the configuration was read; should it not now, nothing is
                // suppressed (the finding stays reported).
                .is_some_and(|set| set.is_match(&finding.resource.arn))
    }

    /// The compiled resource pattern, for building one matcher over many suppressions.
    pub fn resource_glob(&self) -> &Glob {
        &self.glob
    }

    /// Whether the suppression has lapsed on `today`: it suppresses through its `expires` date
    /// and stops the day after.
    pub fn is_expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|expires| today > expires)
    }
}

impl Config {
    /// The configuration to use: `explicit` (`--config`), else `edge-audit.toml` in the working
    /// directory when there is one, else none.
    pub fn discover(explicit: Option<&Path>) -> Result<Option<Self>, Error> {
        match explicit {
            Some(path) => Self::load(path).map(Some),
            None => {
                let path = Path::new(DEFAULT_FILE);
                if path.is_file() {
                    Self::load(path).map(Some)
                } else {
                    Ok(None)
                }
            }
        }
    }

    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = crate::input::read_text(path, crate::input::MAX_CONFIG_BYTES)?;
        Self::parse(path, &text)
    }

    /// Validates configuration text; errors name `path`, the line and the key.
    pub fn parse(path: &Path, text: &str) -> Result<Self, Error> {
        let fail = |span: Range<usize>, message: String| Error::Config {
            path: path.to_path_buf(),
            line: line_of(text, span.start),
            message: crate::error::one_line(&message),
        };
        let document = DeTable::parse(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            fail(span, format!("invalid TOML: {}", e.message()))
        })?;
        let mut config = Self { path: path.to_path_buf(), ..Self::default() };
        Validator { config: &mut config, text }
            .document(document.get_ref())
            .map_err(|(span, m)| fail(span, m))?;
        Ok(config)
    }
}

/// A validation error: where and what.
type Invalid = (Range<usize>, String);

struct Validator<'c> {
    config: &'c mut Config,
    text: &'c str,
}

impl Validator<'_> {
    fn document(&mut self, table: &DeTable<'_>) -> Result<(), Invalid> {
        for (key, value) in sorted(table) {
            match key.get_ref().as_ref() {
                "checks" => self.checks(value)?,
                "suppress" => self.suppressions(value)?,
                other => {
                    return Err((
                        key.span(),
                        format!("unknown key {} (expected [checks] or [[suppress]])", quote_input(other)),
                    ))
                }
            }
        }
        Ok(())
    }

    fn checks(&mut self, value: &Spanned<DeValue<'_>>) -> Result<(), Invalid> {
        let table = as_table(value, "checks", "")?;
        for (key, value) in sorted(table) {
            match key.get_ref().as_ref() {
                "select" => self.config.checks.select = check_list(value, "select")?,
                "ignore" => self.config.checks.ignore = check_list(value, "ignore")?,
                "severity" => {
                    for (id, severity) in sorted(as_table(value, "severity", " in [checks]")?) {
                        let check = known_check(id.get_ref(), id.span(), "[checks.severity]")?;
                        let text = as_str(severity, id.get_ref(), " in [checks.severity]")?;
                        let parsed: Severity = text.parse().map_err(|_| {
                            (
                                severity.span(),
                                format!(
                                    "invalid severity {} for {} in [checks.severity] (expected \
                                     critical, high, medium, low or info)",
                                    quote_input(text),
                                    quote_input(id.get_ref())
                                ),
                            )
                        })?;
                        self.config.checks.severity.insert(check, parsed);
                    }
                }
                "options" => self.config.checks.options = options(value)?,
                other => {
                    return Err((
                        key.span(),
                        format!(
                            "unknown key {} in [checks] (expected select, ignore, severity or options)",
                            quote_input(other)
                        ),
                    ))
                }
            }
        }
        Ok(())
    }

    fn suppressions(&mut self, value: &Spanned<DeValue<'_>>) -> Result<(), Invalid> {
        let DeValue::Array(entries) = value.get_ref() else {
            return Err((value.span(), "`suppress` must be an array of tables ([[suppress]])".to_string()));
        };
        // Line numbers from one index of the file's newlines: counting them from the start for
        // each entry is quadratic (10,000 entries took minutes).
        let newlines: Vec<usize> =
            self.text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
        for (index, entry) in entries.iter().enumerate() {
            let mut suppression = suppression(index, entry)?;
            suppression.line = newlines.partition_point(|&newline| newline < entry.span().start) + 1;
            self.config.suppress.push(suppression);
        }
        Ok(())
    }
}

fn suppression(index: usize, entry: &Spanned<DeValue<'_>>) -> Result<Suppression, Invalid> {
    let DeValue::Table(table) = entry.get_ref() else {
        return Err((entry.span(), "`suppress` must be an array of tables ([[suppress]])".to_string()));
    };
    let mut check = None;
    let mut resource = None;
    let mut reason = None;
    let mut expires = None;
    let mut permanent = None;
    for (key, value) in sorted(table) {
        const IN: &str = " in [[suppress]]";
        match key.get_ref().as_ref() {
            "check" => {
                let name = as_str(value, "check", IN)?;
                check = Some(known_check(name, value.span(), "[[suppress]]")?);
            }
            "resource" => {
                let pattern = as_str(value, "resource", IN)?;
                if pattern.trim().is_empty() {
                    return Err((
                        value.span(),
                        "empty `resource` in [[suppress]] (an ARN or pattern)".into(),
                    ));
                }
                let glob = resource_glob(pattern).map_err(|message| (value.span(), message))?;
                resource = Some((pattern.to_string(), glob));
            }
            "reason" => {
                let text = as_str(value, "reason", IN)?;
                if text.trim().is_empty() {
                    return Err((
                        value.span(),
                        "empty `reason` in [[suppress]] (say why it is accepted)".into(),
                    ));
                }
                reason = Some(text.trim().to_string());
            }
            "expires" => expires = Some((date(value)?, value.span())),
            "permanent" => match value.get_ref() {
                DeValue::Boolean(b) => permanent = Some((*b, value.span())),
                other => {
                    return Err((
                        value.span(),
                        format!(
                            "`permanent` in [[suppress]] must be true or false, not {}",
                            other.type_str()
                        ),
                    ))
                }
            },
            other => {
                return Err((
                    key.span(),
                    format!(
                        "unknown key {} in [[suppress]] (expected check, resource, reason, expires or \
                         permanent)",
                        quote_input(other)
                    ),
                ))
            }
        }
    }
    let header = entry.span();
    let missing =
        |key: &str, hint: &str| (header.clone(), format!("missing key `{key}` in [[suppress]] ({hint})"));
    let check = check.ok_or_else(|| missing("check", "the check id or slug"))?;
    let (resource, glob) =
        resource.ok_or_else(|| missing("resource", "a resource ARN; `*` globs allowed"))?;
    let reason = reason.ok_or_else(|| missing("reason", "say why the finding is accepted"))?;
    let is_permanent = permanent.as_ref().is_some_and(|(p, _)| *p);
    let expires = match (expires, is_permanent) {
        (Some((_, span)), true) => {
            return Err((span, "`expires` and `permanent = true` exclude each other in [[suppress]]".into()))
        }
        (Some((date, _)), false) => Some(date),
        (None, true) => None,
        (None, false) => return Err(missing("expires", "a date YYYY-MM-DD, or `permanent = true`")),
    };
    Ok(Suppression {
        index,
        line: 0,
        check,
        resource,
        glob,
        matcher: std::sync::OnceLock::new(),
        reason,
        expires,
        permanent: is_permanent,
    })
}

/// The glob of a `resource` pattern, within the size bounds and known to compile.
fn resource_glob(pattern: &str) -> Result<Glob, String> {
    let length = pattern.chars().count();
    if length > MAX_PATTERN_CHARS {
        return Err(format!(
            "`resource` in [[suppress]] is {length} characters long; a pattern is at most {MAX_PATTERN_CHARS}"
        ));
    }
    let wildcards = pattern.chars().filter(|c| matches!(c, '*' | '?' | '[' | '{')).count();
    if wildcards > MAX_PATTERN_WILDCARDS {
        return Err(format!(
            "`resource` in [[suppress]] has {wildcards} wildcards; a pattern has at most {MAX_PATTERN_WILDCARDS}"
        ));
    }
    let invalid = |e: globset::Error| {
        format!("invalid pattern {} for `resource` in [[suppress]]: {}", quote_input(pattern), e.kind())
    };
    let glob = GlobBuilder::new(pattern).literal_separator(false).build().map_err(invalid)?;
    // Compiled once to know it compiles, then dropped (see `Suppression::glob`).
    GlobSetBuilder::new().add(glob.clone()).build().map_err(invalid)?;
    Ok(glob)
}

/// `expires`: a TOML local date (`2025-06-30`) or a string (`"2025-06-30"`).
fn date(value: &Spanned<DeValue<'_>>) -> Result<Date, Invalid> {
    let text = match value.get_ref() {
        DeValue::String(s) => s.to_string(),
        DeValue::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
        other => {
            return Err((
                value.span(),
                format!("`expires` in [[suppress]] must be a date YYYY-MM-DD, not {}", other.type_str()),
            ))
        }
    };
    parse_date(&text).ok_or_else(|| {
        (
            value.span(),
            format!(
                "invalid date {} for `expires` in [[suppress]] (expected YYYY-MM-DD)",
                quote_input(&text)
            ),
        )
    })
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text.trim(), time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// `[checks.options]`, deserialised key by key into [`CheckOptions`] (whose serde derive denies
/// unknown fields), so that an error points at the key that caused it.
fn options(value: &Spanned<DeValue<'_>>) -> Result<CheckOptions, Invalid> {
    let table = as_table(value, "options", " in [checks]")?;
    let mut all = toml::Table::new();
    for (key, value) in sorted(table) {
        let name = key.get_ref().to_string();
        let mut single = toml::Table::new();
        let owned = to_value(value.get_ref()).map_err(|problem| {
            (value.span(), format!("invalid value for {} in [checks.options]: {problem}", quote_input(&name)))
        })?;
        single.insert(name.clone(), owned);
        if let Err(e) = toml::Value::Table(single.clone()).try_into::<CheckOptions>() {
            let message = crate::error::describe_serde(e.message());
            let text = if message.contains("unknown field") {
                let known: Vec<String> = match toml::Value::try_from(CheckOptions::default()) {
                    Ok(toml::Value::Table(t)) => t.keys().cloned().collect(),
                    _ => Vec::new(),
                };
                format!(
                    "unknown key {} in [checks.options] (expected {})",
                    quote_input(&name),
                    known.join(", ")
                )
            } else {
                format!("invalid value for {} in [checks.options]: {message}", quote_input(&name))
            };
            return Err((key.span(), text));
        }
        all.extend(single);
    }
    toml::Value::Table(all).try_into::<CheckOptions>().map_err(|e| {
        (value.span(), format!("invalid [checks.options]: {}", crate::error::describe_serde(e.message())))
    })
}

/// An owned [`toml::Value`] of a parsed value; an integer TOML cannot hold (beyond 64 bits) is
/// an error that says so, not a string that would be reported as "invalid type: a string".
fn to_value(value: &DeValue<'_>) -> Result<toml::Value, String> {
    Ok(match value {
        DeValue::String(s) => toml::Value::String(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
            Ok(n) => toml::Value::Integer(n),
            Err(_) => return Err("integer out of range (TOML integers are 64-bit)".to_string()),
        },
        DeValue::Float(f) => toml::Value::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => toml::Value::Boolean(*b),
        DeValue::Datetime(d) => toml::Value::Datetime(*d),
        DeValue::Array(items) => {
            toml::Value::Array(items.iter().map(|v| to_value(v.get_ref())).collect::<Result<_, _>>()?)
        }
        DeValue::Table(table) => toml::Value::Table(
            table
                .iter()
                .map(|(k, v)| Ok((k.get_ref().to_string(), to_value(v.get_ref())?)))
                .collect::<Result<_, String>>()?,
        ),
    })
}

/// A table's entries in document order.
fn sorted<'a, 'i>(
    table: &'a DeTable<'i>,
) -> Vec<(&'a Spanned<toml::de::DeString<'i>>, &'a Spanned<DeValue<'i>>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

fn as_table<'a, 'i>(
    value: &'a Spanned<DeValue<'i>>,
    key: &str,
    context: &str,
) -> Result<&'a DeTable<'i>, Invalid> {
    match value.get_ref() {
        DeValue::Table(t) => Ok(t),
        other => Err((value.span(), format!("`{key}`{context} must be a table, not {}", other.type_str()))),
    }
}

fn as_str<'a>(value: &'a Spanned<DeValue<'_>>, key: &str, context: &str) -> Result<&'a str, Invalid> {
    match value.get_ref() {
        DeValue::String(s) => Ok(s.as_ref()),
        other => Err((value.span(), format!("`{key}`{context} must be a string, not {}", other.type_str()))),
    }
}

/// `select` / `ignore`: an array of check ids or slugs, returned as canonical ids.
fn check_list(value: &Spanned<DeValue<'_>>, key: &str) -> Result<Vec<String>, Invalid> {
    let DeValue::Array(items) = value.get_ref() else {
        return Err((
            value.span(),
            format!("`{key}` in [checks] must be an array of check ids, not {}", value.get_ref().type_str()),
        ));
    };
    let mut ids = Vec::new();
    for item in items.iter() {
        let name = as_str(item, key, " in [checks]")?;
        let id = known_check(name, item.span(), &format!("`{key}` of [checks]"))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

fn known_check(name: &str, span: Range<usize>, context: &str) -> Result<String, Invalid> {
    registry::find(name).map(|c| c.meta().id.to_string()).ok_or_else(|| {
        (
            span,
            format!(
                "unknown check {} in {context} (see `edge-audit checks` for the catalogue)",
                quote_input(name)
            ),
        )
    })
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes().iter().take(offset).filter(|&&b| b == b'\n').count() + 1
}

/// The starter configuration `edge-audit init` writes. It must parse and validate (a test does).
pub const STARTER: &str = r#"# edge-audit configuration. edge-audit reads ./edge-audit.toml, or the file given with
# --config FILE. Unknown keys and bad values are errors, never silently ignored.
# Documentation: https://github.com/edge-audit/edge-audit#configuration-suppressions-and-baselines

[checks]
# Only these checks (ids or slugs); empty or absent: every check. `--checks` on the command
# line replaces this list.
select = []
# Never these checks. `--skip-checks` on the command line adds to this list.
ignore = []

# Severity remaps, applied before --fail-on gates the run.
[checks.severity]
# EA102 = "low"

# Tuning of individual checks.
[checks.options]
# Secrets shorter than this, or with fewer estimated bits of entropy, are weak (EA107).
min_secret_length = 32
min_secret_entropy_bits = 112
# Ports that must never be open to the internet (EA402).
admin_ports = [22, 3389]
# Extra header names that carry an origin secret (case-insensitive).
secret_header_names = []
# Ports treated as listener ports of an EC2 instance origin (EA401).
listener_ports = [80, 443]

# Suppressions: a finding of `check` on a resource whose ARN matches `resource` (`*` matches
# anything) is left out of the gate and of SARIF, and listed as suppressed with its reason.
# `expires` (YYYY-MM-DD) is required unless `permanent = true`; a suppression works through
# its expiry date, then stops and raises EA902. One that matches nothing raises EA903.
# A resource tag `edge-audit:ignore` = "EA101 EA112" suppresses checks for that resource.
#
# [[suppress]]
# check = "EA101"
# resource = "arn:aws:cloudfront::123456789012:distribution/E1LEGACY*"
# reason = "legacy site behind basic auth, decommissioned in Q3"
# expires = 2026-09-30
"#;
