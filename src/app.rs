//! What each command does, from parsed arguments to an exit code.

use crate::cli::{
    self, ChecksArgs, Cli, Command, DriftArgs, ExplainArgs, InitArgs, ListFormat, ParseOutcome, ScanArgs,
    ScanFormat, SnapshotArgs,
};
use crate::config::Config;
use crate::error::Error;
use crate::output;
use crate::probe;
use crate::report::baseline::Baseline;
use crate::report::Report;
use crate::snapshot;
use clap::CommandFactory;
use edge_audit_checks::model::{Indexes, Judge, Model};
use edge_audit_checks::{registry, CheckOptions, Inventory};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Runs edge-audit with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(ParseOutcome::Info(text)) => {
            return match output::write(None, &text) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(2),
            };
        }
        Err(ParseOutcome::Error(line)) => {
            output::error(&line);
            return ExitCode::from(2);
        }
    };
    init_logging(&cli);
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            output::error(&err.to_string());
            ExitCode::from(2)
        }
    }
}

/// Logs on stderr: edge-audit's own at the level of -v/-q (or `EDGE_AUDIT_LOG`), everything
/// else at most warnings, whatever the filter says. Below that, the AWS SDK, hyper and rustls
/// log wire-level detail (request and response headers and bodies) that carries API key values,
/// origin header values and listener-rule header values in clear: those lines never print.
fn init_logging(cli: &Cli) {
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    use tracing_subscriber::Layer as _;
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("EDGE_AUDIT_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(format!("edge_audit={level},edge_audit_checks={level}"))
    });
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .with_target(false)
        .with_filter(filter)
        .with_filter(tracing_subscriber::filter::filter_fn(is_printable_event));
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

/// Whether a span or event may reach the log: edge-audit's own (which never logs a secret), or
/// a warning or error from a dependency.
fn is_printable_event(metadata: &tracing::Metadata<'_>) -> bool {
    let target = metadata.target();
    let own = target == "edge_audit"
        || target.starts_with("edge_audit::")
        || target == "edge_audit_checks"
        || target.starts_with("edge_audit_checks::");
    own || *metadata.level() <= tracing::Level::WARN
}

fn run(cli: Cli) -> Result<u8, Error> {
    let globals = Globals { config: cli.config, today: cli.today, quiet: cli.quiet, verbose: cli.verbose };
    match cli.command {
        Command::Scan(args) => scan(args, &globals),
        Command::Drift(args) => drift(args, &globals),
        Command::Init(args) => init(&args),
        Command::Snapshot(args) => take_snapshot(&args, &globals),
        Command::Checks(args) => list_checks(&args),
        Command::Explain(args) => explain(&args),
        Command::Completions(args) => {
            let mut command = Cli::command();
            clap_complete::generate(args.shell, &mut command, "edge-audit", &mut std::io::stdout());
            Ok(0)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(|e| Error::output(std::path::Path::new("<stdout>"), e.to_string()))?;
            output::write(None, &String::from_utf8_lossy(&page))?;
            Ok(0)
        }
    }
}

/// Options that apply to every command.
struct Globals {
    config: Option<std::path::PathBuf>,
    today: Option<String>,
    quiet: bool,
    verbose: u8,
}

impl Globals {
    fn config(&self) -> Result<Option<Config>, Error> {
        Config::discover(self.config.as_deref())
    }

    /// The date suppressions expire against: `--today` / `EDGE_AUDIT_TODAY`, else the system
    /// clock (UTC).
    fn today(&self) -> Result<time::Date, Error> {
        match &self.today {
            Some(text) => crate::config::parse_date(text)
                .ok_or_else(|| Error::Usage(format!("invalid --today `{text}` (expected YYYY-MM-DD)"))),
            None => Ok(time::OffsetDateTime::now_utc().date()),
        }
    }
}

