//! The picture of the perimeter: distributions → origins → backends, every edge labelled by its
//! lock and coloured by verdict, for the Markdown report (a Mermaid flowchart, which GitHub
//! renders) and the HTML report (an SVG drawn here).
//!
//! The locks are *not* judged here. [`Perimeter::build`] is the one adapter onto
//! `edge_audit_checks::perimeter` (`locks`, `Exposure::of`, `Sent::mechanisms`): the checks'
//! own judgement, turned into plain data. Keep every use of the perimeter module in that function.
//!
//! Large accounts are summarised so the diagram stays readable: beyond [`MAX_DETAILED_EDGES`]
//! edges, each distribution becomes one node with the count of its origins per verdict; beyond
//! [`MAX_DISTRIBUTIONS`] distributions (most exposed first), the rest are one "… more" node.

use super::FindingKey;
use edge_audit_checks::model::{AccountModel, Model};
use edge_audit_checks::perimeter::Exposure;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

/// Edges (distribution → origin and origin → backend) drawn one by one; above this, each
/// distribution is summarised in one node.
pub const MAX_DETAILED_EDGES: usize = 60;
/// Distributions drawn per report; the rest are counted in one node.
pub const MAX_DISTRIBUTIONS: usize = 40;

/// How one edge of the perimeter stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeVerdict {
    /// The backend refuses requests without what only the distribution supplies.
    Locked,
    /// edge-audit cannot tell: the backend is not in the inventory, was not read completely, or
    /// its own checks are invisible (S3, custom origins).
    CouldNotVerify,
    /// The backend answers requests that go around CloudFront.
    Reachable,
}

impl EdgeVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Locked => "locked",
            Self::CouldNotVerify => "could not verify",
            Self::Reachable => "reachable around CloudFront",
        }
    }

    /// CSS / Mermaid class name.
    pub fn class(self) -> &'static str {
        match self {
            Self::Locked => "locked",
            Self::CouldNotVerify => "unverified",
            Self::Reachable => "reachable",
        }
    }

    pub fn color(self) -> &'static str {
        match self {
            Self::Locked => "#1a7f37",
            Self::CouldNotVerify => "#9a6700",
            Self::Reachable => "#cf222e",
        }
    }
}

/// The perimeter of every account of an inventory, as the diagram draws it: the distributions
/// it can draw (at most [`MAX_DISTRIBUTIONS`], the most exposed, in inventory order) and the
/// counts of the rest, so that a large organisation's graph stays small in memory too.
#[derive(Debug, Clone, Default)]
pub struct Perimeter {
    /// The distributions kept for the diagram, in inventory order.
    distributions: Vec<DistributionNode>,
    /// Every distribution added, kept or not.
    total_distributions: usize,
    /// Every edge (distribution → origin, origin → backend) added, kept or not.
    total_edges: usize,
}

#[derive(Debug, Clone)]
pub struct DistributionNode {
    /// Its place among every distribution added (the order they are drawn in on a tie).
    position: usize,
    pub account: String,
    pub id: String,
    pub arn: String,
    pub domain_name: String,
    pub origins: Vec<OriginNode>,
}

#[derive(Debug, Clone)]
pub struct OriginNode {
    pub id: String,
    pub domain_name: String,
    /// `API Gateway`, `S3 bucket` …
    pub kind: &'static str,
    /// What the distribution sends that only it can send (`secret-header`, `origin-access-control`).
    pub sent: Vec<&'static str>,
    /// The worst verdict of its backends; could-not-verify when it has none that edge-audit sees.
    pub verdict: EdgeVerdict,
    /// Why it could not be verified, when it has no backend.
    pub note: Option<String>,
    pub backends: Vec<BackendNode>,
}

#[derive(Debug, Clone)]
pub struct BackendNode {
    pub label: String,
    pub arn: String,
    pub verdict: EdgeVerdict,
    /// The guards that lock it (`waf-header-rule`, `resource-policy` …), when locked.
    pub guards: Vec<&'static str>,
}

impl Perimeter {
    /// The adapter: the perimeter module's lock of every (distribution, origin), as data.
    pub fn build(model: &Model<'_>) -> Self {
        let mut perimeter = Self::default();
        for judged in &model.accounts {
            perimeter.add_account(judged);
        }
        perimeter
    }

