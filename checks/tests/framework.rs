//! The catalogue's own invariants: stable unique ids and slugs, complete documentation.

mod support;

use edge_audit_checks::check::REQUIRED_DOC_SECTIONS;
use edge_audit_checks::{registry, CheckOptions};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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
        // Checks run over an inventory read services (their coverage makes them "not
        // evaluated"); drift and policy checks are the binary's and read none.
        assert_eq!(
            meta.services.is_empty(),
            !meta.kind.runs_over_an_inventory(),
            "{}: services {:?} for a {:?} check",
            meta.id,
            meta.services,
            meta.kind
        );
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
    let picked =
        registry::select(&["EA101".into(), "web-acl-unassociated".into()], &[]).expect("known names");
    let ids: Vec<&str> = picked.iter().map(|c| c.meta().id).collect();
    assert_eq!(ids, ["EA101", "EA301"]);
    let skipped = registry::select(&[], &["ea101".into()]).expect("a known name");
    assert_eq!(skipped.len(), registry::all().len() - 1);
    assert!(skipped.iter().all(|c| c.meta().id != "EA101"));
    assert!(registry::select(&["EA999".into()], &[]).is_err());
    assert!(registry::select(&[], &["no-such-check".into()]).is_err());
}

/// Ids, slugs, default severities, kinds and documentation sections are a public contract:
/// changing one is a breaking change, and shows here as a snapshot change to review.
#[test]
fn catalogue_matches_the_public_contract() {
    let catalogue: Vec<serde_json::Value> = registry::all()
        .iter()
        .map(|c| {
            let meta = c.meta();
            let sections: Vec<String> = meta
                .documentation()
                .lines()
                .filter_map(|l| l.strip_prefix("## ").map(str::to_string))
                .collect();
            serde_json::json!({
                "id": meta.id,
                "slug": meta.slug,
                "default_severity": meta.default_severity,
                "kind": meta.kind,
                "sections": sections,
            })
        })
        .collect();
    insta::assert_json_snapshot!("catalogue", catalogue);
}

/// The inventories (and, for probe checks, the `NAME.probes.json` results beside them) in one
/// of a check's fixture folders.
fn cases(dir: &Path) -> Vec<(PathBuf, Option<PathBuf>)> {
    let mut out: Vec<(PathBuf, Option<PathBuf>)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".json") && !name.ends_with(".probes.json")
        })
        .map(|p| {
            let probes = p.with_extension("probes.json");
            let probes = probes.exists().then_some(probes);
            (p, probes)
        })
        .collect();
    out.sort();
    out
}

/// Every check that runs over an inventory has, in `tests/fixtures/checks/<ID>/`, at least one
/// fixture in `fires/` on which it reports (a finding, or "not evaluated" for the check that
/// reports only that) and one in `quiet/` on which it reports nothing: a missing folder or an
/// empty one fails. A fixture may be a file of the check's own or a link to a shared one. Drift
/// and policy checks have none here: they are tested through the binary (`tests/it/drift*.rs`,
/// `tests/it/suppress.rs`).
#[test]
fn every_check_has_a_fixture_that_fires_and_one_that_stays_quiet() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/checks");
    let options = CheckOptions::default();
    for check in registry::all() {
        let meta = check.meta();
        let dir = root.join(meta.id);
        if !meta.kind.runs_over_an_inventory() {
            assert!(!dir.exists(), "{}: a {:?} check has no inventory fixtures", meta.id, meta.kind);
            continue;
        }
        for (folder, must_fire) in [("fires", true), ("quiet", false)] {
            let cases = cases(&dir.join(folder));
            assert!(
                !cases.is_empty(),
                "{}: no fixture in tests/fixtures/checks/{}/{folder}/",
                meta.id,
                meta.id
            );
            for (inventory, probes) in cases {
                assert_eq!(
                    probes.is_some(),
                    meta.requires_probes(),
                    "{}: {} needs probe results beside it exactly when the check judges probes",
                    meta.id,
                    inventory.display()
                );
                let probes = probes.map(|p| support::load_probes_path(&p));
                let outcome = registry::run_with_probes(
                    &support::load_path(&inventory),
                    &[*check],
                    &options,
                    probes.as_deref(),
                );
                let findings = outcome.findings.iter().filter(|f| f.check_id == meta.id).count();
                let not_evaluated = outcome.not_evaluated.iter().filter(|n| n.check_id == meta.id).count();
                if must_fire {
                    assert!(
                        findings + not_evaluated > 0,
                        "{}: {} must make it report",
                        meta.id,
                        inventory.display()
                    );
                } else {
                    assert_eq!(
                        (findings, not_evaluated),
                        (0, 0),
                        "{}: {} must keep it quiet: {:?}",
                        meta.id,
                        inventory.display(),
                        outcome.findings
                    );
                }
            }
        }
    }
}
