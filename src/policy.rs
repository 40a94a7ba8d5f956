//! Policy: what the configuration does to the findings of a check run, before the gate.
//!
//! In order: severity remaps (`[checks.severity]`), then suppressions — `[[suppress]]` entries
//! of the configuration (unless expired) and `edge-audit:ignore` resource tags — and finally the
//! policy's own findings: EA902 for every expired suppression, EA903 for every suppression that
//! matched nothing in a complete audit. The clock is not read here: `today` is given.

use crate::config::{Config, IGNORE_TAG};
use edge_audit_checks::checks::{SuppressionExpired, SuppressionUnused};
use edge_audit_checks::registry::{self, Outcome};
use edge_audit_checks::{Check, CheckMeta, Finding, Inventory, ResourceRef, Severity};
use globset::{GlobSet, GlobSetBuilder};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use time::Date;

/// Why a finding was suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuppressedBy {
    /// `config` (a `[[suppress]]` entry) or `tag` (an `edge-audit:ignore` resource tag).
    pub source: &'static str,
    pub reason: String,
    /// `edge-audit.toml#suppress[0]` for configuration entries, the tagged resource's ARN for
    /// tags.
    pub origin: String,
    /// The last day the suppression applies (YYYY-MM-DD); absent when permanent or a tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// A finding that a suppression took out of the gate.
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub finding: Finding,
    pub by: SuppressedBy,
}

/// The checks to run: the command line's `--checks` replaces the configuration's `select` (and
/// overrides its `ignore` for the checks it names); `--skip-checks` adds to `ignore`.
pub fn select_checks(
    config: Option<&Config>,
    cli_checks: &[String],
    cli_skip: &[String],
) -> Result<Vec<&'static dyn Check>, registry::UnknownCheck> {
    // Unknown names on the command line are errors even when the configuration decides.
    registry::select(cli_checks, cli_skip)?;
    let (select, ignore) = match config {
        Some(c) => (c.checks.select.clone(), c.checks.ignore.clone()),
        None => (Vec::new(), Vec::new()),
    };
    let include = if cli_checks.is_empty() { select } else { cli_checks.to_vec() };
    let named_on_cli =
        |id: &str| registry::find(id).is_some_and(|c| cli_checks.iter().any(|k| c.meta().is_named(k)));
    let mut exclude: Vec<String> = ignore.into_iter().filter(|id| !named_on_cli(id)).collect();
    exclude.extend(cli_skip.iter().cloned());
    registry::select(&include, &exclude)
}