    /// Adds one account's locks (a scan that judges one account at a time adds each in turn).
    pub fn add_account(&mut self, judged: &AccountModel<'_>) {
        let account = judged.account;
        // This account's distributions by id: a lock finds its node without a search.
        let mut nodes: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let first = self.distributions.len();
        for lock in &judged.perimeter.locks {
            let backends: Vec<BackendNode> = lock
                .targets
                .iter()
                .map(|t| {
                    let (verdict, guards) = match &t.exposure {
                        Exposure::Locked(guards) => (EdgeVerdict::Locked, guards.clone()),
                        Exposure::Unknown(_) => (EdgeVerdict::CouldNotVerify, Vec::new()),
                        Exposure::Internet(_) => (EdgeVerdict::Reachable, Vec::new()),
                    };
                    BackendNode { label: t.label.clone(), arn: t.arn.clone(), verdict, guards }
                })
                .collect();
            let verdict = backends.iter().map(|b| b.verdict).max().unwrap_or(EdgeVerdict::CouldNotVerify);
            let note = match (&lock.unresolved, backends.is_empty()) {
                (Some(unresolved), _) => Some(unresolved.why().to_owned()),
                (None, true) => {
                    Some(format!("edge-audit cannot see the {}'s own checks", lock.origin.kind.label()))
                }
                (None, false) => None,
            };
            let origin = OriginNode {
                // A tenant's filled-in origin shares the template's id: name the tenant.
                id: match lock.tenant {
                    Some(tenant) => format!("{} (tenant {})", lock.origin.id, tenant.name),
                    None => lock.origin.id.clone(),
                },
                domain_name: lock.origin.domain_name.clone(),
                kind: lock.origin.kind.label(),
                sent: lock.sent.mechanisms(),
                verdict,
                note,
                backends,
            };
            match nodes.get(lock.distribution.id.as_str()).and_then(|&at| self.distributions.get_mut(at)) {
                Some(d) => d.origins.push(origin),
                None => {
                    nodes.insert(&lock.distribution.id, self.distributions.len());
                    self.distributions.push(DistributionNode {
                        position: self.total_distributions + nodes.len() - 1,
                        account: account.account_id.clone(),
                        id: lock.distribution.id.clone(),
                        arn: lock.distribution.arn.clone(),
                        domain_name: lock.distribution.domain_name.clone(),
                        origins: vec![origin],
                    });
                }
            }
        }
        self.total_distributions += nodes.len();
        self.total_edges += self.distributions[first..]
            .iter()
            .flat_map(|d| &d.origins)
            .map(|o| 1 + o.backends.len())
            .sum::<usize>();
        // Only what the diagram can draw stays: the most exposed, the earlier on a tie.
        if self.distributions.len() > MAX_DISTRIBUTIONS {
            let mut ranked: Vec<(std::cmp::Reverse<EdgeVerdict>, usize)> =
                self.distributions.iter().map(|d| (std::cmp::Reverse(d.worst()), d.position)).collect();
            ranked.sort_unstable();
            let kept: BTreeSet<usize> = ranked.into_iter().take(MAX_DISTRIBUTIONS).map(|(_, p)| p).collect();
            self.distributions.retain(|d| kept.contains(&d.position));
        }
    }

    /// Edges a detailed diagram draws.
    pub fn edge_count(&self) -> usize {
        self.total_edges
    }

    /// Whether the diagram is summarised per distribution.
    pub fn is_summarised(&self) -> bool {
        self.edge_count() > MAX_DETAILED_EDGES
    }

    /// Whether the inventory has no distribution.
    pub fn is_empty(&self) -> bool {
        self.total_distributions == 0
    }

    /// The distributions drawn, most exposed first when they are more than the cap, and how many
    /// are left out.
    fn drawn(&self) -> (Vec<&DistributionNode>, usize) {
        let mut drawn: Vec<&DistributionNode> = self.distributions.iter().collect();
        if self.total_distributions > MAX_DISTRIBUTIONS {
            drawn.sort_by_key(|d| (std::cmp::Reverse(d.worst()), d.position));
            return (drawn, self.total_distributions - self.distributions.len());
        }
        (drawn, 0)
    }
}

impl DistributionNode {
    pub fn worst(&self) -> EdgeVerdict {
        self.origins.iter().map(|o| o.verdict).max().unwrap_or(EdgeVerdict::CouldNotVerify)
    }