fn scan(args: ScanArgs, globals: &Globals) -> Result<u8, Error> {
    let config = globals.config()?;
    let today = globals.today()?;
    let checks = crate::policy::select_checks(config.as_ref(), &args.checks, &args.skip_checks)
        .map_err(|e| Error::Usage(e.to_string()))?;
    require_checks(&checks)?;
    if let (Some(from), Some(baseline)) = (&args.from, &args.baseline) {
        if crate::input::is_stdin(from) && crate::input::is_stdin(baseline) {
            return Err(Error::Usage("--from - and --baseline - cannot both read standard input".into()));
        }
    }
    if let Some(path) = &args.report.output {
        let mut inputs = vec![];
        inputs.extend(args.from.as_deref().map(|p| ("--from", p)));
        inputs.extend(args.baseline.as_deref().map(|p| ("--baseline", p)));
        inputs.extend(config.as_ref().map(|c| ("--config", c.path.as_path())));
        inputs.extend(args.probe_ca_cert.as_deref().map(|p| ("--probe-ca-cert", p)));
        output::check_not_an_input(path, &inputs)?;
        output::check_writable(path)?;
    }
    if let Some(dir) = &args.report.output_dir {
        if args.report.format != ScanFormat::Sarif {
            return Err(Error::Usage(
                "--output-dir writes one SARIF file per account: it needs --format sarif (use --output for other formats)"
                    .into(),
            ));
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e.to_string()))?;
        output::check_writable(&dir.join(crate::report::sarif::file_name("none")))?;
    }
    // It goes into every ASFF finding's ProductArn: a region name, nothing else.
    let region = &args.report.security_hub_region;
    let region_ok = !region.is_empty()
        && region.len() <= 32
        && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !region_ok {
        return Err(Error::Usage(format!(
            "invalid --security-hub-region `{}` (expected a region name such as eu-west-1)",
            region.escape_default()
        )));
    }
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    // Live scans probe unless --no-probe; saved inventories only with --probe. No request is
    // sent when no selected check judges probes.
    let probing = if args.from.is_some() { args.probe } else { !args.no_probe };
    let probing = probing && checks.iter().any(|c| c.meta().requires_probes());
    if !probing {
        // Probe tuning with probes off is a mistake in the command line (refused); with probes
        // asked for but no selected check that judges them, a shared argument list met a narrow
        // --checks (warned).
        let asked = if args.from.is_some() { args.probe } else { !args.no_probe };
        if let Some(flag) = args.probe_flags_given.first() {
            let message =
                format!("{flag} tunes probes, but no probe will be sent ({})", why_no_probes(&args, &checks));
            if !asked {
                return Err(Error::Usage(format!("{message}; drop it")));
            }
            output::warning(&message);
        }
        if checks.iter().all(|c| c.meta().requires_probes()) {
            let ids: Vec<&str> = checks.iter().map(|c| c.meta().id).collect();
            return Err(Error::Usage(format!(
                "the selected checks ({}) judge probe results only, but no probe will be sent ({}): \
                 nothing would be evaluated",
                ids.join(", "),
                why_no_probes(&args, &checks)
            )));
        }
    }
    let default_options = CheckOptions::default();
    let options = config.as_ref().map(|c| &c.checks.options).unwrap_or(&default_options);
    let probe_options = match probing || args.probe_ca_cert.is_some() {
        true => Some(probe_options(&args)?),
        false => None,
    };
    // One runtime for what needs one: live collection and probes.
    let runtime = match args.from.is_none() || probing {
        true => Some(runtime()?),
        false => None,
    };
    let (inventory, collection) = match (&args.from, &runtime) {
        (Some(path), _) => (require_accounts(path, snapshot::load(path)?)?, None),
        (None, Some(runtime)) => {
            let (inventory, summary) =
                crate::live::collect(runtime, &collect_options(&args.scope, globals.quiet))?;
            if crate::live::show_summary(globals.quiet, globals.verbose) {
                output::diagnostic(&crate::live::summary_line(&summary));
            }
            (inventory, Some(summary))
        }
        (None, None) => {
            return Err(Error::Fatal("internal error: no async runtime for live collection".into()))
        }
    };
    // The perimeter model, computed once: the probe planner, the checks and the report's graph
    // read the same one. A scan that sends no probe judges one account at a time instead, so
    // that it never holds every account's perimeter.
    let check_started = Instant::now();
    let indexes = Indexes::build(&inventory);
    let judged = match probing {
        true => Judged::Whole(Model::build(&inventory, &indexes, options)),
        false => Judged::PerAccount(Judge::new(&inventory, &indexes, options)),
    };
    let model_time = check_started.elapsed();
    let probe_started = Instant::now();
    let probes = match (&probe_options, probing, &runtime, &judged) {
        (Some(options), true, Some(runtime), Judged::Whole(model)) => {
            Some(runtime.block_on(probe::probe_inventory(model, options)))
        }
        _ => None,
    };
    let probe_time = probe_started.elapsed();
    // Markdown and HTML draw the perimeter.
    let perimeter = match (args.report.format, &judged) {
        (ScanFormat::Markdown | ScanFormat::Html, Judged::Whole(model)) => {
            Some(crate::report::graph::Perimeter::build(model))
        }
        (ScanFormat::Markdown | ScanFormat::Html, Judged::PerAccount(judge)) => {
            let mut perimeter = crate::report::graph::Perimeter::default();
            judge.accounts().for_each(|account| perimeter.add_account(&account));
            Some(perimeter)
        }
        _ => None,
    };
    let fail_on = args.report.fail_on.threshold();
    let check_started = Instant::now();
    // Every report is written from findings spilled to a temporary file as the checks record
    // them (read back one at a time as the report is written): a large scan never holds them all.
    let run = |sink: &mut dyn FnMut(edge_audit_checks::Finding)| match judged {
        Judged::Whole(model) => registry::run_model_into(model, &checks, probes.as_deref(), sink),
        Judged::PerAccount(judge) => registry::run_judged_into(&judge, &checks, probes.as_deref(), sink),
    };
    let spill = crate::report::spill::Spill::new(
        fail_on,
        baseline.as_ref(),
        args.report
            .output
            .as_deref()
            .filter(|p| !output::is_stdout(p))
            .map(output::parent_dir)
            .or(args.report.output_dir.as_deref()),
    );
    let (outcome, suppressed, spilled) = crate::policy::apply_streamed(
        run,
        &inventory,
        config.as_ref(),
        &checks,
        today,
        crate::report::spill::Spilling { spill, baseline: baseline.as_ref() },
    )?;
    let check_time = check_started.elapsed() + model_time;
    let mut report = Report::new(&inventory, outcome, fail_on)
        .with_suppressed(suppressed)
        .with_probes(probes)
        .with_spilled(spilled);
    if args.stats {
        let stats =
            crate::live::RunStats::from_collection(collection.as_ref()).finish(probe_time, check_time);
        if !globals.quiet {
            output::diagnostic_text(&stats.render());
        }
        report = report.with_stats(stats);
    }
    let mut baseline_warning = None;
    if let Some(baseline) = &baseline {
        let other = baseline.accounts_not_covered(inventory.accounts.iter().map(|a| a.account_id.as_str()));
        if !other.is_empty() && !baseline.accounts.is_empty() {
            let known: Vec<&str> = baseline.accounts.iter().map(String::as_str).collect();
            baseline_warning = Some(format!(
                "baseline {} covers account{} {}, not {}: every finding there counts as new",
                baseline.path.display(),
                if known.len() == 1 { "" } else { "s" },
                known.join(", "),
                other.join(", ")
            ));
        }
        report = report.with_baseline(baseline);
    }
    if let Some(perimeter) = perimeter {
        report = report.with_perimeter(perimeter);
    }
    if let Some(framework) = args.report.compliance {
        report = report.with_compliance(framework.framework());
    }
    report = report.with_security_hub_region(&args.report.security_hub_region);
    if let Some(dir) = &args.report.output_dir {
        for warning in write_sarif_dir(dir, &report)? {
            output::warning(&warning);
        }
        return Ok(report.exit_code());
    }
    let runs = crate::report::sarif::run_accounts(&report).len();
    if args.report.format == ScanFormat::Sarif && runs > crate::report::sarif::MAX_RUNS_PER_FILE {
        return Err(Error::Usage(format!(
            "the SARIF report would have {runs} runs (one per account) and GitHub code scanning accepts at most {} \
             runs per file: use --output-dir DIR to write one SARIF file per account",
            crate::report::sarif::MAX_RUNS_PER_FILE
        )));
    }
    let color = args.report.format == ScanFormat::Table
        && args.report.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let mut warnings = Vec::new();
    output::write_with(args.report.output.as_deref(), |out| {
        warnings = report.write(args.report.format, color, out)?;
        Ok(())
    })?;
    for warning in baseline_warning.into_iter().chain(warnings) {
        output::warning(&warning);
    }
    Ok(report.exit_code())
}

