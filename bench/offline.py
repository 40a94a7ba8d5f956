#!/usr/bin/env python3
"""Offline scale: `scan --from` on synthetic inventories of growing size, for the check phase.

    python bench/offline.py --edge-audit target/release/edge-audit [--sizes 1000,2000,4000]

Three measurements, each a `scan --from FILE --stats --format json` of the release binary under
/usr/bin/time -v (wall, peak RSS), with the check phase from `stats.phases_ms.check`:

* **linear**: N distributions in one account, each with its own secret, copies of the checks
  fixture's staging distribution (an ALB origin, a weak X-Origin-Verify secret, a web ACL);
* **shared secret**: the same N distributions all sending one secret (EA108's worst case: every
  finding used to list every other distribution); the report's size is measured too;
* **large** (`--large N`, off by default): N distributions spread over accounts of 113
  distributions each (one account per copy of the fixture's account, every secret its own),
  the inventory-loading and peak-memory case (50,000 distributions: 444 accounts, 53 MB);
* **formats** (`--formats json,sarif,...`, with `--large`): the large inventory written in each
  report format (SARIF with `--output-dir`, one file per account, as more than 20 accounts
  require), for peak memory: every format is streamed from the spilled findings;
* **suppressions**: 10,000 `[[suppress]]` entries (globs, none matching but one, which
  suppresses EA107 on every distribution) over the largest inventory; the 9,999 others are
  reported unused (EA903), as in any complete audit.

Prints one JSON object (and, with --markdown FILE, replaces the *Offline* section of that file).
Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURE = ROOT / "checks/tests/fixtures/cloudfront-bad.json"
BEGIN = "<!-- offline:begin -->"
END = "<!-- offline:end -->"
NOTES_BEGIN = "<!-- offline-notes:begin -->"
NOTES_END = "<!-- offline-notes:end -->"
SERVICES = ["cloudfront", "wafv2-cloudfront", "shield"]


def inventory(n: int, shared_secret: bool) -> dict[str, Any]:
    doc = json.loads(FIXTURE.read_text())
    account = doc["accounts"][0]
    staging = next(d for d in account["distributions"] if d["id"] == "E2STAGING00001")
    distributions = []
    for i in range(n):
        d = copy.deepcopy(staging)
        d["id"] = f"E{i:013d}"
        d["arn"] = d["arn"].replace("E2STAGING00001", d["id"])
        d["domain_name"] = f"{d['id'].lower()}.cloudfront.net"
        if not shared_secret:
            for origin in d["origins"]:
                for header in origin.get("custom_headers", []):
                    header["value"]["fingerprint"] = f"sha256:{i:016x}"
        distributions.append(d)
    account["distributions"] = distributions
    # Collected everywhere: nothing is "not evaluated", every check runs.
    account["coverage"] = [{"region": "global", "service": s, "status": "collected"} for s in SERVICES]
    for region in account.get("regions", []):
        for s in ["wafv2-regional", "apigateway", "apigatewayv2", "ec2", "elbv2", "lambda"]:
            account["coverage"].append({"region": region, "service": s, "status": "collected"})
    return doc


def spread_inventory(n: int, per_account: int = 113) -> dict[str, Any]:
    """N distributions in accounts of `per_account` each, every secret its own."""
    doc = inventory(per_account, False)
    template = doc["accounts"][0]
    old_id = template["account_id"]
    text = json.dumps(template)
    accounts = []
    for a in range((n + per_account - 1) // per_account):
        account_id = f"{100000000000 + a:012d}"
        account = json.loads(text.replace(old_id, account_id))
        account["distributions"] = account["distributions"][: min(per_account, n - a * per_account)]
        for k, d in enumerate(account["distributions"]):
            for origin in d["origins"]:
                for header in origin.get("custom_headers", []):
                    header["value"]["fingerprint"] = f"sha256:{a * per_account + k:016x}"
        accounts.append(account)
    doc["accounts"] = accounts
    return doc


def run(binary: str, inv: Path, out: Path, config: Path | None, fmt: str = "json") -> dict[str, Any]:
    timing = out.with_suffix(out.suffix + ".time")
    target = ["--output-dir", str(out)] if fmt == "sarif" else ["--output", str(out)]
    if fmt == "sarif":
        out.mkdir(exist_ok=True)
    cmd = ["/usr/bin/time", "-v", "-o", str(timing), binary, "scan", "--from", str(inv), "--stats",
           "--format", fmt, *target, "--today", "2026-06-01"]
    if config:
        cmd += ["--config", str(config)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    text = timing.read_text()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    secs = 0.0
    for part in (wall.group(1) if wall else "0").split(":"):
        secs = secs * 60 + float(part)
    if out.is_dir():
        size = sum(f.stat().st_size for f in out.iterdir())
    else:
        size = out.stat().st_size if out.exists() else None
    report = json.loads(out.read_text()) if fmt == "json" and out.is_file() and out.stat().st_size else {}
    stats = report.get("stats") or {}
    return {"exit": proc.returncode, "wall_s": round(secs, 2),
            "peak_rss_mb": round(int(rss.group(1)) / 1024, 1) if rss else None,
            "check_ms": (stats.get("phases_ms") or {}).get("check"),
            "findings": len(report.get("findings", [])), "suppressed": len(report.get("suppressed", [])),
            "report_mb": round(size / 1e6, 2) if size is not None else None,
            "input_mb": round(inv.stat().st_size / 1e6, 2)}


def suppressions(n: int, match_arn: str) -> str:
    lines = []
    for i in range(n - 1):
        lines.append(f'[[suppress]]\ncheck = "EA10{i % 8 + 1}"\nresource = "arn:aws:cloudfront::999999999999:distribution/X{i:06d}*"\n'
                     'reason = "bench"\npermanent = true\n')
    # EA107 fires on every distribution of the synthetic inventory (its weak secret): the one
    # matching entry suppresses one finding per distribution.
    lines.append(f'[[suppress]]\ncheck = "EA107"\nresource = "{match_arn}"\nreason = "bench"\npermanent = true\n')
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--edge-audit", required=True)
    p.add_argument("--sizes", default="1000,2000,4000")
    p.add_argument("--suppressions", type=int, default=10_000)
    p.add_argument("--large", type=int, default=0, help="also N distributions spread over accounts")
    p.add_argument("--formats", default="", help="with --large: also write the large inventory in these formats")
    p.add_argument("--markdown", help="replace the Offline section of this file")
    p.add_argument("--build", default="release", help="how the binary was built, for the heading")
    args = p.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[str, Any] = {"linear": {}, "shared_secret": {}, "suppressions": None, "large": None}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for n in sizes:
            for kind, shared in (("linear", False), ("shared_secret", True)):
                inv = d / f"{kind}-{n}.json"
                inv.write_text(json.dumps(inventory(n, shared)))
                results[kind][n] = run(args.edge_audit, inv, d / f"{kind}-{n}.out.json", None)
        n = max(sizes)
        config = d / "edge-audit.toml"
        config.write_text(suppressions(args.suppressions, "arn:aws:cloudfront::111111111111:distribution/E0*"))
        inv = d / f"linear-{n}.json"
        results["suppressions"] = {"entries": args.suppressions, "distributions": n,
                                   **run(args.edge_audit, inv, d / "suppress.out.json", config)}
        if args.large:
            inv = d / f"large-{args.large}.json"
            inv.write_text(json.dumps(spread_inventory(args.large)))
            results["large"] = {"distributions": args.large,
                                **run(args.edge_audit, inv, d / "large.out.json", None)}
            results["formats"] = {}
            for fmt in [f for f in args.formats.split(",") if f]:
                results["formats"][fmt] = run(args.edge_audit, inv, d / f"large.out.{fmt}", None, fmt)
    print(json.dumps(results, indent=2))
    if args.markdown:
        results["build"] = args.build
        write_markdown(results, Path(args.markdown))
    return 0


def write_markdown(results: dict[str, Any], md: Path) -> None:
    L = [BEGIN, f"## Offline (`scan --from`, {results.get('build', 'release')} build)", "",
         "`bench/offline.py`: synthetic inventories of N distributions (copies of the checks "
         "fixture's staging distribution), each with its own secret (*linear*) or all sharing one "
         "(*shared secret*, EA108's worst case), and 10,000 suppressions over the largest one. "
         "Check phase from `--stats` (`phases_ms.check`).", "",
         "| case | distributions | input | wall | check phase | peak RSS | findings | report |",
         "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for kind in ("linear", "shared_secret"):
        for n, r in results[kind].items():
            L.append(f"| {kind.replace('_', ' ')} | {int(n):,} | {r['input_mb']} MB | {r['wall_s']} s | "
                     f"{r['check_ms']} ms | {r['peak_rss_mb']} MB | {r['findings']:,} | {r['report_mb']} MB |")
    s = results["suppressions"]
    if s:
        L.append(f"| {s['entries']:,} suppressions | {s['distributions']:,} | {s['input_mb']} MB | "
                 f"{s['wall_s']} s | {s['check_ms']} ms | {s['peak_rss_mb']} MB | {s['findings']:,} "
                 f"(+{s['suppressed']:,} suppressed) | {s['report_mb']} MB |")
    large, formats = results.get("large"), results.get("formats") or {}
    if large and formats:
        L += ["", f"The large inventory ({large['distributions']:,} distributions, {large['input_mb']} MB) "
              "in every format: each is written from the findings spilled to a temporary file, read back "
              "one at a time (SARIF: `--output-dir`, one file per account).", "",
              "| format | wall | peak RSS | peak RSS / input | exit | report |", "| --- | --- | --- | --- | --- | --- |"]
        for fmt, r in formats.items():
            ratio = round(r["peak_rss_mb"] / r["input_mb"], 1) if r["peak_rss_mb"] and r["input_mb"] else None
            L.append(f"| {fmt} | {r['wall_s']} s | {r['peak_rss_mb']} MB | {ratio}× | {r['exit']} | {r['report_mb']} MB |")
    text = md.read_text() if md.exists() else ""
    # Notes written by hand inside the section (between the notes markers) outlive a new run.
    if NOTES_BEGIN in text and NOTES_END in text:
        notes = text[text.index(NOTES_BEGIN):text.index(NOTES_END) + len(NOTES_END)]
        L += ["", notes]
    L += ["", END]
    new = "\n".join(L)
    if BEGIN in text and END in text:
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        text = head + new + tail
    else:
        text = text.rstrip("\n") + "\n\n" + new + "\n"
    md.write_text(text)


if __name__ == "__main__":
    raise SystemExit(main())
