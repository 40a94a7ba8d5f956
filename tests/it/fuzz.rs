//! Fuzzing of the input side (issue 16): mutated inventories, configurations and baselines fed
//! to the parsers and the whole offline pipeline (parse, checks, every report format, drift), in
//! process for speed, plus the regression corpus `tests/fixtures/fuzz/` and a few mutants through
//! the real binary.
//!
//! The normal test run executes a bounded, deterministic set of cases (a few seconds). Run longer
//! with other seeds:
//!
//! ```sh
//! EDGE_AUDIT_FUZZ_CASES=200000 EDGE_AUDIT_FUZZ_SEED=$RANDOM cargo test --test it fuzz -- --nocapture
//! ```
//!
//! A failing case is written to the system temporary directory and named in the failure, ready
//! to be added to the corpus: `refused-*.json` must be refused (exit 2), `accepted-*.json` must
//! be audited (exit 0, 1 or 3).
//!
//! Properties, for every case: no panic; an error is one line, within the length cap, without
//! control characters, and never contains a planted plaintext secret (the mutations plant them as
//! values anywhere, secret-bearing fields included, and as keys and variant names). A case that
//! parses is run through every check, report format and drift; there a planted string can only
//! sit in a non-secret field, which reports may show.

use crate::support::secrets::{self, PLAINTEXT};
use crate::support::{example, fixture, path_str, root, run};
use edge_audit::error::{printable_line, MAX_ERROR_CHARS};
use edge_audit::report::Format;
use edge_audit_checks::{registry, CheckOptions, Inventory};
use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Cases per parser in a normal test run.
const DEFAULT_CASES: u64 = 300;
/// Mutants run through the binary in a normal test run (each is a process).
const DEFAULT_BINARY_CASES: u64 = 12;

fn cases(var: &str, default: u64) -> u64 {
    std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn seed() -> u64 {
    std::env::var("EDGE_AUDIT_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x0016_1616)
}

/// xorshift64*: deterministic for a seed, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The seed inventories: fixtures, drift fixtures, the example, the secret corpus.
fn seed_inventories() -> Vec<Value> {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [root().join("tests/fixtures"), root().join("tests/fixtures/drift")] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(
                entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")),
            );
        }
    }
    files.push(example("acme-shop.json"));
    files.sort();
    let mut seeds: Vec<Value> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|text| serde_json::from_str::<Value>(&text).ok())
        .filter(|v| v.get("accounts").is_some_and(|a| a.as_array().is_some_and(|a| !a.is_empty())))
        .collect();
    seeds.push(serde_json::to_value(secrets::inventory()).unwrap_or_else(|e| panic!("{e}")));
    assert!(seeds.len() >= 5, "too few seed inventories: {}", seeds.len());
    seeds
}

/// Every JSON pointer in `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let child = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(child.clone());
                pointers(v, child, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let child = format!("{at}/{i}");
                out.push(child.clone());
                pointers(v, child, out);
            }
        }
        _ => {}
    }
}

const TAGS: &[&str] = &[
    "and",
    "or",
    "not",
    "byte_match",
    "regex_match",
    "rate_based",
    "http_header",
    "forward",
    "single_header",
    "api_gateway",
    "alb",
    "custom",
    "other",
];

/// The planted secrets longer than the 32 characters up to which an unknown key is quoted (a key
/// is a name, not a value; a short one is shown to help fix a typo).
fn long_secrets() -> Vec<&'static str> {
    PLAINTEXT.iter().copied().filter(|s| s.chars().count() > 32).collect()
}