/// Applies `config` to a check run: `selected` are the checks the user asked for (policy checks
/// included), `today` decides expiry.
pub fn apply(
    mut outcome: Outcome,
    inventory: &Inventory,
    config: Option<&Config>,
    selected: &[&'static dyn Check],
    today: Date,
) -> (Outcome, Vec<Suppressed>) {
    let mut policy = Policy::new(inventory, config, today);
    // Suppressed findings are moved out of the list in place: the kept ones never need a second
    // vector of every finding (a large organisation has hundreds of thousands).
    let mut kept = std::mem::take(&mut outcome.findings);
    let mut reasons = Vec::new();
    let removed: Vec<Finding> = kept
        .extract_if(.., |finding| match policy.suppression(finding) {
            Some(by) => {
                reasons.push(by);
                true
            }
            None => false,
        })
        .collect();
    // One reason per removed finding, in the same order.
    let mut suppressed: Vec<Suppressed> =
        removed.into_iter().zip(reasons).map(|(finding, by)| Suppressed { finding, by }).collect();
    kept.extend(policy.finish(&mut outcome, inventory, selected));
    // In place: a stable `sort_by` would allocate a buffer of half of every finding.
    edge_audit_checks::registry::sort_in_place_by(&mut kept, |a, b| a.sort_key().cmp(&b.sort_key()));
    suppressed.sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
    outcome.findings = kept;
    (outcome, suppressed)
}

/// Where a streamed scan's findings go as the policy keeps them (the report's temporary file,
/// `report::spill`): the policy hands each finding on and never holds them.
pub trait FindingSink {
    /// What the sink becomes once every finding is in.
    type Finished;
    /// A finding of the check run that no suppression took out; `produced` is its severity as
    /// its check recorded it (before `[checks.severity]`).
    fn keep(&mut self, finding: Finding, produced: Severity) -> std::io::Result<()>;
    /// One of the policy's own findings (EA902, EA903), never merged with another.
    fn keep_unique(&mut self, finding: Finding) -> std::io::Result<()>;
    fn finish(self) -> std::io::Result<Self::Finished>;
}

/// [`apply`] for a scan whose findings are handed to `sink` as they are recorded instead of
/// held: `run` runs the checks, handing each finding to its sink (as
/// [`registry::run_model_into`] does). The same findings, order, suppressions and policy
/// findings as [`registry::run_model`] followed by [`apply`]; `sink` starts empty.
pub fn apply_streamed<S: FindingSink>(
    run: impl FnOnce(&mut dyn FnMut(Finding)) -> Outcome,
    inventory: &Inventory,
    config: Option<&Config>,
    selected: &[&'static dyn Check],
    today: Date,
    mut sink: S,
) -> Result<StreamedChecks<S::Finished>, crate::error::Error> {
    let sink_error = |e: std::io::Error| {
        crate::error::Error::Fatal(format!("cannot hold the findings in a temporary file: {e}"))
    };
    let mut policy = Policy::new(inventory, config, today);
    let mut suppressed = Vec::new();
    let mut failure = None;
    let mut outcome = run(&mut |mut finding| {
        let produced = finding.severity;
        match policy.suppression(&mut finding) {
            Some(by) => suppressed.push((produced, Suppressed { finding, by })),
            None => {
                if let Err(e) = sink.keep(finding, produced) {
                    failure.get_or_insert(e);
                }
            }
        }
    });
    if let Some(e) = failure {
        return Err(sink_error(e));
    }
    for finding in policy.finish(&mut outcome, inventory, selected) {
        sink.keep_unique(finding).map_err(sink_error)?;
    }
    let finished = sink.finish().map_err(sink_error)?;
    Ok((outcome, suppressed_in_order(suppressed), finished))
}

/// Report order: severity (highest first), check, resource, detail, then the severity the check
/// recorded (highest first).
type SortKey<'a> = (Reverse<Severity>, &'a str, &'a str, &'a str, Reverse<Severity>);

/// The suppressed findings of a streamed scan (each with its severity as its check recorded
/// it) in report order, duplicates merged as the sink merges the kept ones (`Spill::finish`).
fn suppressed_in_order(mut found: Vec<(Severity, Suppressed)>) -> Vec<Suppressed> {
    fn key((produced, s): &(Severity, Suppressed)) -> SortKey<'_> {
        let f = &s.finding;
        (Reverse(f.severity), &f.check_id, &f.resource.arn, &f.detail, Reverse(*produced))
    }
    found.sort_by(|a, b| key(a).cmp(&key(b)));
    found.dedup_by(|(later_produced, later), (kept_produced, kept)| {
        later_produced == kept_produced
            && edge_audit_checks::registry::same_finding(&later.finding, &kept.finding)
    });
    found.into_iter().map(|(_, s)| s).collect()
}

/// What [`apply_streamed`] returns: the outcome (no finding in it), the suppressed findings and
/// the finished sink.
pub type StreamedChecks<F> = (Outcome, Vec<Suppressed>, F);

/// The configuration applied one finding at a time, for [`apply`] and for a scan that streams
/// its findings: [`Policy::suppression`] on every finding of the check run, then
/// [`Policy::finish`] for the policy's own findings.
pub struct Policy<'a> {
    config: Option<&'a Config>,
    today: Date,
    tags: IgnoreTags,
    suppressions: &'a [crate::config::Suppression],
    matcher: SuppressionMatcher<'a>,
    /// Which suppressions matched a finding (expired or not).
    used: Vec<bool>,
}

impl<'a> Policy<'a> {
    pub fn new(inventory: &Inventory, config: Option<&'a Config>, today: Date) -> Self {
        let suppressions = config.map(|c| c.suppress.as_slice()).unwrap_or_default();
        Self {
            config,
            today,
            tags: ignore_tags(inventory),
            suppressions,
            matcher: SuppressionMatcher::new(suppressions),
            used: vec![false; suppressions.len()],
        }
    }

    /// Remaps the finding's severity (`[checks.severity]`) and returns the suppression that
    /// takes it out of the gate, if one does.
    pub fn suppression(&mut self, finding: &mut Finding) -> Option<SuppressedBy> {
        self.remap(finding);
        let mut by = None;
        for i in self.matcher.matching(finding) {
            let Some(s) = self.suppressions.get(i) else { continue };
            if let Some(used) = self.used.get_mut(i) {
                *used = true;
            }
            if by.is_none() && !s.is_expired(self.today) {
                by = Some(SuppressedBy {
                    source: "config",
                    reason: s.reason.clone(),
                    origin: format!("{}#suppress[{}]", file_name(self.config), s.index),
                    expires: s.expires.map(|d| d.to_string()),
                });
            }
        }
        by.or_else(|| tag_suppression(&self.tags, finding))
    }

    fn remap(&self, finding: &mut Finding) {
        if let Some(severity) = self.config.and_then(|c| c.checks.severity.get(&finding.check_id)) {
            finding.severity = *severity;
        }
    }

