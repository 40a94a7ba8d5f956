//! `--format html`: one self-contained file — the perimeter graph (an SVG drawn by
//! [`super::graph::svg`]), the findings table with filters, the not-evaluated list, the
//! compliance table and the suppressed findings. No external asset: the styles and the small
//! filter script are inline, and the page's Content-Security-Policy forbids loading anything.
//!
//! Filters: severity, account and free text (check id, resource, message), as form controls; the
//! same filters can be given in the URL fragment (`report.html#severity=high&q=EA101`), which the
//! browser test uses. A filtered-out row gets the `hidden` attribute.

use super::graph::{svg, xml_escape};
use super::table::{headline, suppression_reason, verdict};
use super::Report;
use edge_audit_checks::Severity;
use std::io::Write;

const STYLE: &str = r#"
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1f2328}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}tr[hidden]{display:none}
.sev-critical{color:#fff;background:#a40e26}.sev-high{color:#fff;background:#cf222e}.sev-medium{background:#fff8c5}
.sev-low{background:#ddf4ff}.sev-info{background:#f6f8fa}
.badge{padding:1px 6px;border-radius:8px;font-size:12px}
#graph{overflow:auto;border:1px solid #d0d7de;padding:8px}
#perimeter .node rect{fill:#fff;stroke-width:2}
#perimeter .node.locked rect{stroke:#1a7f37}#perimeter .node.unverified rect{stroke:#9a6700}
#perimeter .node.reachable rect{stroke:#cf222e;fill:#ffebe9}
#perimeter text{font:12px system-ui,sans-serif}#perimeter .title{font-weight:600}
#perimeter .edge path{fill:none;stroke-width:2}
.legend span{margin-right:16px}.legend i{display:inline-block;width:24px;height:3px;vertical-align:middle;margin-right:4px}
.filters{margin:8px 0}.filters label{margin-right:12px}
"#;

const SCRIPT: &str = r#"
(function () {
  var form = document.getElementById('filters');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr'));
  var order = ['info', 'low', 'medium', 'high', 'critical'];
  function apply() {
    var min = order.indexOf(form.severity.value);
    var account = form.account.value;
    var q = form.q.value.toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = order.indexOf(row.dataset.severity) >= min &&
        (account === '' || row.dataset.account === account) &&
        (q === '' || row.textContent.toLowerCase().indexOf(q) >= 0);
      row.hidden = !ok;
      if (ok) { shown++; }
    });
    document.getElementById('shown').textContent = String(shown);
  }
  function fromHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    if (params.has('severity')) { form.severity.value = params.get('severity'); }
    if (params.has('account')) { form.account.value = params.get('account'); }
    if (params.has('q')) { form.q.value = params.get('q'); }
  }
  form.addEventListener('input', apply);
  window.addEventListener('hashchange', function () { fromHash(); apply(); });
  fromHash();
  apply();
  document.body.dataset.ready = 'true';
})();
"#;

pub fn render(report: &Report) -> Result<String, super::RenderError> {
    super::rendered_text("HTML report", |out| write(report, out))
}