/// A replacement value, hostile in one way.
fn hostile_value(rng: &mut Rng) -> Value {
    match rng.below(14) {
        0 => Value::from(*rng.pick(PLAINTEXT)),
        1 => serde_json::json!({"fingerprint": *rng.pick(PLAINTEXT), "length": 1, "entropy_bits": 0,
                                "strength": "weak", "looks_like_phrase": false}),
        2 => serde_json::json!({"fingerprint": "sha256:0123456789abcdef", "length": 1, "entropy_bits": 0,
                                "strength": *rng.pick(PLAINTEXT), "looks_like_phrase": false}),
        3 => Value::from(u64::MAX),
        4 => Value::from(-1),
        5 => Value::from(1.5),
        6 => Value::Null,
        7 => Value::Bool(true),
        8 => Value::Array(vec![]),
        9 => Value::Object(serde_json::Map::new()),
        10 => Value::from("\u{1b}[31m\u{202e}\u{0}".repeat(1 + rng.below(50))),
        11 => Value::from("x".repeat(1 + rng.below(200_000))),
        12 => serde_json::json!({"type": *rng.pick(TAGS)}),
        _ => {
            let mut deep = Value::from(1);
            for _ in 0..(1 + rng.below(300)) {
                deep = Value::Array(vec![deep]);
            }
            deep
        }
    }
}

/// One structural mutation of `value`.
fn mutate_value(value: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    pointers(value, String::new(), &mut all);
    if all.is_empty() {
        return;
    }
    let pointer = rng.pick(&all).clone();
    match rng.below(5) {
        // Replace the node.
        0..=2 => {
            if let Some(slot) = value.pointer_mut(&pointer) {
                *slot = hostile_value(rng);
            }
        }
        // Remove it.
        3 => {
            let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", ""));
            match value.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>() {
                        if i < items.len() {
                            items.remove(i);
                        }
                    }
                }
                _ => {}
            }
        }
        // Add an unknown key (a secret) to the object it is in.
        _ => {
            let (parent, _) = pointer.rsplit_once('/').unwrap_or(("", ""));
            if let Some(Value::Object(map)) = value.pointer_mut(parent) {
                map.insert(rng.pick(&long_secrets()).to_string(), hostile_value(rng));
            }
        }
    }
}

/// Text-level mutations JSON values cannot express: duplicate keys, huge integers, truncation,
/// stray bytes.
fn mutate_text(text: &mut Vec<u8>, rng: &mut Rng) {
    if text.is_empty() {
        return;
    }
    match rng.below(6) {
        0 => {
            let at = rng.below(text.len());
            text.truncate(at);
        }
        1 => {
            let at = rng.below(text.len());
            text[at] = (rng.next() & 0xff) as u8;
        }
        2 => {
            // Duplicate the first key of some object: `{"k": v` → `{"k": v, "k": v`.
            let s = String::from_utf8_lossy(text).into_owned();
            let starts: Vec<usize> = s.match_indices("{\"").map(|(i, _)| i).collect();
            if let Some(&start) = starts.get(rng.below(starts.len())) {
                if let Some(end) = s[start..].find([',', '}']).map(|e| start + e) {
                    let pair = s[start + 1..end].to_string();
                    let mut out = s[..end].to_string();
                    out.push(',');
                    out.push_str(&pair);
                    out.push_str(&s[end..]);
                    *text = out.into_bytes();
                }
            }
        }
        3 => {
            let s = String::from_utf8_lossy(text).into_owned();
            let digits: Vec<usize> =
                s.char_indices().filter(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i).collect();
            if let Some(&at) = digits.get(rng.below(digits.len())) {
                let mut out = s[..at].to_string();
                out.push_str("999999999999999999999999999");
                out.push_str(&s[at..]);
                *text = out.into_bytes();
            }
        }
        4 => {
            let at = rng.below(text.len());
            let junk: Vec<u8> = (0..1 + rng.below(8)).map(|_| (rng.next() & 0xff) as u8).collect();
            text.splice(at..at, junk);
        }
        _ => {
            let at = rng.below(text.len());
            let end = (at + rng.below(64)).min(text.len());
            text.drain(at..end);
        }
    }
}

/// A mutant of one of the seeds.
fn mutant(seeds: &[Value], rng: &mut Rng) -> Vec<u8> {
    let mut value = rng.pick(seeds).clone();
    for _ in 0..1 + rng.below(3) {
        mutate_value(&mut value, rng);
    }
    let mut text = serde_json::to_vec(&value).unwrap_or_default();
    if rng.below(3) == 0 {
        mutate_text(&mut text, rng);
    }
    text
}