    /// The policy's own findings, when a configuration is in use and they were selected (EA902
    /// for every expired suppression, EA903 for every one that matched nothing in a complete
    /// audit), once every finding went through [`Self::suppression`]; adds their checks to
    /// `outcome`'s.
    pub fn finish(
        self,
        outcome: &mut Outcome,
        inventory: &Inventory,
        selected: &[&'static dyn Check],
    ) -> Vec<Finding> {
        let mut found = Vec::new();
        let Some(config) = self.config else { return found };
        let today = self.today;
        let is_selected = |meta: &CheckMeta| selected.iter().any(|c| c.meta().id == meta.id);
        let complete = outcome.not_evaluated.is_empty();
        let ran: Vec<&str> = outcome.checks.iter().map(|m| m.id).collect();
        let mut checks = outcome.checks.clone();
        for meta in [&SuppressionExpired::META, &SuppressionUnused::META] {
            if is_selected(meta) && !checks.iter().any(|m| m.id == meta.id) {
                checks.push(meta);
            }
        }
        for (i, s) in config.suppress.iter().enumerate() {
            let resource = suppression_resource(config, s.index, &s.resource, inventory);
            let mut finding = if s.is_expired(today) {
                if !is_selected(&SuppressionExpired::META) {
                    continue;
                }
                let expires = s.expires.map(|d| d.to_string()).unwrap_or_default();
                Finding::new(
                    &SuppressionExpired::META,
                    resource,
                    format!(
                        "Suppression of {} for {} ({} line {}) expired on {expires}: its findings are reported again",
                        s.check,
                        s.resource,
                        file_name(Some(config)),
                        s.line
                    ),
                )
                .evidence("expires", expires)
            } else if !self.used.get(i).copied().unwrap_or(false)
                && complete
                && ran.contains(&s.check.as_str())
            {
                if !is_selected(&SuppressionUnused::META) {
                    continue;
                }
                Finding::new(
                    &SuppressionUnused::META,
                    resource,
                    format!(
                        "Suppression of {} for {} ({} line {}) matched no finding in a complete audit",
                        s.check,
                        s.resource,
                        file_name(Some(config)),
                        s.line
                    ),
                )
            } else {
                continue;
            };
            finding = finding
                .evidence("check", &s.check)
                .evidence("resource", &s.resource)
                .evidence("reason", &s.reason)
                .evidence("line", s.line)
                .detail(format!("{} {}", s.check, s.resource));
            self.remap(&mut finding);
            found.push(finding);
        }
        checks.sort_by_key(|m| m.id);
        outcome.checks = checks;
        found
    }
}

/// Every `[[suppress]]` entry compiled once into one matcher: per check, one glob set of the
/// resource patterns, so a finding costs one set lookup instead of a glob match per entry
/// (10,000 suppressions over thousands of findings would otherwise be tens of millions).
struct SuppressionMatcher<'a> {
    suppressions: &'a [crate::config::Suppression],
    /// Check id → (the check's patterns as one set, the suppression index of each pattern).
    by_check: HashMap<&'a str, (GlobSet, Vec<usize>)>,
    /// Suppressions of checks whose patterns could not be built into a set (none in practice:
    /// each pattern was compiled alone when the configuration was read), matched one by one.
    one_by_one: Vec<usize>,
}

impl<'a> SuppressionMatcher<'a> {
    fn new(suppressions: &'a [crate::config::Suppression]) -> Self {
        let mut builders: BTreeMap<&str, (GlobSetBuilder, Vec<usize>)> = BTreeMap::new();
        for (index, suppression) in suppressions.iter().enumerate() {
            let (builder, indexes) = builders
                .entry(suppression.check.as_str())
                .or_insert_with(|| (GlobSetBuilder::new(), Vec::new()));
            builder.add(suppression.resource_glob().clone());
            indexes.push(index);
        }
        let mut by_check = HashMap::new();
        let mut one_by_one = Vec::new();
        for (check, (builder, indexes)) in builders {
            match builder.build() {
                Ok(set) => {
                    by_check.insert(check, (set, indexes));
                }
                Err(error) => {
                    tracing::debug!("suppressions of {check} are matched one by one: {error}");
                    one_by_one.extend(indexes);
                }
            }
        }
        SuppressionMatcher { suppressions, by_check, one_by_one }
    }

    /// The indexes of the suppressions covering `finding` (check and resource), expired or not,
    /// in configuration order.
    fn matching(&self, finding: &Finding) -> Vec<usize> {
        let mut indexes: Vec<usize> = match self.by_check.get(finding.check_id.as_str()) {
            Some((set, of_pattern)) => set
                .matches(&finding.resource.arn)
                .into_iter()
                .filter_map(|pattern| of_pattern.get(pattern).copied())
                .collect(),
            None => Vec::new(),
        };
        let singles = self.one_by_one.iter().copied();
        indexes.extend(singles.filter(|i| self.suppressions.get(*i).is_some_and(|s| s.matches(finding))));
        indexes.sort_unstable();
        indexes
    }
}