    fn count(&self, verdict: EdgeVerdict) -> usize {
        self.origins.iter().filter(|o| o.verdict == verdict).count()
    }
}

/// The check ids of a report's findings by resource ARN, for the graph's labels: built once from
/// the findings' keys (a streamed scan's are not read back), then looked up per node.
#[derive(Debug, Default)]
pub struct FindingIds<'a>(BTreeMap<&'a str, BTreeSet<&'a str>>);

impl<'a> FindingIds<'a> {
    /// The ids of the findings the diagram of `perimeter` can name: those about a node it may
    /// draw, beneath one or above one. Only those are kept (a large report's other findings
    /// never are).
    pub fn for_graph(perimeter: &Perimeter, keys: impl Iterator<Item = FindingKey<'a>>) -> Self {
        let nodes: BTreeSet<&str> = perimeter
            .distributions
            .iter()
            .flat_map(|d| {
                std::iter::once(d.arn.as_str())
                    .chain(d.origins.iter().flat_map(|o| o.backends.iter().map(|b| b.arn.as_str())))
            })
            .collect();
        // A node and every resource it is part of (the node cut before each of its slashes).
        let mut above_or_at: BTreeSet<&str> = nodes.clone();
        for node in &nodes {
            above_or_at.extend(node.match_indices('/').map(|(at, _)| &node[..at]));
        }
        let beneath_a_node = |arn: &str| arn.match_indices('/').any(|(at, _)| nodes.contains(&arn[..at]));
        let mut by_arn: BTreeMap<&'a str, BTreeSet<&'a str>> = BTreeMap::new();
        for key in keys.filter(|k| above_or_at.contains(k.arn) || beneath_a_node(k.arn)) {
            by_arn.entry(key.arn).or_default().insert(key.check_id);
        }
        Self(by_arn)
    }

    /// The check ids of the findings about `arn`, a resource beneath it (`arn/…`), or the
    /// resource it is part of (a REST API for its stage), sorted, each once.
    pub fn of(&self, arn: &str) -> Vec<String> {
        let mut ids: BTreeSet<&str> = BTreeSet::new();
        if let Some(found) = self.0.get(arn) {
            ids.extend(found);
        }
        // Beneath it: every ARN that starts with `arn/` sorts after `arn/` and before the first
        // ARN that does not.
        let below = format!("{arn}/");
        let beneath = self
            .0
            .range::<str, _>((Bound::Included(below.as_str()), Bound::Unbounded))
            .take_while(|(other, _)| other.starts_with(&below));
        for (_, found) in beneath {
            ids.extend(found);
        }
        // What it is part of: `arn` cut before each of its slashes.
        for (at, _) in arn.match_indices('/') {
            if let Some(found) = self.0.get(&arn[..at]) {
                ids.extend(found);
            }
        }
        ids.into_iter().map(str::to_owned).collect()
    }
}

/// Text made safe inside a quoted Mermaid label: Mermaid's entity codes for the characters its
/// grammar or HTML labels would read (`#` first, as the codes start with it).
pub fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn lock_label(sent: &[&str]) -> String {
    if sent.is_empty() {
        "sends nothing only CloudFront can".to_string()
    } else {
        sent.join(" + ")
    }
}

