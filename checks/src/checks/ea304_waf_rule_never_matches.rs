use crate::check::{Audit, Context, Output};
use crate::cidr::{self, Cidr};
use crate::declare_check;
use crate::finding::Finding;
use crate::index::Index;
use crate::inventory::Statement;
use crate::resource::AsResource;
use std::collections::BTreeMap;

declare_check! {
    /// ## What it finds
    ///
    /// A web ACL rule whose statement can never be true:
    /// - an AND of IP set conditions whose address sets have no address in common (computed
    ///   with proper CIDR overlap, IPv4 and IPv6 apart; sets read from different forwarded-IP
    ///   headers are not compared);
    /// - a NOT of a statement that matches every request (for example a size constraint
    ///   `>= 0`, or an OR of `0.0.0.0/0` and `::/0`).
    ///
    /// A rule on a single empty IP set is EA303's.
    ///
    /// ## Why it matters
    ///
    /// A request comes from one address: it cannot be in two disjoint sets at once. The
    /// console's "Add condition" builds an AND, so adding a second IP set to an allow rule
    /// silently turns "office or client" into "nobody". The rule's protection (or exception)
    /// does not exist.
    ///
    /// ## Example
    ///
    /// Rule `allow-office-and-client`: AND(IP set office 203.0.113.10/32, 198.51.100.0/24; IP set
    /// client 192.0.2.44/32).
    ///
    /// ## How to fix
    ///
    /// Use one rule per IP set, an OR statement, or a single IP set holding all addresses.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-and.html>
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-ipset-match.html>
    WafRuleNeverMatches {
        id: "EA304",
        slug: "waf-rule-never-matches",
        title: "WAF rule that can never match",
        severity: Medium,
        services: [WafCloudfront, WafRegional],
    }
}

/// Why a statement can never match, if it cannot. An empty IP set alone is not reported here.
fn never_matches(statement: &Statement, index: &Index<'_>) -> Option<String> {
    match statement {
        Statement::And { statements } => {
            if let Some(reason) = statements.iter().find_map(|s| never_matches(s, index)) {
                return Some(reason);
            }
            disjoint_ip_sets(statements, index)
        }
        Statement::Or { statements } if !statements.is_empty() => {
            let reasons: Option<Vec<String>> = statements.iter().map(|s| never_matches(s, index)).collect();
            reasons.map(|r| r.join("; and "))
        }
        Statement::Not { statement } if matches_all(statement, index) => {
            Some("it negates a condition that every request meets".to_string())
        }
        _ => None,
    }
}

/// The IP set references directly under an AND, grouped by the address they test, whose
/// addresses have no common element.
fn disjoint_ip_sets(statements: &[Statement], index: &Index<'_>) -> Option<String> {
    let mut groups: BTreeMap<Option<&str>, Vec<&str>> = BTreeMap::new();
    for statement in statements {
        if let Statement::IpSetReference { arn, forwarded_ip_header } = statement {
            groups.entry(forwarded_ip_header.as_deref()).or_default().push(arn);
        }
    }
    for arns in groups.values().filter(|a| a.len() >= 2) {
        let mut names = Vec::new();
        let mut common: Option<Vec<Cidr>> = None;
        for arn in arns {
            // An unknown set or an unparsable address: no verdict rather than a wrong one.
            let set = index.ip_sets.get(arn)?;
            let cidrs = cidr::parse_all(&set.addresses).ok()?;
            names.push(set.name.as_str());
            common = Some(match common {
                None => cidrs,
                Some(previous) => cidr::intersect(&previous, &cidrs),
            });
        }
        if common.is_some_and(|c| c.is_empty()) {
            return Some(format!(
                "it requires the source address to be in IP sets {} at once, and they have no address in common",
                names.join(" and ")
            ));
        }
    }
    None
}

/// Whether a statement matches every request.
fn matches_all(statement: &Statement, index: &Index<'_>) -> bool {
    match statement {
        Statement::SizeConstraint { comparison, size, .. } => {
            (comparison == "GE" && *size <= 0) || (comparison == "GT" && *size < 0)
        }
        Statement::And { statements } => {
            !statements.is_empty() && statements.iter().all(|s| matches_all(s, index))
        }
        Statement::Or { statements } => {
            statements.iter().any(|s| matches_all(s, index)) || covers_every_address(statements, index)
        }
        Statement::Not { statement } => never_matches(statement, index).is_some(),
        _ => false,
    }
}

/// An OR of IP sets (on the source address) holding both 0.0.0.0/0 and ::/0.
fn covers_every_address(statements: &[Statement], index: &Index<'_>) -> bool {
    let (mut v4, mut v6) = (false, false);
    for statement in statements {
        let Statement::IpSetReference { arn, forwarded_ip_header: None } = statement else { continue };
        let Some(set) = index.ip_sets.get(arn.as_str()) else { continue };
        for cidr in set.addresses.iter().filter_map(|a| Cidr::parse(a)).filter(Cidr::is_everything) {
            if cidr.v6 {
                v6 = true;
            } else {
                v4 = true;
            }
        }
    }
    v4 && v6
}

impl Audit for WafRuleNeverMatches {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for acl in &ctx.account.web_acls {
            for rule in &acl.rules {
                let Some(reason) = never_matches(&rule.statement, ctx.index) else { continue };
                out.push(
                    Finding::new(
                        &Self::META,
                        acl.resource(ctx.account_id()),
                        format!("Web ACL {} rule {} can never match: {reason}", acl.name, rule.name),
                    )
                    .detail(&rule.name)
                    .evidence("rule", &rule.name)
                    .evidence("action", rule.action)
                    .evidence("reason", reason),
                );
            }
        }
    }
}
