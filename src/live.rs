//! Live collection as the commands use it: scope flags → [`collect`](crate::collect::collect),
//! the one-line run summary, and the `--stats` figures (API calls per operation, retries,
//! throttles, bytes, wall time per phase, peak memory).

use crate::collect::{self, CollectError, CollectOptions, CollectSummary};
use crate::error::Error;
use edge_audit_checks::Inventory;
use serde::Serialize;
use std::io::IsTerminal;
use std::time::Duration;

/// Collects the accounts `options` name (on `runtime`).
pub fn collect(
    runtime: &tokio::runtime::Runtime,
    options: &CollectOptions,
) -> Result<(Inventory, CollectSummary), Error> {
    runtime.block_on(collect::collect(options)).map_err(|e| match e {
        CollectError::InvalidOption(message) => Error::Usage(message),
        CollectError::Credentials(message) if is_connection_problem(&message) => Error::Fatal(format!(
            "cannot reach the AWS endpoint (a connection problem, not a credentials one): {message}; \
             check the network, the proxy and AWS_ENDPOINT_URL"
        )),
        other => Error::Fatal(other.to_string()),
    })
}

/// Whether an SDK error message says the endpoint could not be reached (refused, reset, timed
/// out, unresolvable) rather than that the credentials were rejected or missing.
fn is_connection_problem(message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    [
        "connection refused",
        "tcp connect error",
        "error trying to connect",
        "connection reset",
        "timed out",
        "timeout",
        "dns error",
        "failed to lookup address",
        "io error",
    ]
    .iter()
    .any(|marker| lower.contains(marker))
}

