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

pub fn render(report: &Report) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         script-src 'unsafe-inline'\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>edge-audit report</title>\n");
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    out.push_str("<h1>edge-audit report</h1>\n");
    out.push_str(&format!("<p id=\"headline\">{}</p>\n", xml_escape(&headline(report))));
    out.push_str(&format!("<p id=\"verdict\"><strong>{}</strong></p>\n", xml_escape(&verdict(report))));

    out.push_str("<h2>Perimeter</h2>\n<p class=\"legend\">");
    for v in [
        super::graph::EdgeVerdict::Locked,
        super::graph::EdgeVerdict::CouldNotVerify,
        super::graph::EdgeVerdict::Reachable,
    ] {
        out.push_str(&format!("<span><i style=\"background:{}\"></i>{}</span>", v.color(), v.as_str()));
    }
    out.push_str("</p>\n<div id=\"graph\">\n");
    match &report.perimeter {
        Some(perimeter) => out.push_str(&svg(perimeter, &report.findings)),
        None => out.push_str("<p>The perimeter graph is not available for this report.</p>\n"),
    }
    out.push_str("</div>\n");

    // Findings, with filters.
    out.push_str(&format!(
        "<h2>Findings (<span id=\"shown\">{}</span> of {})</h2>\n",
        report.findings.len(),
        report.findings.len()
    ));
    out.push_str("<form id=\"filters\" class=\"filters\" onsubmit=\"return false\">\n");
    out.push_str("<label>Severity at least <select name=\"severity\">");
    for severity in [Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical] {
        out.push_str(&format!("<option value=\"{0}\">{0}</option>", severity.as_str()));
    }
    out.push_str(
        "</select></label>\n<label>Account <select name=\"account\"><option value=\"\">all</option>",
    );
    for a in &report.accounts {
        out.push_str(&format!("<option value=\"{0}\">{0}</option>", xml_escape(&a.account_id)));
    }
    out.push_str("</select></label>\n<label>Search <input name=\"q\" type=\"search\"></label>\n</form>\n");
    out.push_str(
        "<table id=\"findings\">\n<thead><tr><th>Severity</th><th>Check</th><th>Resource</th><th>Account / region</th>\
         <th>Finding</th><th>How to fix</th></tr></thead>\n<tbody>\n",
    );
    for f in &report.findings {
        out.push_str(&format!(
            "<tr data-severity=\"{sev}\" data-account=\"{account}\" data-check=\"{check}\" data-fingerprint=\"{fp}\">\
             <td><span class=\"badge sev-{sev}\">{sev}</span></td><td><code>{check}</code> {title}</td>\
             <td><code>{resource}</code></td><td>{account} / {region}</td><td>{message}</td><td>{fix}</td></tr>\n",
            sev = f.severity.as_str(),
            account = xml_escape(&f.resource.account),
            check = xml_escape(&f.check_id),
            fp = xml_escape(&f.fingerprint),
            title = xml_escape(&f.title),
            resource = xml_escape(&f.resource_label()),
            region = xml_escape(&f.resource.region),
            message = xml_escape(&f.message),
            fix = xml_escape(&f.remediation),
        ));
    }
    out.push_str("</tbody>\n</table>\n");

    out.push_str(&format!("<h2>Not evaluated ({})</h2>\n", report.not_evaluated.len()));
    if report.not_evaluated.is_empty() {
        out.push_str("<p id=\"not-evaluated-none\">Every check that ran was evaluated completely.</p>\n");
    } else {
        out.push_str("<ul id=\"not-evaluated\">\n");
        for n in &report.not_evaluated {
            out.push_str(&format!(
                "<li data-check=\"{}\"><code>{}</code> in {} for <code>{}</code>: {}</li>\n",
                xml_escape(&n.check_id),
                xml_escape(&n.check_id),
                xml_escape(&n.account),
                xml_escape(&n.scope),
                xml_escape(&n.reason)
            ));
        }
        out.push_str("</ul>\n");
    }

    if let Some(compliance) = &report.compliance {
        let s = &compliance.summary;
        out.push_str(&format!(
            "<h2>Compliance: {} ({} pass, {} fail, {} not evaluated)</h2>\n",
            xml_escape(compliance.standard),
            s.pass,
            s.fail,
            s.not_evaluated
        ));
        out.push_str(
            "<table id=\"compliance\">\n<thead><tr><th>Control</th><th>Title</th><th>Status</th><th>Checks</th>\
             <th>Findings / reason</th></tr></thead>\n<tbody>\n",
        );
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
            out.push_str(&format!(
                "<tr data-status=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{detail}</td></tr>\n",
                c.status.as_str(),
                xml_escape(c.id),
                xml_escape(c.title),
                c.status.as_str(),
                xml_escape(&c.checks.join(", ")),
            ));
        }
        out.push_str("</tbody>\n</table>\n");
    }

    if !report.suppressed.is_empty() {
        out.push_str(&format!("<h2>Suppressed ({})</h2>\n<ul id=\"suppressed\">\n", report.suppressed.len()));
        for s in &report.suppressed {
            out.push_str(&format!(
                "<li><code>{}</code> <code>{}</code>: {}</li>\n",
                xml_escape(&s.finding.check_id),
                xml_escape(&s.finding.resource_label()),
                xml_escape(&suppression_reason(s))
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    out
}