/// Streams the page to `out`, one finding at a time (the same text as [`render`]).
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")?;
    out.write_all(
        b"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         script-src 'unsafe-inline'\">\n",
    )?;
    out.write_all(b"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")?;
    out.write_all(b"<title>edge-audit report</title>\n")?;
    write!(out, "<style>{STYLE}</style>\n</head>\n<body>\n")?;
    out.write_all(b"<h1>edge-audit report</h1>\n")?;
    writeln!(out, "<p id=\"headline\">{}</p>", xml_escape(&headline(report)))?;
    writeln!(out, "<p id=\"verdict\"><strong>{}</strong></p>", xml_escape(&verdict(report)))?;

    out.write_all(b"<h2>Perimeter</h2>\n<p class=\"legend\">")?;
    for v in [
        super::graph::EdgeVerdict::Locked,
        super::graph::EdgeVerdict::CouldNotVerify,
        super::graph::EdgeVerdict::Reachable,
    ] {
        write!(out, "<span><i style=\"background:{}\"></i>{}</span>", v.color(), v.as_str())?;
    }
    out.write_all(b"</p>\n<div id=\"graph\">\n")?;
    match &report.perimeter {
        Some(perimeter) => {
            let ids = super::graph::FindingIds::for_graph(perimeter, report.finding_keys());
            out.write_all(svg(perimeter, &ids).as_bytes())?;
        }
        None => out.write_all(b"<p>The perimeter graph is not available for this report.</p>\n")?,
    }
    out.write_all(b"</div>\n")?;

    // Findings, with filters.
    let count = report.finding_count();
    writeln!(out, "<h2>Findings (<span id=\"shown\">{count}</span> of {count})</h2>")?;
    out.write_all(b"<form id=\"filters\" class=\"filters\" onsubmit=\"return false\">\n")?;
    out.write_all(b"<label>Severity at least <select name=\"severity\">")?;
    for severity in [Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical] {
        write!(out, "<option value=\"{0}\">{0}</option>", severity.as_str())?;
    }
    out.write_all(
        b"</select></label>\n<label>Account <select name=\"account\"><option value=\"\">all</option>",
    )?;
    for a in &report.accounts {
        write!(out, "<option value=\"{0}\">{0}</option>", xml_escape(&a.account_id))?;
    }
    out.write_all(b"</select></label>\n<label>Search <input name=\"q\" type=\"search\"></label>\n</form>\n")?;
    out.write_all(
        b"<table id=\"findings\">\n<thead><tr><th>Severity</th><th>Check</th><th>Resource</th><th>Account / region</th>\
         <th>Finding</th><th>How to fix</th></tr></thead>\n<tbody>\n",
    )?;
    for f in report.each_finding() {
        let f = f?;
        writeln!(
            out,
            "<tr data-severity=\"{sev}\" data-account=\"{account}\" data-check=\"{check}\" data-fingerprint=\"{fp}\">\
             <td><span class=\"badge sev-{sev}\">{sev}</span></td><td><code>{check}</code> {title}</td>\
             <td><code>{resource}</code></td><td>{account} / {region}</td><td>{message}</td><td>{fix}</td></tr>",
            sev = f.severity.as_str(),
            account = xml_escape(&f.resource.account),
            check = xml_escape(&f.check_id),
            fp = xml_escape(&f.fingerprint),
            title = xml_escape(&f.title),
            resource = xml_escape(&f.resource_label()),
            region = xml_escape(&f.resource.region),
            message = xml_escape(&f.message),
            fix = xml_escape(&f.remediation),
        )?;
    }
    out.write_all(b"</tbody>\n</table>\n")?;

    writeln!(out, "<h2>Not evaluated ({})</h2>", report.not_evaluated.len())?;
    if report.not_evaluated.is_empty() {
        out.write_all(b"<p id=\"not-evaluated-none\">Every check that ran was evaluated completely.</p>\n")?;
    } else {
        out.write_all(b"<ul id=\"not-evaluated\">\n")?;
        for n in &report.not_evaluated {
            writeln!(
                out,
                "<li data-check=\"{}\"><code>{}</code> in {} for <code>{}</code>: {}</li>",
                xml_escape(&n.check_id),
                xml_escape(&n.check_id),
                xml_escape(&n.account),
                xml_escape(&n.scope),
                xml_escape(&n.reason)
            )?;
        }
        out.write_all(b"</ul>\n")?;
    }

    if let Some(compliance) = &report.compliance {
        let s = &compliance.summary;
        writeln!(
            out,
            "<h2>Compliance: {} ({} pass, {} fail, {} not evaluated)</h2>",
            xml_escape(compliance.standard),
            s.pass,
            s.fail,
            s.not_evaluated
        )?;
        out.write_all(
            b"<table id=\"compliance\">\n<thead><tr><th>Control</th><th>Title</th><th>Status</th><th>Checks</th>\
             <th>Findings / reason</th></tr></thead>\n<tbody>\n",
        )?;
        for c in &compliance.controls {
            let detail = match c.status {
                super::compliance::ControlVerdict::Fail => c
                    .findings
                    .iter()
                    .map(|f| format!("{} <code>{}</code>", xml_escape(&f.check_id), xml_escape(&f.resource)))
                    .collect::<Vec<_>>()
                    .join("<br>"),
                super::compliance::ControlVerdict::NotEvaluated => xml_escape(&c.reasons.join("; ")),
                super::compliance::ControlVerdict::Pass => String::new(),
            };
            writeln!(
                out,
                "<tr data-status=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{detail}</td></tr>",
                c.status.as_str(),
                xml_escape(c.id),
                xml_escape(c.title),
                c.status.as_str(),
                xml_escape(&c.checks.join(", ")),
            )?;
        }
        out.write_all(b"</tbody>\n</table>\n")?;
    }

    if !report.suppressed.is_empty() {
        write!(out, "<h2>Suppressed ({})</h2>\n<ul id=\"suppressed\">\n", report.suppressed.len())?;
        for s in &report.suppressed {
            writeln!(
                out,
                "<li><code>{}</code> <code>{}</code>: {}</li>",
                xml_escape(&s.finding.check_id),
                xml_escape(&s.finding.resource_label()),
                xml_escape(&suppression_reason(s))
            )?;
        }
        out.write_all(b"</ul>\n")?;
    }
    write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n")
}
