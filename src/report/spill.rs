//! Findings held out of memory while a scan runs: each finding is serialised, as the JSON report
//! prints it, into a temporary file the moment its check records it, and only its key (what
//! orders, counts and names it) stays in memory. The report is then written in the order and
//! with the deduplication of [`registry::run_model`](edge_audit_checks::registry::run_model) and
//! [`policy::apply`](crate::policy::apply): the JSON report copies each finding's text back from
//! the file, every other format reads the findings back one at a time
//! ([`Spill::finding`]), and the compliance table and the perimeter graph read the keys.
//!
//! A scan of a large organisation has hundreds of thousands of findings, each holding its message,
//! resource and evidence: held until the end, they cost more than the inventory they came from.
//! When no temporary file can be made, the serialised findings are kept in memory instead (the
//! report is the same).

use super::baseline::{Baseline, BaselineStatus};
use super::{FindingKey, ReportFinding};
use edge_audit_checks::{Finding, Severity};
use std::cmp::Reverse;
use std::io::{Read, Seek, SeekFrom, Write};

/// How deep a finding sits in the JSON report: an element of the top-level `findings` array.
const ELEMENT_INDENT: &[u8] = b"\n    ";

/// The findings of a scan, serialised, with their keys; built with [`Spill::push`], read by the
/// reporters.
pub struct Spill {
    store: Store,
    entries: Vec<Entry>,
    /// The check ids the entries name (a handful): an entry holds an index.
    check_ids: Vec<Box<str>>,
    /// The accounts the entries are about (one per scanned account): an entry holds an index.
    accounts: Vec<Box<str>>,
    fail_on: Option<Severity>,
    /// Whether findings were marked new or known against a baseline.
    with_baseline: bool,
    /// One finding's pretty JSON, reused.
    buffer: Vec<u8>,
}

/// Where the serialised findings wait.
enum Store {
    /// Being written.
    Writing { file: std::io::BufWriter<std::fs::File>, len: u64 },
    /// Written and flushed: read back at any offset.
    File(std::fs::File),
    /// No temporary file could be made.
    Memory(Vec<u8>),
}

/// One finding: what orders and counts it, and where its text is.
struct Entry {
    /// As reported (after `[checks.severity]`).
    severity: Severity,
    /// As its check recorded it: two findings are one only when this is the same too (the
    /// check run deduplicates before the configuration remaps severities).
    produced: Severity,
    check: u16,
    account: u32,
    arn: Box<str>,
    detail: Box<str>,
    /// What the compliance table and the perimeter graph name a finding by.
    fingerprint: Box<str>,
    /// The policy's own findings (EA902, EA903) are never merged with another.
    unique: bool,
    fails: bool,
    baseline: Option<BaselineStatus>,
    offset: u64,
    len: u64,
}

impl std::fmt::Debug for Spill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let store = match self.store {
            Store::Writing { .. } => "writing",
            Store::File(_) => "file",
            Store::Memory(_) => "memory",
        };
        f.debug_struct("Spill").field("findings", &self.entries.len()).field("store", &store).finish()
    }
}

impl Spill {
    /// An empty spill: a temporary file (removed when closed) in `dir` (the report's directory,
    /// whose disk takes the report anyway; the system's temporary directory, often in memory,
    /// only when the report goes to standard output), else memory.
    pub fn new(
        fail_on: Option<Severity>,
        baseline: Option<&Baseline>,
        dir: Option<&std::path::Path>,
    ) -> Self {
        let file = match dir {
            Some(dir) => tempfile::tempfile_in(dir),
            None => tempfile::tempfile(),
        };
        let store = match file {
            Ok(file) => Store::Writing { file: std::io::BufWriter::with_capacity(256 * 1024, file), len: 0 },
            Err(error) => {
                tracing::debug!("findings are held in memory (no temporary file: {error})");
                Store::Memory(Vec::new())
            }
        };
        Self {
            store,
            entries: Vec::new(),
            check_ids: Vec::new(),
            accounts: Vec::new(),
            fail_on,
            with_baseline: baseline.is_some(),
            buffer: Vec::new(),
        }
    }

    /// Adds a finding of the check run that no suppression took out; `produced` is its
    /// severity before `[checks.severity]`. Marks it new or known against `baseline`, as
    /// [`Report::with_baseline`](super::Report::with_baseline) does.
    pub fn push(
        &mut self,
        finding: Finding,
        produced: Severity,
        baseline: Option<&Baseline>,
    ) -> std::io::Result<()> {
        self.add(finding, produced, false, baseline)
    }

    /// Adds one of the policy's own findings, never merged with another.
    pub fn push_unique(&mut self, finding: Finding, baseline: Option<&Baseline>) -> std::io::Result<()> {
        let severity = finding.severity;
        self.add(finding, severity, true, baseline)
    }

