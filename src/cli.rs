//! Command-line interface: argument definitions (clap) and the translation of parse errors into
//! edge-audit's one-line, exit-code-2 errors.

use clap::{Args, Parser, Subcommand, ValueEnum};
use edge_audit_checks::Severity;
use std::path::PathBuf;

/// Audit AWS edge perimeters: CloudFront, AWS WAF, Shield, API Gateway, load balancers, EC2 and
/// Lambda function URLs, and prove that origins refuse requests that go around CloudFront.
#[derive(Debug, Parser)]
#[command(name = "edge-audit", version, about, long_about = None, propagate_version = true)]
#[command(after_help = "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; \
2 usage or input error; 3 the audit is incomplete (something not evaluated) and nothing failed.")]
pub struct Cli {
    /// More logs on stderr (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Nothing on stderr but errors and warnings.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Configuration file (default: ./edge-audit.toml when it exists).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The date suppressions expire against (YYYY-MM-DD); default: today (UTC). For tests.
    #[arg(long, global = true, hide = true, value_name = "YYYY-MM-DD", env = "EDGE_AUDIT_TODAY")]
    pub today: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit accounts (live) or a saved inventory (--from) and report findings.
    Scan(ScanArgs),
    /// Collect an inventory from live accounts and save it (no secret values) for
    /// `scan --from` and drift baselines.
    Snapshot(SnapshotArgs),
    /// Compare two inventories (or an inventory and the live accounts) and report perimeter
    /// changes: weakened, strengthened or neutral, with the findings that came and went.
    Drift(DriftArgs),
    /// Write a commented starter configuration (edge-audit.toml).
    Init(InitArgs),
    /// List the checks.
    Checks(ChecksArgs),
    /// Print the documentation of one check.
    Explain(ExplainArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    Man,
}

/// Which accounts and regions to read, and how to authenticate.
#[derive(Debug, Clone, Args)]
pub struct ScopeArgs {
    /// Account to audit (repeatable). When the caller is not in it, edge-audit assumes
    /// arn:aws:iam::ID:role/<--role-name>.
    #[arg(long = "account", value_name = "ID")]
    pub accounts: Vec<String>,
    /// Audit every active account of the organization.
    #[arg(long)]
    pub org: bool,
    /// Name of the role to assume in each audited account.
    #[arg(long, value_name = "NAME", default_value = "EdgeAuditReadOnly")]
    pub role_name: String,
    /// AWS shared-config profile.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Role to assume before anything else (session name `edge-audit`).
    #[arg(long, value_name = "ARN")]
    pub role_arn: Option<String>,
    /// External id for --role-arn.
    #[arg(long, value_name = "ID", requires = "role_arn")]
    pub external_id: Option<String>,
    /// Regions to audit (comma-separated); default: every enabled region.
    #[arg(long, value_name = "REGION,...", value_delimiter = ',')]
    pub regions: Option<Vec<String>>,
    /// How many AWS calls may run at once per account (accounts are read in parallel).
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Audit a saved inventory (from `edge-audit snapshot`) instead of live accounts.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["accounts", "org", "profile", "role_arn", "external_id", "role_name", "regions"])]
    pub from: Option<PathBuf>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    #[command(flatten)]
    pub report: ScanReportArgs,
    /// Only these checks (ids or slugs, comma-separated).
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub checks: Vec<String>,
    /// Skip these checks (ids or slugs, comma-separated).
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub skip_checks: Vec<String>,
    /// Do not probe origins (live scans probe by default).
    #[arg(long, conflicts_with = "probe")]
    pub no_probe: bool,
    /// Probe origins also when scanning a saved inventory.
    #[arg(long)]
    pub probe: bool,
    /// Also request each path routed to an API origin through the distribution itself (EA606).
    #[arg(long)]
    pub probe_through_cloudfront: bool,
    /// How many probe requests may be in flight at once (and at most 2 per host per second).
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub probe_concurrency: u16,
    /// Seconds one probe may take: connect, TLS, answer.
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub probe_timeout: u64,
    /// Send probes for HOST:PORT to ADDR:PORT2 instead, keeping the Host header and the TLS name
    /// HOST (as curl --connect-to; empty HOST or PORT match any). Repeatable.
    #[arg(long, value_name = "HOST:PORT:ADDR:PORT2")]
    pub connect_to: Vec<crate::probe::ConnectTo>,
    /// Trust the CA certificate(s) in this PEM file for probes, besides the system's.
    #[arg(long, value_name = "FILE")]
    pub probe_ca_cert: Option<PathBuf>,
    /// Print API call statistics (per operation, retries, throttles, bytes), time per phase and
    /// peak memory on stderr, and add them to the JSON report as `stats`.
    #[arg(long)]
    pub stats: bool,
    /// A JSON report of an earlier scan: only findings not in it count towards --fail-on.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// The probe tuning flags given on the command line (`--probe-timeout` …), to refuse them
    /// when no probe will be sent. Filled by [`parse`].
    #[arg(skip)]
    pub probe_flags_given: Vec<&'static str>,
}

/// The flags that only tune probes, by clap id and as written.
const PROBE_TUNING_FLAGS: &[(&str, &str)] = &[
    ("probe_through_cloudfront", "--probe-through-cloudfront"),
    ("probe_concurrency", "--probe-concurrency"),
    ("probe_timeout", "--probe-timeout"),
    ("connect_to", "--connect-to"),
    ("probe_ca_cert", "--probe-ca-cert"),
];