/// The Mermaid flowchart of `perimeter` (without the code fence).
pub fn mermaid(perimeter: &Perimeter, findings: &FindingIds<'_>) -> String {
    let mut out = String::from("flowchart LR\n");
    for verdict in [EdgeVerdict::Locked, EdgeVerdict::CouldNotVerify, EdgeVerdict::Reachable] {
        out.push_str(&format!(
            "  classDef {} stroke:{},stroke-width:2px\n",
            verdict.class(),
            verdict.color()
        ));
    }
    if perimeter.is_empty() {
        out.push_str("  none[\"no CloudFront distribution in the inventory\"]\n");
        return out;
    }
    // (link index, verdict) for linkStyle: Mermaid colours edges by their order of declaration.
    let mut links: Vec<EdgeVerdict> = Vec::new();
    let mut edges = String::new();
    let (drawn, left_out) = perimeter.drawn();
    let summarised = perimeter.is_summarised();
    for (di, d) in drawn.iter().enumerate() {
        let dnode = format!("d{di}");
        let mut label = format!("{} · {}", d.id, d.domain_name);
        let ids = findings.of(&d.arn);
        if !ids.is_empty() {
            label.push_str(&format!("<br/>{}", ids.join(" ")));
        }
        out.push_str(&format!("  {dnode}[\"{}\"]\n", mermaid_text_keep_br(&label)));
        out.push_str(&format!("  class {dnode} {}\n", d.worst().class()));
        if summarised {
            let snode = format!("{dnode}s");
            let summary = format!(
                "{} origins: {} reachable around CloudFront, {} could not verify, {} locked",
                d.origins.len(),
                d.count(EdgeVerdict::Reachable),
                d.count(EdgeVerdict::CouldNotVerify),
                d.count(EdgeVerdict::Locked)
            );
            out.push_str(&format!("  {snode}[\"{}\"]\n", mermaid_text(&summary)));
            out.push_str(&format!("  class {snode} {}\n", d.worst().class()));
            edges.push_str(&format!("  {dnode} -->|\"{}\"| {snode}\n", mermaid_text(d.worst().as_str())));
            links.push(d.worst());
            continue;
        }
        for (oi, o) in d.origins.iter().enumerate() {
            let onode = format!("{dnode}o{oi}");
            let mut label = format!("{}: {}<br/>{}", o.kind, o.id, o.domain_name);
            if let Some(note) = &o.note {
                label.push_str(&format!("<br/>{}", mermaid_text(note)));
            }
            out.push_str(&format!("  {onode}[\"{}\"]\n", mermaid_text_keep_br(&label)));
            out.push_str(&format!("  class {onode} {}\n", o.verdict.class()));
            edges.push_str(&format!(
                "  {dnode} -->|\"{}\"| {onode}\n",
                mermaid_text(&format!("{} · {}", lock_label(&o.sent), o.verdict.as_str()))
            ));
            links.push(o.verdict);
            for (bi, b) in o.backends.iter().enumerate() {
                let bnode = format!("{onode}b{bi}");
                let mut label = b.label.clone();
                let ids = findings.of(&b.arn);
                if !ids.is_empty() {
                    label.push_str(&format!("<br/>{}", ids.join(" ")));
                }
                out.push_str(&format!("  {bnode}[\"{}\"]\n", mermaid_text_keep_br(&label)));
                out.push_str(&format!("  class {bnode} {}\n", b.verdict.class()));
                let edge_label = match b.verdict {
                    EdgeVerdict::Locked => format!("locked: {}", b.guards.join(" + ")),
                    other => other.as_str().to_string(),
                };
                edges.push_str(&format!("  {onode} -->|\"{}\"| {bnode}\n", mermaid_text(&edge_label)));
                links.push(b.verdict);
            }
        }
    }
    if left_out > 0 {
        out.push_str(&format!(
            "  more[\"… and {left_out} more distributions (see the findings below)\"]\n  class more unverified\n"
        ));
    }
    out.push_str(&edges);
    for (i, verdict) in links.iter().enumerate() {
        out.push_str(&format!("  linkStyle {i} stroke:{},stroke-width:2px\n", verdict.color()));
    }
    out
}

/// [`mermaid_text`] of a label whose only markup is our own `<br/>` line breaks.
fn mermaid_text_keep_br(label: &str) -> String {
    label.split("<br/>").map(mermaid_text).collect::<Vec<_>>().join("<br/>")
}