    fn add(
        &mut self,
        finding: Finding,
        produced: Severity,
        unique: bool,
        baseline: Option<&Baseline>,
    ) -> std::io::Result<()> {
        let check = match self.check_ids.iter().position(|id| **id == *finding.check_id) {
            Some(i) => i,
            None => {
                self.check_ids.push(finding.check_id.as_str().into());
                self.check_ids.len() - 1
            }
        };
        let check = u16::try_from(check).map_err(|_| std::io::Error::other("too many checks"))?;
        let account = match self.accounts.iter().position(|a| **a == *finding.resource.account) {
            Some(i) => i,
            None => {
                self.accounts.push(finding.resource.account.as_str().into());
                self.accounts.len() - 1
            }
        };
        let account = u32::try_from(account).map_err(|_| std::io::Error::other("too many accounts"))?;
        let severity = finding.severity;
        let arn: Box<str> = finding.resource.arn.as_str().into();
        let detail: Box<str> = finding.detail.as_str().into();
        let mut reported = ReportFinding::new(finding, self.fail_on);
        if let Some(baseline) = baseline {
            let status = baseline.status(&reported.fingerprint);
            reported.baseline = Some(status);
            if status == BaselineStatus::Known {
                reported.fails = false;
            }
        }
        self.buffer.clear();
        serde_json::to_writer_pretty(&mut self.buffer, &reported).map_err(std::io::Error::other)?;
        let (offset, len) = self.store.append_indented(&self.buffer)?;
        self.entries.push(Entry {
            severity,
            produced,
            check,
            account,
            arn,
            detail,
            fingerprint: reported.fingerprint.as_str().into(),
            unique,
            fails: reported.fails,
            baseline: reported.baseline,
            offset,
            len,
        });
        Ok(())
    }

    /// Puts the findings in report order and merges the duplicates, as the check run and the
    /// policy do with findings held in memory; the file is flushed for reading.
    pub fn finish(mut self) -> std::io::Result<Self> {
        self.store = match self.store {
            Store::Writing { file, .. } => Store::File(file.into_inner().map_err(|e| e.into_error())?),
            other => other,
        };
        let ids = &self.check_ids;
        let id = |e: &Entry| ids.get(usize::from(e.check)).map_or("", |id| &**id);
        // Stable: ties keep the order the checks recorded them in.
        self.entries.sort_by(|a, b| {
            (Reverse(a.severity), id(a), &a.arn, &a.detail, Reverse(a.produced)).cmp(&(
                Reverse(b.severity),
                id(b),
                &b.arn,
                &b.detail,
                Reverse(b.produced),
            ))
        });
        self.entries.dedup_by(|later, kept| {
            !later.unique
                && !kept.unique
                && later.check == kept.check
                && later.arn == kept.arn
                && later.detail == kept.detail
                && later.produced == kept.produced
        });
        self.entries.shrink_to_fit();
        Ok(self)
    }

    /// The findings in the report: (severity, fails, baseline status) of each.
    pub fn counts(&self) -> impl Iterator<Item = (Severity, bool, Option<BaselineStatus>)> + '_ {
        self.entries.iter().map(|e| (e.severity, e.fails, e.baseline))
    }

    /// Whether the findings were marked against a baseline.
    pub fn with_baseline(&self) -> bool {
        self.with_baseline
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// What the aggregate views read of every finding, in report order, without reading the
    /// findings back.
    pub fn keys(&self) -> impl Iterator<Item = FindingKey<'_>> + '_ {
        fn name(names: &[Box<str>], i: usize) -> &str {
            names.get(i).map_or("", |n| n)
        }
        self.entries.iter().map(move |e| FindingKey {
            check_id: name(&self.check_ids, usize::from(e.check)),
            severity: e.severity,
            account: usize::try_from(e.account).map_or("", |i| name(&self.accounts, i)),
            arn: &e.arn,
            fingerprint: &e.fingerprint,
        })
    }

    /// The finding at `index` in report order, read back (one at a time: a report of many
    /// findings never holds them all).
    pub fn finding(&self, index: usize) -> std::io::Result<ReportFinding> {
        let entry = self
            .entries
            .get(index)
            .ok_or_else(|| std::io::Error::other("no spilled finding at this position"))?;
        let mut buffer = Vec::new();
        let json = self.store.read(entry.offset, entry.len, &mut buffer)?;
        serde_json::from_slice(json).map_err(std::io::Error::other)
    }

    /// Writes the findings as the elements of the report's `findings` array (between its `[`
    /// and its `]`, the closing line's indentation included); nothing when there is none.
    pub fn write_elements(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut buffer = Vec::new();
        for (i, entry) in self.entries.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(ELEMENT_INDENT)?;
            out.write_all(self.store.read(entry.offset, entry.len, &mut buffer)?)?;
        }
        if !self.entries.is_empty() {
            out.write_all(b"\n  ")?;
        }
        Ok(())
    }
}