/// Fails (naming a saved copy of the case) when `error` breaks the error-line contract.
fn check_error_line(error: &str, case: &[u8], what: &str) {
    let line = printable_line(error);
    let bad = if line.chars().count() > MAX_ERROR_CHARS + " … (truncated)".len() {
        Some("longer than the cap")
    } else if line.chars().any(char::is_control) || line.contains('\u{202e}') {
        Some("a control character or bidi mark")
    } else if PLAINTEXT.iter().any(|s| line.contains(s)) {
        Some("a planted secret")
    } else {
        None
    };
    if let Some(problem) = bad {
        let saved = save_case(case, what);
        panic!("{what}: error line has {problem}: {line}\ncase saved as {}", saved.display());
    }
}

fn save_case(case: &[u8], what: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("edge-audit-fuzz-{what}-{}.json", std::process::id()));
    let _ = std::fs::write(&path, case);
    path
}

/// Runs `f`, turning a panic into a test failure that names a saved copy of the case.
fn no_panic<T>(case: &[u8], what: &str, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => value,
        Err(_) => {
            let saved = save_case(case, what);
            panic!("{what} panicked on the case saved as {}", saved.display());
        }
    }
}

/// The offline pipeline after a successful parse: every check, every report format, drift both
/// ways against the seed.
fn pipeline(inventory: &Inventory, other: &Inventory) {
    let options = CheckOptions::default();
    let outcome = registry::run(inventory, registry::all(), &options);
    let report = edge_audit::report::Report::new(inventory, outcome, None);
    for format in [
        Format::Table,
        Format::Json,
        Format::Sarif,
        Format::Markdown,
        Format::Ocsf,
        Format::Asff,
        Format::Html,
    ] {
        // A planted string that parsed can only be in a non-secret field (secret fields accept
        // nothing but well-formed fingerprints), so reports may show it: what matters is no panic.
        let (text, _) = report
            .render_with_warnings(format, false)
            .unwrap_or_else(|e| panic!("a parsed inventory renders: {e}"));
        assert!(!text.is_empty());
    }
    let _ = edge_audit::drift::compare(inventory, other, &options);
    let _ = edge_audit::drift::compare(other, inventory, &options);
}

#[test]
fn fuzz_inventories_through_parser_and_pipeline() {
    let seeds = seed_inventories();
    let reference: Inventory =
        serde_json::from_value(seeds[0].clone()).unwrap_or_else(|e| panic!("seed 0 does not parse: {e}"));
    let mut rng = Rng::new(seed());
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..cases("EDGE_AUDIT_FUZZ_CASES", DEFAULT_CASES) {
        let case = mutant(&seeds, &mut rng);
        let parsed =
            no_panic(&case, "inventory", || edge_audit::snapshot::parse(Path::new("fuzz.json"), &case));
        match parsed {
            Ok(inventory) => {
                accepted += 1;
                no_panic(&case, "pipeline", || pipeline(&inventory, &reference));
            }
            Err(error) => {
                refused += 1;
                check_error_line(&error.to_string(), &case, "inventory");
            }
        }
    }
    // Both sides must be exercised, or the mutations are too weak or too strong to mean much.
    assert!(accepted > 0 && refused > 0, "accepted {accepted}, refused {refused}");
}

#[test]
fn fuzz_configurations() {
    let mut rng = Rng::new(seed() ^ 0xC0F1);
    let base = format!(
        "{}\n[[suppress]]\ncheck = \"EA101\"\nresource = \"arn:aws:cloudfront::*:distribution/E1*\"\nreason = \"r\"\nexpires = 2099-01-01\n",
        edge_audit::config::STARTER
    );
    let pieces = [
        "resource = \"a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*\"",
        "min_secret_length = 99999999999999999999",
        "min_secret_length = -1",
        "admin_ports = [\"ssh\", 70000]",
        "expires = 2026-02-30",
        "permanent = \"yes\"",
        "\"\\u001b[31m\\u202e\" = 1",
        "[checks.severity]\nEA101 = \"urgent\"",
        "[[suppress]]",
        "select = [\"EA999\"]",
        "[checks",
        "resource = \"[\"",
        "resource = \"{a,b\"",
    ];
    for _ in 0..cases("EDGE_AUDIT_FUZZ_CASES", DEFAULT_CASES) {
        let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(lines.len() + 1);
            match rng.below(4) {
                0 if at < lines.len() => {
                    lines.remove(at);
                }
                1 => lines
                    .insert(at, format!("{} = \"{}\"", "k".repeat(1 + rng.below(5000)), rng.pick(PLAINTEXT))),
                _ => lines.insert(at, rng.pick(&pieces).to_string()),
            }
        }
        let text = lines.join("\n");
        let parsed = no_panic(text.as_bytes(), "config", || {
            edge_audit::config::Config::parse(Path::new("edge-audit.toml"), &text)
        });
        if let Err(error) = parsed {
            check_error_line(&error.to_string(), text.as_bytes(), "config");
        }
    }
}