/// Text made safe in HTML and SVG.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// The same graph as an SVG (no script, no external reference): three columns, distributions,
/// origins and backends, with coloured, labelled edges.
pub fn svg(perimeter: &Perimeter, findings: &FindingIds<'_>) -> String {
    const COLUMN: [f64; 3] = [10.0, 390.0, 770.0];
    const BOX_W: f64 = 330.0;
    const BOX_H: f64 = 46.0;
    const GAP: f64 = 14.0;
    let (drawn, left_out) = perimeter.drawn();
    let summarised = perimeter.is_summarised();
    let mut boxes = String::new();
    let mut lines = String::new();
    // Rows: a distribution starts at the first free row; each origin takes a row, and as many
    // as its backends need.
    let mut next_row = 0usize;
    let y_of = |row: usize| 10.0 + row as f64 * (BOX_H + GAP);
    let node = |out: &mut String, x: f64, y: f64, class: &str, title: &str, sub: &str, kind: &str| {
        out.push_str(&format!(
            "<g class=\"node {kind} {class}\"><rect x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"6\"/>\
             <text x=\"{}\" y=\"{}\" class=\"title\">{}</text><text x=\"{}\" y=\"{}\" class=\"sub\">{}</text></g>\n",
            x + 8.0,
            y + 19.0,
            xml_escape(&clip(title, 48)),
            x + 8.0,
            y + 37.0,
            xml_escape(&clip(sub, 54)),
        ));
    };
    let edge = |out: &mut String, from: (f64, f64), to: (f64, f64), verdict: EdgeVerdict, label: &str| {
        let (x1, y1) = (from.0 + BOX_W, from.1 + BOX_H / 2.0);
        let (x2, y2) = (to.0, to.1 + BOX_H / 2.0);
        out.push_str(&format!(
            "<g class=\"edge {}\" data-verdict=\"{}\"><path d=\"M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}\" stroke=\"{}\"/>\
             <title>{}</title></g>\n",
            verdict.class(),
            verdict.class(),
            x1 + 25.0,
            x2 - 25.0,
            verdict.color(),
            xml_escape(label)
        ));
    };
    for d in &drawn {
        let dpos = (COLUMN[0], y_of(next_row));
        let ids = findings.of(&d.arn).join(" ");
        let title = format!("{} · {}", d.id, d.domain_name);
        node(&mut boxes, dpos.0, dpos.1, d.worst().class(), &title, &ids, "distribution");
        if summarised {
            let summary = format!(
                "{} reachable, {} could not verify, {} locked",
                d.count(EdgeVerdict::Reachable),
                d.count(EdgeVerdict::CouldNotVerify),
                d.count(EdgeVerdict::Locked)
            );
            let title = format!("{} origins", d.origins.len());
            node(&mut boxes, COLUMN[1], dpos.1, d.worst().class(), &title, &summary, "origin");
            edge(&mut lines, dpos, (COLUMN[1], dpos.1), d.worst(), d.worst().as_str());
            next_row += 1;
            continue;
        }
        let mut row = next_row;
        for o in &d.origins {
            let opos = (COLUMN[1], y_of(row));
            // The lock is the edge's label; the SVG has no room between the columns, so the
            // origin box carries it (and the edge's tooltip the whole label).
            let sub = match &o.note {
                Some(note) => format!("{} · {note}", lock_label(&o.sent)),
                None => format!("{} · {}", lock_label(&o.sent), o.domain_name),
            };
            let title = format!("{}: {}", o.kind, o.id);
            node(&mut boxes, opos.0, opos.1, o.verdict.class(), &title, &sub, "origin");
            let label = format!("{} · {}", lock_label(&o.sent), o.verdict.as_str());
            edge(&mut lines, dpos, opos, o.verdict, &label);
            for (bi, b) in o.backends.iter().enumerate() {
                let bpos = (COLUMN[2], y_of(row + bi));
                let ids = findings.of(&b.arn).join(" ");
                node(&mut boxes, bpos.0, bpos.1, b.verdict.class(), &b.label, &ids, "backend");
                let label = match b.verdict {
                    EdgeVerdict::Locked => format!("locked: {}", b.guards.join(" + ")),
                    other => other.as_str().to_string(),
                };
                edge(&mut lines, opos, bpos, b.verdict, &label);
            }
            row += o.backends.len().max(1);
        }
        next_row = row.max(next_row + 1);
    }
    let mut rows = next_row;
    if left_out > 0 {
        node(
            &mut boxes,
            COLUMN[0],
            y_of(rows),
            EdgeVerdict::CouldNotVerify.class(),
            &format!("… and {left_out} more distributions"),
            "see the findings table",
            "distribution",
        );
        rows += 1;
    }
    if drawn.is_empty() {
        node(&mut boxes, COLUMN[0], y_of(0), "unverified", "no CloudFront distribution", "", "distribution");
        rows = 1;
    }
    let height = y_of(rows) + 10.0;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"perimeter\" role=\"img\" aria-label=\"perimeter graph\" \
         viewBox=\"0 0 1110 {height}\" width=\"1110\" height=\"{height}\">\n{lines}{boxes}</svg>\n"
    )
}

fn clip(text: &str, max: usize) -> String {
    super::text::truncate(text, max)
}