impl Store {
    /// Appends a finding's pretty JSON indented as an element of the report's `findings` array
    /// (JSON strings escape their newlines: every newline is the printer's); returns where it is.
    fn append_indented(&mut self, json: &[u8]) -> std::io::Result<(u64, u64)> {
        let (out, len): (&mut dyn Write, u64) = match self {
            Self::Writing { file, len } => (file, *len),
            Self::Memory(bytes) => {
                let len = bytes.len() as u64;
                (bytes, len)
            }
            Self::File(_) => {
                return Err(std::io::Error::other("findings added after the report was ordered"))
            }
        };
        let mut written = 0u64;
        for (i, line) in json.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                out.write_all(ELEMENT_INDENT)?;
                written += ELEMENT_INDENT.len() as u64;
            }
            out.write_all(line)?;
            written += line.len() as u64;
        }
        if let Self::Writing { len: total, .. } = self {
            *total += written;
        }
        Ok((len, written))
    }

    /// The bytes at `offset`, read into `buffer` when they are in the file.
    fn read<'a>(&'a self, offset: u64, len: u64, buffer: &'a mut Vec<u8>) -> std::io::Result<&'a [u8]> {
        let too_large = || std::io::Error::other("a serialised finding does not fit in memory");
        let start = usize::try_from(offset).map_err(|_| too_large())?;
        let size = usize::try_from(len).map_err(|_| too_large())?;
        match self {
            Self::File(file) => {
                let mut file = file;
                file.seek(SeekFrom::Start(offset))?;
                buffer.resize(size, 0);
                file.read_exact(buffer)?;
                Ok(buffer)
            }
            Self::Memory(bytes) => bytes
                .get(start..start.saturating_add(size))
                .ok_or_else(|| std::io::Error::other("a serialised finding is missing")),
            Self::Writing { .. } => Err(std::io::Error::other("the findings were not ordered")),
        }
    }
}

/// A spill being filled by the policy ([`crate::policy::apply_streamed`]), marking each finding
/// against the baseline the spill was made with.
pub struct Spilling<'b> {
    pub spill: Spill,
    pub baseline: Option<&'b Baseline>,
}

impl crate::policy::FindingSink for Spilling<'_> {
    type Finished = Spill;

    fn keep(&mut self, finding: Finding, produced: Severity) -> std::io::Result<()> {
        self.spill.push(finding, produced, self.baseline)
    }

    fn keep_unique(&mut self, finding: Finding) -> std::io::Result<()> {
        self.spill.push_unique(finding, self.baseline)
    }

    fn finish(self) -> std::io::Result<Spill> {
        self.spill.finish()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;

    fn finding(arn: &str) -> Finding {
        serde_json::from_value(serde_json::json!({
            "check_id": "EA101",
            "slug": "origin-reachable",
            "title": "Origin reachable",
            "severity": "high",
            "confidence": "high",
            "resource": {
                "arn": arn,
                "id": "E1",
                "account": "111111111111",
                "region": "global",
                "type": "cloudfront/distribution",
                "name": null
            },
            "message": "E1 is reachable",
            "evidence": { "origin": "api" },
            "remediation": "Lock it."
        }))
        .expect("finding")
    }

    #[test]
    fn a_spilled_finding_reads_back_as_it_was_reported() {
        let mut spill = Spill::new(Some(Severity::High), None, None);
        spill
            .push(finding("arn:aws:cloudfront::111111111111:distribution/E1"), Severity::High, None)
            .expect("push");
        let spill = spill.finish().expect("finish");
        let read = spill.finding(0).expect("reads back");
        let reported = ReportFinding::new(
            finding("arn:aws:cloudfront::111111111111:distribution/E1"),
            Some(Severity::High),
        );
        assert_eq!(
            serde_json::to_string(&read).expect("json"),
            serde_json::to_string(&reported).expect("json")
        );
        let keys: Vec<FindingKey<'_>> = spill.keys().collect();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].account, "111111111111");
        assert_eq!(keys[0].fingerprint, reported.fingerprint);
        assert!(spill.finding(1).is_err(), "no second finding");
    }

    /// A finding whose bytes are gone is an error, never a finding skipped.
    #[test]
    fn a_finding_that_cannot_be_read_back_is_an_error() {
        let mut spill = Spill::new(None, None, None);
        spill
            .push(finding("arn:aws:cloudfront::111111111111:distribution/E1"), Severity::High, None)
            .expect("push");
        let mut spill = spill.finish().expect("finish");
        if let Some(entry) = spill.entries.first_mut() {
            entry.len += 4096;
        }
        assert!(spill.finding(0).is_err(), "read past the end of the file");
        // Through a reporter's array: the serialisation fails.
        let items = (0..1).map(|i| spill.finding(i));
        assert!(serde_json::to_string(&super::super::JsonSeq::new(items)).is_err());
    }
}
