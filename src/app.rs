//! What each command does, from parsed arguments to an exit code.

use crate::cli::{self, ChecksArgs, Cli, Command, ExplainArgs, Format, ListFormat, ParseOutcome, ScanArgs};
use crate::error::Error;
use crate::output;
use crate::report::Report;
use crate::snapshot;
use clap::CommandFactory;
use edge_audit_checks::{registry, CheckOptions, Inventory};
use std::io::IsTerminal;
use std::process::ExitCode;

/// Runs edge-audit with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(ParseOutcome::Info(text)) => {
            print!("{text}");
            return ExitCode::SUCCESS;
        }
        Err(ParseOutcome::Error(line)) => {
            eprintln!("error: {line}");
            return ExitCode::from(2);
        }
    };
    init_logging(&cli);
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {}", crate::error::one_line(&err.to_string()));
            ExitCode::from(2)
        }
    }
}

fn init_logging(cli: &Cli) {
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("EDGE_AUDIT_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(format!("edge_audit={level},edge_audit_checks={level}"))
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .with_target(false)
        .try_init();
}

fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Snapshot(_) => Err(live_unavailable()),
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

fn live_unavailable() -> Error {
    Error::Usage(
        "live collection from AWS is not available in this build yet: use `scan --from FILE`".to_string(),
    )
}

fn scan(args: ScanArgs) -> Result<u8, Error> {
    let checks =
        registry::select(&args.checks, &args.skip_checks).map_err(|e| Error::Usage(e.to_string()))?;
    if let Some(path) = &args.report.output {
        output::check_writable(path)?;
    }
    let inventory: Inventory = match &args.from {
        Some(path) => snapshot::load(path)?,
        None => return Err(live_unavailable()),
    };
    let outcome = registry::run(&inventory, &checks, &CheckOptions::default());
    let report = Report::new(&inventory, outcome, args.report.fail_on.threshold());
    let color = args.report.format == Format::Table
        && args.report.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    output::write(args.report.output.as_deref(), &report.render(args.report.format, color))?;
    Ok(report.exit_code())
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
    let text = format!(
        "# {} {}: {}\n\nDefault severity: {}. Reads: {}.\n\n{}\n",
        meta.id,
        meta.slug,
        meta.title,
        meta.default_severity,
        services.join(", "),
        meta.documentation()
    );
    output::write(None, &text)?;
    Ok(0)
}
