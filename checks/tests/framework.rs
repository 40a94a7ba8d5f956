//! The catalogue's own invariants: stable unique ids and slugs, complete documentation.

mod support;

use edge_audit_checks::check::REQUIRED_DOC_SECTIONS;
use edge_audit_checks::registry;
use std::collections::BTreeSet;

#[test]
fn ids_and_slugs_are_unique_and_well_formed() {
    let mut ids = BTreeSet::new();
    let mut slugs = BTreeSet::new();
    for check in registry::all() {
        let meta = check.meta();
        assert!(ids.insert(meta.id), "duplicate check id {}", meta.id);
        assert!(slugs.insert(meta.slug), "duplicate slug {}", meta.slug);
        assert!(
            meta.id.len() == 5
                && meta.id.starts_with("EA")
                && meta.id[2..].chars().all(|c| c.is_ascii_digit()),
            "id {} is not EAnnn",
            meta.id
        );
        assert!(
            !meta.slug.is_empty()
                && meta.slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !meta.slug.starts_with('-')
                && !meta.slug.ends_with('-'),
            "slug {} is not kebab-case",
            meta.slug
        );
        assert!(!meta.title.is_empty());
        assert!(!meta.services.is_empty(), "{} declares no services", meta.id);
    }
    let listed: Vec<&str> = registry::all().iter().map(|c| c.meta().id).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "checks::ALL must be in id order");
}

#[test]
fn every_check_documents_every_section() {
    for check in registry::all() {
        let meta = check.meta();
        let doc = meta.documentation();
        let mut last = 0;
        for section in REQUIRED_DOC_SECTIONS {
            let body = meta.doc_section(section);
            assert!(body.is_some(), "{} lacks a non-empty `## {section}` section", meta.id);
            let at = doc.find(&format!("## {section}")).unwrap_or(0);
            assert!(at >= last, "{}: `## {section}` is out of order", meta.id);
            last = at;
        }
        let references = meta.doc_section("References").unwrap_or_default();
        assert!(references.contains("https://"), "{}: References must link to documentation", meta.id);
        assert!(!meta.remediation().is_empty());
    }
}

#[test]
fn selection_accepts_ids_and_slugs_and_rejects_unknown_names() {
    let picked = registry::select(&["EA101".into(), "web-acl-unassociated".into()], &[]).unwrap_or_default();
    let ids: Vec<&str> = picked.iter().map(|c| c.meta().id).collect();
    assert_eq!(ids, ["EA101", "EA301"]);
    let skipped = registry::select(&[], &["ea101".into()]).unwrap_or_default();
    assert!(skipped.iter().all(|c| c.meta().id != "EA101"));
    assert!(registry::select(&["EA999".into()], &[]).is_err());
    assert!(registry::select(&[], &["no-such-check".into()]).is_err());
}

#[test]
fn catalogue_matches_the_public_contract() {
    // Ids, slugs and default severities are a public contract: changing one is a breaking change.
    let expected = [
        ("EA101", "cloudfront-no-web-acl", "high"),
        ("EA102", "cloudfront-viewer-allows-http", "medium"),
        ("EA103", "cloudfront-origin-weak-transport", "medium"),
        ("EA104", "cloudfront-api-behavior-caches", "medium"),
        ("EA105", "cloudfront-apigw-origin-gets-host-header", "low"),
        ("EA106", "origin-not-locked-to-cloudfront", "high"),
        ("EA107", "origin-secret-weak", "medium"),
        ("EA108", "origin-secret-reused", "low"),
        ("EA110", "entry-web-acl-missing-managed-rules", "medium"),
        ("EA111", "entry-web-acl-no-rate-limit", "medium"),
        ("EA112", "no-shield-advanced", "info"),
        ("EA113", "lambda-url-origin-without-oac", "high"),
        ("EA201", "apigw-edge-optimized-behind-cloudfront", "medium"),
        ("EA202", "api-reachable-around-cloudfront", "high"),
        ("EA203", "apigw-stage-no-web-acl", "medium"),
        ("EA204", "apigw-open-methods", "info"),
        ("EA205", "apigw-api-key-without-usage-plan", "medium"),
        ("EA206", "apigw-api-key-source-mismatch", "medium"),
        ("EA207", "apigw-no-throttling", "low"),
        ("EA208", "apigw-origin-path-mismatch", "medium"),
        ("EA301", "web-acl-unassociated", "low"),
        ("EA302", "web-acl-does-nothing", "medium"),
        ("EA303", "waf-rule-on-empty-ip-set", "medium"),
        ("EA304", "waf-rule-never-matches", "medium"),
        ("EA305", "origin-header-mismatch", "high"),
        ("EA306", "waf-rules-count-only", "low"),
        ("EA307", "web-acl-logging-disabled", "low"),
        ("EA401", "origin-sg-open-to-internet", "high"),
        ("EA402", "admin-port-open-to-internet", "high"),
        ("EA403", "backend-not-restricted-to-load-balancer", "medium"),
        ("EA404", "alb-origin-no-header-rule", "high"),
        ("EA405", "origin-prefix-list-only", "medium"),
        ("EA406", "alb-origin-no-web-acl", "low"),
        ("EA501", "lambda-url-public", "high"),
        ("EA601", "execute-api-reachable-directly", "critical"),
        ("EA602", "alb-reachable-directly", "critical"),
        ("EA603", "lambda-url-reachable-directly", "critical"),
        ("EA604", "custom-origin-reachable-directly", "high"),
        ("EA605", "probe-inconclusive", "info"),
        ("EA606", "cloudfront-path-refused", "medium"),
        ("EA701", "perimeter-weakened", "high"),
        ("EA702", "perimeter-changed", "info"),
        ("EA902", "suppression-expired", "low"),
        ("EA903", "suppression-unused", "info"),
    ];
    let actual: Vec<(&str, &str, String)> = registry::all()
        .iter()
        .map(|c| (c.meta().id, c.meta().slug, c.meta().default_severity.to_string()))
        .collect();
    let expected: Vec<(&str, &str, String)> =
        expected.iter().map(|(i, s, v)| (*i, *s, v.to_string())).collect();
    assert_eq!(actual, expected);
}