#[derive(Debug, Args)]
pub struct DriftArgs {
    /// The earlier inventory (from `edge-audit snapshot`).
    #[arg(long, value_name = "FILE")]
    pub baseline: PathBuf,
    /// The later inventory; without it, the current state is collected live (scope flags).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["accounts", "org", "profile", "role_arn", "external_id", "role_name", "regions"])]
    pub current: Option<PathBuf>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Only these checks when diffing findings (ids or slugs, comma-separated).
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub checks: Vec<String>,
    /// Skip these checks when diffing findings (ids or slugs, comma-separated).
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub skip_checks: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the configuration.
    #[arg(long, short, value_name = "FILE", default_value = "edge-audit.toml")]
    pub output: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Where to write the inventory (JSON).
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
}

/// How to report.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Report format.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding has at least this severity.
    #[arg(long, value_enum, default_value_t = FailOn::High)]
    pub fail_on: FailOn,
}

// The formats are the reporters' own types; the CLI only parses them.
pub use crate::drift::Format;
pub use crate::report::Format as ScanFormat;

/// How `scan` reports: the formats of [`ReportArgs`] plus the Security Hub formats, HTML, the
/// per-account SARIF directory and the compliance table.
#[derive(Debug, Clone, Args)]
pub struct ScanReportArgs {
    /// Report format.
    #[arg(long, short, value_enum, default_value_t = ScanFormat::Table)]
    pub format: ScanFormat,
    /// Write the report to FILE (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE", conflicts_with = "output_dir")]
    pub output: Option<PathBuf>,
    /// (--format sarif) Write one SARIF file per account into DIR (edge-audit-<account>.sarif),
    /// each its own GitHub code scanning category.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Exit 1 when a finding has at least this severity.
    #[arg(long, value_enum, default_value_t = FailOn::High)]
    pub fail_on: FailOn,
    /// Add a per-control table (pass / fail / not evaluated) of this framework to the report.
    #[arg(long, value_enum, value_name = "FRAMEWORK")]
    pub compliance: Option<ComplianceFramework>,
    /// (--format asff) The region of the Security Hub the findings are imported into (their
    /// ProductArn names it).
    #[arg(long, value_name = "REGION", default_value = "us-east-1")]
    pub security_hub_region: String,
}

/// `scan --compliance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ComplianceFramework {
    Fsbp,
    Cis,
    #[value(name = "nist-800-53")]
    Nist80053,
}

impl ComplianceFramework {
    pub fn framework(self) -> edge_audit_checks::compliance::Framework {
        use edge_audit_checks::compliance::Framework;
        match self {
            Self::Fsbp => Framework::Fsbp,
            Self::Cis => Framework::Cis,
            Self::Nist80053 => Framework::Nist80053,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    Info,
    None,
}

impl FailOn {
    /// The lowest severity that fails the run; `None` never fails.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            Self::Critical => Some(Severity::Critical),
            Self::High => Some(Severity::High),
            Self::Medium => Some(Severity::Medium),
            Self::Low => Some(Severity::Low),
            Self::Info => Some(Severity::Info),
            Self::None => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct ChecksArgs {
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Check id or slug (EA101, cloudfront-no-web-acl).
    pub check: String,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}

/// Parses the command line. Help and version go to stdout with exit 0; any other parse error,
/// a missing command included, is returned as one line (clap's own output spans several).
pub fn parse() -> Result<Cli, ParseOutcome> {
    parse_from(std::env::args_os())
}

/// [`parse`] of the given arguments (the first is the program name).
pub fn parse_from<I, T>(args: I) -> Result<Cli, ParseOutcome>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::{CommandFactory, FromArgMatches};
    let parsed = Cli::command()
        .try_get_matches_from(args)
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)));
    let (mut cli, matches) = parsed.map_err(|err| match err.kind() {
        clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
            ParseOutcome::Info(err.render().to_string())
        }
        clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        | clap::error::ErrorKind::MissingSubcommand => ParseOutcome::Error(missing_command()),
        _ => ParseOutcome::Error(format!(
            "{} (see `edge-audit --help`)",
            one_line_of(&err.render().to_string())
        )),
    })?;
    if let (Command::Scan(args), Some(scan)) = (&mut cli.command, matches.subcommand_matches("scan")) {
        args.probe_flags_given = PROBE_TUNING_FLAGS
            .iter()
            .filter(|(id, _)| scan.value_source(id) == Some(clap::parser::ValueSource::CommandLine))
            .map(|(_, flag)| *flag)
            .collect();
    }
    Ok(cli)
}

/// `edge-audit` alone: the usage and the commands, on one line.
fn missing_command() -> String {
    use clap::CommandFactory;
    let command = Cli::command();
    let names: Vec<&str> =
        command.get_subcommands().filter(|c| !c.is_hide_set()).map(|c| c.get_name()).collect();
    format!(
        "no command given (usage: edge-audit [OPTIONS] <COMMAND>, where COMMAND is one of {}; see `edge-audit --help`)",
        names.join(", ")
    )
}

/// clap's error as one line: its first line, followed by the items it lists below it
/// (`the following required arguments were not provided: --role-arn <ARN>`), without the usage.
fn one_line_of(rendered: &str) -> String {
    let mut lines = rendered.lines().filter(|l| !l.trim().is_empty());
    let first = lines.next().unwrap_or("invalid arguments").trim().trim_start_matches("error: ").to_string();
    let listed: Vec<&str> = lines
        .take_while(|l| l.starts_with("  ") && !l.trim_start().starts_with("Usage:"))
        .map(str::trim)
        .collect();
    if listed.is_empty() {
        first
    } else {
        format!("{} {}", first.trim_end_matches(':').to_string() + ":", listed.join(", "))
    }
}

pub enum ParseOutcome {
    /// Help or version text (asked for), printed to stdout, exit 0.
    Info(String),
    /// A one-line usage error, exit 2.
    Error(String),
}