/// `collected 1 account, 2 regions: 143 resources, 212 API calls (3 retries, 0 throttled) in 4.2 s`.
pub fn summary_line(summary: &CollectSummary) -> String {
    let mut line = format!(
        "collected {} account{}, {} region{}: {} resources, {} API calls ({} retries, {} throttled) in {:.1} s",
        summary.accounts,
        plural(summary.accounts),
        summary.regions,
        plural(summary.regions),
        summary.resources,
        summary.api_calls,
        summary.retries,
        summary.throttled,
        summary.duration.as_secs_f64()
    );
    if summary.coverage_failures > 0 {
        line.push_str(&format!(
            "; {} part{} could not be read (reported as not evaluated)",
            summary.coverage_failures,
            plural(summary.coverage_failures)
        ));
    }
    line
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Whether the run summary goes to stderr: for a person at a terminal, or when asked with -v.
pub fn show_summary(quiet: bool, verbose: u8) -> bool {
    !quiet && (verbose > 0 || std::io::stderr().is_terminal())
}

/// The `stats` object of the JSON report (`--stats`). Counted by the SDK interceptor, not
/// estimated.
#[derive(Debug, Default, Serialize)]
pub struct RunStats {
    /// API operations invoked (one per page of a paginated list).
    pub api_calls: u64,
    /// Pages of paginated listings received (part of `api_calls`).
    pub pages: u64,
    /// HTTP attempts, retries included.
    pub attempts: u64,
    pub retries: u64,
    pub throttled: u64,
    /// Invocations that failed after retries.
    pub errors: u64,
    pub bytes_received: u64,
    pub resources: usize,
    pub phases_ms: Phases,
    /// Peak resident memory of the process (Linux), in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_rss_bytes: Option<u64>,
    pub operations: Vec<OperationRow>,
    /// The quota bucket that bounded the collection (the largest floor), if any call was paced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound: Option<Bound>,
    /// Every quota bucket of the run (account, region, bucket), largest floor first.
    pub buckets: Vec<BucketRow>,
}

/// The bucket that bounded a collection: no client making the same calls at AWS's quotas can
/// collect faster than its floor, so `wall_over_floor` says how close the run came.
#[derive(Debug, Serialize)]
pub struct Bound {
    pub account: String,
    pub region: String,
    pub bucket: String,
    pub floor_ms: u64,
    pub wall_ms: u64,
    /// Collection wall time over the floor (`null` when the floor is zero).
    pub wall_over_floor: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct BucketRow {
    /// Account, region, bucket, its rate and burst (from the collector's quota table), calls and
    /// throttled attempts.
    #[serde(flatten)]
    pub bucket: collect::BucketStats,
    /// (calls − burst) / rate, in milliseconds: the least time any client making these calls
    /// needs at this quota.
    pub floor_ms: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct Phases {
    pub collect: u64,
    pub probe: u64,
    pub check: u64,
}

#[derive(Debug, Serialize)]
pub struct OperationRow {
    pub service: String,
    pub operation: String,
    #[serde(flatten)]
    pub counts: collect::OperationStats,
}

impl RunStats {
    /// Figures of a collection (none for `--from`).
    pub fn from_collection(summary: Option<&CollectSummary>) -> Self {
        let mut stats = Self::default();
        let Some(summary) = summary else { return stats };
        stats.resources = summary.resources;
        stats.phases_ms.collect = millis(summary.duration);
        let mut total = collect::OperationStats::default();
        for ((service, operation), op) in &summary.operations {
            total.add(op);
            stats.operations.push(OperationRow {
                service: service.clone(),
                operation: operation.clone(),
                counts: *op,
            });
        }
        stats.api_calls = total.calls;
        stats.pages = total.pages;
        stats.attempts = total.attempts;
        stats.retries = total.retries;
        stats.throttled = total.throttled;
        stats.errors = total.errors;
        stats.bytes_received = total.bytes_received;
        stats.buckets = summary
            .buckets
            .iter()
            .map(|bucket| BucketRow { bucket: bucket.clone(), floor_ms: millis(bucket.floor) })
            .collect();
        stats.bound = collect::pacing::bound(&summary.buckets).map(|bucket| Bound {
            account: bucket.account.clone(),
            region: bucket.region.clone(),
            bucket: bucket.bucket.clone(),
            floor_ms: millis(bucket.floor),
            wall_ms: millis(summary.duration),
            wall_over_floor: (!bucket.floor.is_zero())
                .then(|| summary.duration.as_secs_f64() / bucket.floor.as_secs_f64()),
        });
        stats
    }

    pub fn finish(mut self, probe: Duration, check: Duration) -> Self {
        self.phases_ms.probe = millis(probe);
        self.phases_ms.check = millis(check);
        self.peak_rss_bytes = peak_rss_bytes();
        self
    }

    /// The human rendering for stderr.
    pub fn render(&self) -> String {
        let mut table = comfy_table::Table::new();
        table
            .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
            // Never wrapped: operation names broken over two lines cannot be searched for.
            .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
            .set_header(vec![
                "Service",
                "Operation",
                "Calls",
                "Pages",
                "Attempts",
                "Retries",
                "Throttled",
                "Errors",
                "Bytes",
            ]);
        for row in &self.operations {
            let op = &row.counts;
            table.add_row(vec![
                row.service.clone(),
                row.operation.clone(),
                op.calls.to_string(),
                op.pages.to_string(),
                op.attempts.to_string(),
                op.retries.to_string(),
                op.throttled.to_string(),
                op.errors.to_string(),
                op.bytes_received.to_string(),
            ]);
        }
        let rss =
            self.peak_rss_bytes.map(|b| format!("{:.1} MiB", b as f64 / 1_048_576.0)).unwrap_or("n/a".into());
        let mut buckets = comfy_table::Table::new();
        buckets
            .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
            .set_header(vec![
                "Account",
                "Region",
                "Quota bucket",
                "Rate/s",
                "Burst",
                "Calls",
                "Throttled",
                "Floor s",
            ]);
        for row in &self.buckets {
            let bucket = &row.bucket;
            buckets.add_row(vec![
                bucket.account.clone(),
                bucket.region.clone(),
                bucket.bucket.clone(),
                format!("{}", bucket.rate),
                format!("{}", bucket.burst),
                bucket.calls.to_string(),
                bucket.throttled.to_string(),
                format!("{:.1}", row.floor_ms as f64 / 1000.0),
            ]);
        }
        let bound = match &self.bound {
            Some(bound) => {
                let ratio = match bound.wall_over_floor {
                    Some(ratio) => format!("{ratio:.2}× the floor"),
                    None => "every call within its bucket's burst".to_string(),
                };
                format!(
                    "bounded by {} in {} {}: floor {:.1} s, wall {:.1} s ({ratio})\n",
                    bound.bucket,
                    bound.account,
                    bound.region,
                    bound.floor_ms as f64 / 1000.0,
                    bound.wall_ms as f64 / 1000.0,
                )
            }
            None => String::new(),
        };
        let buckets = if self.buckets.is_empty() { String::new() } else { format!("{buckets}\n") };
        format!(
            "{table}\n{buckets}{bound}{} API calls ({} list pages), {} attempts, {} retries, {} throttled, {} errors, \
             {} bytes received; collect {} ms, probe {} ms, check {} ms; peak memory {rss}\n",
            self.api_calls,
            self.pages,
            self.attempts,
            self.retries,
            self.throttled,
            self.errors,
            self.bytes_received,
            self.phases_ms.collect,
            self.phases_ms.probe,
            self.phases_ms.check
        )
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// VmHWM from /proc/self/status: the peak resident set size.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