/// How a scan judges its inventory: whole, when the probe planner reads every account's
/// perimeter, else one account at a time (never holding every account's perimeter).
enum Judged<'a> {
    Whole(Model<'a>),
    PerAccount(Judge<'a>),
}

/// `--output-dir DIR`: one SARIF file per account (`edge-audit-<account>.sarif`), each written
/// atomically; per-account files of earlier runs for accounts no longer audited are removed, so
/// an upload of the directory does not bring back their alerts. Returns the warnings (one per
/// file cut to GitHub's limits).
fn write_sarif_dir(dir: &Path, report: &Report) -> Result<Vec<String>, Error> {
    let accounts = crate::report::sarif::run_accounts(report);
    let names: Vec<String> =
        accounts.iter().map(|account| crate::report::sarif::file_name(account)).collect();
    let mut warnings = Vec::new();
    let findings = crate::report::sarif::Findings::of(report);
    // One file at a time, each streamed: a large organisation's files are never all in memory.
    for (account, name) in accounts.iter().zip(&names) {
        let mut cut = None;
        output::write_with(Some(&dir.join(name)), |out| {
            cut = Some(crate::report::sarif::write_account(
                report,
                &findings,
                account,
                crate::report::sarif::Limits::GITHUB,
                out,
            )?);
            Ok(())
        })?;
        warnings.extend(cut.and_then(|c| c.warning).map(|w| format!("{name}: {w}")));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error::output(dir, e.to_string()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if crate::report::sarif::is_per_account_file(&name) && !names.contains(&name) {
            std::fs::remove_file(entry.path()).map_err(|e| Error::output(&entry.path(), e.to_string()))?;
        }
    }
    Ok(warnings)
}

/// The probe options of `scan`'s probe flags (reads `--probe-ca-cert`): the CLI's types stop
/// here, the probe module takes its own.
fn probe_options(args: &ScanArgs) -> Result<probe::ProbeOptions, Error> {
    let extra_roots = match &args.probe_ca_cert {
        Some(path) => probe::load_ca(path)?,
        None => Vec::new(),
    };
    Ok(probe::ProbeOptions {
        through_cloudfront: args.probe_through_cloudfront,
        concurrency: usize::from(args.probe_concurrency),
        timeout: std::time::Duration::from_secs(args.probe_timeout),
        connect_to: args.connect_to.clone(),
        extra_roots,
        ..probe::ProbeOptions::default()
    })
}

/// Zero checks is never a pass: a selection that leaves nothing to run is a usage error.
fn require_checks(checks: &[&'static dyn edge_audit_checks::Check]) -> Result<(), Error> {
    if checks.is_empty() {
        return Err(Error::Usage(
            "no check is selected (--checks, --skip-checks and the configuration's select/ignore leave \
             none): nothing would be evaluated"
                .into(),
        ));
    }
    Ok(())
}

/// An inventory with no account has nothing to evaluate: an input error, never a pass.
fn require_accounts(path: &Path, inventory: Inventory) -> Result<Inventory, Error> {
    if inventory.accounts.is_empty() {
        return Err(Error::input(path, "field `accounts`: the inventory holds no account, nothing to audit"));
    }
    Ok(inventory)
}

/// Why a scan sends no probe, for messages.
fn why_no_probes(args: &ScanArgs, checks: &[&'static dyn edge_audit_checks::Check]) -> &'static str {
    if !checks.iter().any(|c| c.meta().requires_probes()) {
        "no selected check judges probes"
    } else if args.from.is_some() {
        "a saved inventory is probed only with --probe"
    } else {
        "--no-probe"
    }
}

fn drift(args: DriftArgs, globals: &Globals) -> Result<u8, Error> {
    let config = globals.config()?;
    let checks = crate::policy::select_checks(config.as_ref(), &args.checks, &args.skip_checks)
        .map_err(|e| Error::Usage(e.to_string()))?;
    require_checks(&checks)?;
    if let Some(current) = &args.current {
        if crate::input::is_stdin(current) && crate::input::is_stdin(&args.baseline) {
            return Err(Error::Usage("--baseline - and --current - cannot both read standard input".into()));
        }
    }
    if let Some(path) = &args.report.output {
        let mut inputs = vec![("--baseline", args.baseline.as_path())];
        inputs.extend(args.current.as_deref().map(|p| ("--current", p)));
        inputs.extend(config.as_ref().map(|c| ("--config", c.path.as_path())));
        output::check_not_an_input(path, &inputs)?;
        output::check_writable(path)?;
    }
    let before = require_accounts(&args.baseline, snapshot::load(&args.baseline)?)?;
    let after = match &args.current {
        Some(path) => require_accounts(path, snapshot::load(path)?)?,
        None => {
            let (inventory, summary) =
                crate::live::collect(&runtime()?, &collect_options(&args.scope, globals.quiet))?;
            if crate::live::show_summary(globals.quiet, globals.verbose) {
                output::diagnostic(&crate::live::summary_line(&summary));
            }
            inventory
        }
    };
    // One SARIF run per account, and GitHub code scanning takes at most 20 runs a file.
    let accounts = after.accounts.len();
    if args.report.format == cli::Format::Sarif && accounts > crate::report::sarif::MAX_RUNS_PER_FILE {
        return Err(Error::Usage(format!(
            "the drift SARIF report would have {accounts} runs (one per account) and GitHub code scanning accepts \
             at most {} runs per file: compare the accounts in groups of at most {} (one snapshot per group), or \
             use --format json",
            crate::report::sarif::MAX_RUNS_PER_FILE,
            crate::report::sarif::MAX_RUNS_PER_FILE
        )));
    }
    let default_options = CheckOptions::default();
    let options = config.as_ref().map(|c| &c.checks.options).unwrap_or(&default_options);
    let no_remaps = std::collections::BTreeMap::new();
    let remaps = config.as_ref().map(|c| &c.checks.severity).unwrap_or(&no_remaps);
    let analysis = crate::drift::analyse(&before, &after, &checks, options, remaps);
    let side = |path: &Path, inventory: &Inventory| crate::drift::render::Side {
        source: path.display().to_string(),
        collected_at: inventory.collected_at.clone(),
    };
    let report = crate::drift::DriftReport::new(
        side(&args.baseline, &before),
        side(args.current.as_deref().unwrap_or(Path::new("live")), &after),
        &after,
        analysis.changes,
        analysis.unattributed,
        analysis.not_compared,
        config.as_ref(),
        globals.today()?,
        args.report.fail_on.threshold(),
    );
    output::write(args.report.output.as_deref(), &report.render(args.report.format)?)?;
    Ok(report.exit_code())
}

/// `edge-audit snapshot`: collect the live scope and save the inventory (no secret values).
fn take_snapshot(args: &SnapshotArgs, globals: &Globals) -> Result<u8, Error> {
    if let Some(config) = &globals.config {
        output::check_not_an_input(&args.output, &[("--config", config.as_path())])?;
    }
    output::check_writable(&args.output)?;
    let (inventory, summary) =
        crate::live::collect(&runtime()?, &collect_options(&args.scope, globals.quiet))?;
    output::write(Some(&args.output), &snapshot::to_json(&inventory)?)?;
    if !globals.quiet {
        let target = if output::is_stdout(&args.output) {
            "standard output".into()
        } else {
            args.output.display().to_string()
        };
        output::diagnostic(&format!("{}; wrote {target}", crate::live::summary_line(&summary)));
    }
    Ok(0)
}

fn init(args: &InitArgs) -> Result<u8, Error> {
    if output::is_stdout(&args.output) {
        output::write(None, crate::config::STARTER)?;
        return Ok(0);
    }
    if std::fs::symlink_metadata(&args.output).is_ok() && !args.force {
        return Err(Error::Usage(format!(
            "{} already exists: not overwriting it (use --force to replace it)",
            args.output.display()
        )));
    }
    output::write(Some(&args.output), crate::config::STARTER)?;
    output::diagnostic(&format!("wrote {}", args.output.display()));
    Ok(0)
}

/// The async runtime, for the commands that need one (probes, live collection).
fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Fatal(format!("cannot start the async runtime: {e}")))
}

fn list_checks(args: &ChecksArgs) -> Result<u8, Error> {
    let checks = registry::all();
    let text = match args.format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = checks
                .iter()
                .map(|c| {
                    let m = c.meta();
                    serde_json::json!({
                        "id": m.id,
                        "slug": m.slug,
                        "title": m.title,
                        "default_severity": m.default_severity,
                        "services": m.services,
                        "kind": m.kind,
                        "requires_probes": m.requires_probes(),
                        "documentation": m.documentation(),
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&list).unwrap_or_default();
            text.push('\n');
            text
        }
        ListFormat::Markdown => {
            let mut text = String::from("| Id | Slug | Severity | Title |\n|---|---|---|---|\n");
            for c in checks {
                let m = c.meta();
                text.push_str(&format!(
                    "| {} | `{}` | {} | {} |\n",
                    m.id, m.slug, m.default_severity, m.title
                ));
            }
            text
        }
        ListFormat::Table => {
            let mut table = comfy_table::Table::new();
            table
                .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
                .set_width(100)
                .set_header(vec!["Id", "Slug", "Severity", "Title"]);
            for c in checks {
                let m = c.meta();
                table.add_row(vec![m.id, m.slug, m.default_severity.as_str(), m.title]);
            }
            format!(
                "{table}\n{} checks. `edge-audit explain <ID>` prints one check's documentation.\n",
                checks.len()
            )
        }
    };
    output::write(None, &text)?;
    Ok(0)
}

fn explain(args: &ExplainArgs) -> Result<u8, Error> {
    let check = registry::find(&args.check).ok_or_else(|| {
        Error::Usage(format!("unknown check `{}` (see `edge-audit checks` for the catalogue)", args.check))
    })?;
    let meta = check.meta();
    let services: Vec<&str> = meta.services.iter().map(|s| s.as_str()).collect();
    let mut text = format!(
        "# {} {}: {}\n\nDefault severity: {}. Reads: {}.\n\n{}\n",
        meta.id,
        meta.slug,
        meta.title,
        meta.default_severity,
        services.join(", "),
        meta.documentation()
    );
    text.push_str("\n## Compliance\n\n");
    match edge_audit_checks::compliance::no_control_reason(meta.id) {
        Some(reason) => text.push_str(&format!("No control: {reason}.\n")),
        None => {
            for c in meta.compliance_controls() {
                text.push_str(&format!(
                    "- {} {} ({}): {}\n",
                    c.framework.standard(),
                    c.id,
                    c.title(),
                    c.rationale
                ));
            }
        }
    }
    output::write(None, &text)?;
    Ok(0)
}

/// The collector options of the scope flags.
fn collect_options(scope: &crate::cli::ScopeArgs, quiet: bool) -> crate::collect::CollectOptions {
    crate::collect::CollectOptions {
        profile: scope.profile.clone(),
        role_arn: scope.role_arn.clone(),
        external_id: scope.external_id.clone(),
        accounts: scope.accounts.clone(),
        role_name: scope.role_name.clone(),
        org: scope.org,
        regions: scope.regions.clone(),
        concurrency: usize::from(scope.concurrency),
        // Progress only for a person watching a terminal; CI logs stay clean.
        progress: !quiet && std::io::stderr().is_terminal(),
    }
}