#[test]
fn fuzz_baselines() {
    let seeds = seed_inventories();
    let reports: Vec<Value> = seeds
        .iter()
        .filter_map(|v| serde_json::from_value::<Inventory>(v.clone()).ok())
        .map(|inventory| {
            let outcome = registry::run(&inventory, registry::all(), &CheckOptions::default());
            let report = edge_audit::report::Report::new(&inventory, outcome, None);
            serde_json::from_str(&report.render(Format::Json, false).expect("renders")).unwrap_or(Value::Null)
        })
        .collect();
    let mut rng = Rng::new(seed() ^ 0xBA5E);
    for _ in 0..cases("EDGE_AUDIT_FUZZ_CASES", DEFAULT_CASES) {
        let case = mutant(&reports, &mut rng);
        let parsed = no_panic(&case, "baseline", || {
            edge_audit::report::baseline::Baseline::parse(Path::new("baseline.json"), &case)
        });
        if let Err(error) = parsed {
            check_error_line(&error.to_string(), &case, "baseline");
        }
    }
}

/// The regression corpus and a few fresh mutants through the real binary: `scan --from` and both
/// sides of `drift`.
#[test]
fn fuzz_corpus_through_the_binary() {
    let dir = root().join("tests/fixtures/fuzz");
    let mut corpus: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    corpus.sort();
    assert!(corpus.len() >= 8, "the corpus shrank: {corpus:?}");
    let work = crate::support::tempdir();
    let seeds = seed_inventories();
    let mut rng = Rng::new(seed() ^ 0xB1);
    for i in 0..cases("EDGE_AUDIT_FUZZ_BINARY_CASES", DEFAULT_BINARY_CASES) {
        let path = work.path().join(format!("mutant-{i}.json"));
        std::fs::write(&path, mutant(&seeds, &mut rng)).unwrap_or_else(|e| panic!("{e}"));
        corpus.push(path);
    }
    let clean = fixture("clean.json");
    for path in &corpus {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        for args in [
            vec!["scan", "--from", path_str(path), "--format", "json", "--fail-on", "none"],
            vec!["drift", "--baseline", path_str(path), "--current", path_str(&clean), "--format", "json"],
            vec!["drift", "--baseline", path_str(&clean), "--current", path_str(path), "--format", "json"],
        ] {
            let out = run(&args);
            assert!(matches!(out.code, 0..=3), "{name} {args:?}: exit {} {}", out.code, out.stderr);
            if out.code == 2 {
                for secret in PLAINTEXT {
                    assert!(!out.stderr.contains(secret), "{name} {args:?}: the error quotes {secret:?}");
                }
                assert!(out.stdout.is_empty(), "{name}: output on a refusal");
                assert_eq!(out.stderr.lines().count(), 1, "{name}: {}", out.stderr);
                check_error_line(out.stderr.trim_end().trim_start_matches("error: "), &[], "binary");
            } else {
                assert!(
                    serde_json::from_str::<Value>(&out.stdout).is_ok(),
                    "{name}: not JSON: {}",
                    out.stdout
                );
            }
            if name.starts_with("refused-") {
                assert_eq!(out.code, 2, "{name} {args:?} must be refused: {}", out.stderr);
            }
            if name.starts_with("accepted-") && args[0] == "scan" {
                assert!(matches!(out.code, 0 | 1 | 3), "{name} must be audited: {}", out.stderr);
            }
        }
    }
}