fn file_name(config: Option<&Config>) -> String {
    config
        .and_then(|c| c.path.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| crate::config::DEFAULT_FILE.to_string())
}

/// The resource of an EA902/EA903 finding: the suppression entry of the configuration file. Its
/// account is the one the pattern names when that account was audited, else the first audited
/// one (SARIF files results per account).
fn suppression_resource(config: &Config, index: usize, pattern: &str, inventory: &Inventory) -> ResourceRef {
    let file = file_name(Some(config));
    let account = inventory
        .accounts
        .iter()
        .find(|a| pattern.contains(&format!(":{}:", a.account_id)))
        .or(inventory.accounts.first())
        .map(|a| a.account_id.clone())
        .unwrap_or_else(|| "none".to_string());
    ResourceRef {
        arn: format!("edge-audit:config:{file}#suppress[{index}]"),
        id: format!("suppress-{index}"),
        resource_type: "edge-audit/suppression".to_string(),
        name: Some(file),
        region: "global".to_string(),
        account,
    }
}

/// Resource ARN → (check ids, tag value) of every `edge-audit:ignore` tag in the inventory.
pub type IgnoreTags = BTreeMap<String, (Vec<String>, String)>;

/// The `edge-audit:ignore` tags of the inventory.
fn ignore_tags(inventory: &Inventory) -> IgnoreTags {
    let mut out = BTreeMap::new();
    let mut add = |arn: &str, tags: &edge_audit_checks::inventory::Tags| {
        let Some(value) = tags.iter().find(|(k, _)| k.eq_ignore_ascii_case(IGNORE_TAG)).map(|(_, v)| v)
        else {
            return;
        };
        let mut ids = Vec::new();
        for name in value.split(|c: char| c.is_whitespace() || c == ',').filter(|n| !n.is_empty()) {
            match registry::find(name) {
                Some(check) => ids.push(check.meta().id.to_string()),
                None => tracing::warn!("tag {IGNORE_TAG}={value:?} on {arn} names unknown check `{name}`"),
            }
        }
        out.insert(arn.to_string(), (ids, value.clone()));
    };
    for account in &inventory.accounts {
        for d in &account.distributions {
            add(&d.arn, &d.tags);
        }
        for acl in &account.web_acls {
            add(&acl.arn, &acl.tags);
        }
        for api in &account.rest_apis {
            add(&api.arn, &api.tags);
            for stage in &api.stages {
                add(&format!("{}/stages/{}", api.arn, stage.name), &stage.tags);
            }
        }
        for api in &account.http_apis {
            add(&api.arn, &api.tags);
        }
        for sg in &account.security_groups {
            add(&sg.arn, &sg.tags);
        }
        for lb in &account.load_balancers {
            add(&lb.arn, &lb.tags);
        }
        for instance in &account.instances {
            add(&instance.arn, &instance.tags);
        }
        for function in &account.lambda_functions {
            add(&function.arn, &function.tags);
        }
    }
    out
}

/// The tag suppression covering `finding`: a tag on its resource, or on a resource that
/// contains it (an API for its stages, a Lambda function for its versions and aliases).
pub fn tag_suppression(tags: &IgnoreTags, finding: &Finding) -> Option<SuppressedBy> {
    let arn = finding.resource.arn.as_str();
    // The resources that contain this one are prefixes of its ARN, so they are looked up, not
    // searched for: shortest first (the order of the map), the resource itself last.
    // `arn:…:function:name:alias` is a qualified ARN of `arn:…:function:name`.
    let mut covering: Vec<&str> = arn
        .char_indices()
        .filter_map(|(i, c)| match c {
            '/' => Some(&arn[..i]),
            ':' => Some(&arn[..i]).filter(|prefix| is_lambda_function(prefix)),
            _ => None,
        })
        .collect();
    covering.push(arn);
    covering
        .into_iter()
        .filter_map(|tagged| tags.get_key_value(tagged))
        .find(|(_, (ids, _))| ids.contains(&finding.check_id))
        .map(|(tagged, (_, value))| SuppressedBy {
            source: "tag",
            reason: format!("resource tag {IGNORE_TAG}={value}"),
            origin: tagged.clone(),
            expires: None,
        })
}

/// `arn:<partition>:lambda:<region>:<account>:function:<name>` (unqualified).
pub fn is_lambda_function(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    parts.len() == 7 && parts[2] == "lambda" && parts[5] == "function" && !parts[6].contains(':')
}
