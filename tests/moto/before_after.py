#!/usr/bin/env python3
"""Issue #13 before/after: every #13 moto scenario through two edge-audit binaries.

For each #13 class it seeds the scenarios of the CURRENT `tests/moto/seed.py` into a fresh moto
server (with the CURRENT emulator of `tests/moto/emulator/` in front, as
`tests/it/support/moto.rs` starts them), runs each binary's `scan --format json` with the flags
and environment the current tests use (`tests/it/moto_scan.rs`), and evaluates each scenario's
expectation exactly as the current test does:

* one-account live scan (`live_scan_finds_every_planted_mistake_and_nothing_on_good_perimeters`):
  all thirty-eight scenarios of its nineteen architectures seeded together, `scan --regions
  us-east-1,eu-west-1 --no-probe --format json --fail-on none`; each finding belongs to the one
  scenario whose manifest names its resource's ARN or id; a `-bad` scenario passes when every one
  of its `expected_checks` fired on its resources (EA112 excused: BAD_GAPS), a `-good` one when
  none of its findings is medium or above (GOOD_GAPS: the sigv4-lambda-edge-good moto gap only);
* second account (`an_origin_in_a_second_account_is_judged_there_and_not_evaluated_without_it`):
  `second-account-origin-{bad,good}`, a two-account scan (`--account` x2 `--role-name
  edge-audit-readonly`) and a home-account-only scan, with that test's assertions;
* EA107 on strong secrets: the same one-account scan of the fourteen #13 `-good` scenarios, but
  seeded with `Ctx.secret` replaced by 32 random-looking hex characters (what `openssl rand -hex
  16` prints) or 32 base62 characters, derived from the same SHA-512 as seed.py's own secrets;
  passes when no EA107 finding (of any severity) and nothing of medium or above is on them;
* EA107's page: `explain` of every check the binary lists, and the SARIF rule help of `scan
  --from examples/acme-shop.json --format sarif`, searched for the secret corpus of
  `tests/it/secrets.rs` (PLAINTEXT of tests/it/support/secrets.rs, TUTORIAL_SECRETS, the seeder's
  `weak_secret("…")` values); the repository's pages the same test reads are searched too.

Usage (the venv's python: it has boto3 and moto):

    .venv/bin/python tests/moto/before_after.py --old /work/old/target/debug/edge-audit \\
        --old-root /work/old --new target/debug/edge-audit --out tests/moto/BEFORE_AFTER.md

Both binaries scan the same seeded server, one after the other (scans only read). No secret value
is written to the table: corpus values are named by where they come from, and the table is
checked against every manifest's secret values before it is written.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "moto" / "seed.py"
EMULATOR = ROOT / "tests" / "moto" / "emulator"

MOTO_ACCOUNT = "123456789012"
PARTNER_ACCOUNT = "210987654321"
PARTNER_ROLE = "edge-audit-readonly"
REGIONS = "us-east-1,eu-west-1"
RUN_TIMEOUT = 300

# tests/it/moto_scan.rs ARCHITECTURES: the five seeds, then the fourteen #13 ones.
SEED_ARCHITECTURES = [
    "apigw-ip-allowlist",
    "apigw-regional-waf-header",
    "apigw-api-key",
    "alb-prefix-list-header",
    "sigv4-lambda-edge",
]
# The #13 architectures of the one-account live scan, with the class of issue #13 each covers.
ISSUE13 = [
    ("regex-pattern-set", "regex gates"),
    ("regex-unanchored-fragment", "regex gates"),
    ("byte-match-transformed", "WAF byte match + transformations"),
    ("rule-group-gate", "custom rule groups"),
    ("rule-group-wrong-header", "custom rule groups"),
    ("alb-wildcard-presence", "ALB header wildcards"),
    ("alb-wildcard-secret", "ALB header wildcards"),
    ("alb-regex-header", "ALB header wildcards (RegexValues)"),
    ("http-listener-forwards", "every ALB listener"),
    ("split-cidr-open", "open = union of address space"),
    ("dual-stack-sg", "open = union of address space (IPv6)"),
    ("lambda-authorizer-header", "lock checked in code (authorizer)"),
    ("second-stage", "every entry point of an API"),
    ("custom-domain-default-endpoint", "every entry point of an API"),
]
SECOND_ACCOUNT = "second-account-origin"

# tests/it/moto_scan.rs GOOD_GAPS (scenario, check, REST API name or None for the distribution)
# and BAD_GAPS (checks a -bad scenario may lack).
GOOD_GAPS = [
    ("sigv4-lambda-edge-good", "EA106", None),
    ("sigv4-lambda-edge-good", "EA202", "sigv4-lambda-edge-good-petstore"),
    ("sigv4-lambda-edge-good", "EA203", "sigv4-lambda-edge-good-petstore"),
]
BAD_GAPS = ["EA112"]

UNSET = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN",
         "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_DEFAULT_REGION", "AWS_CONTAINER_CREDENTIALS_FULL_URI"]

SEVERE = {"critical", "high", "medium"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- moto + emulator ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, body: str = "") -> None:
    req = urllib.request.Request(url, data=body.encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=30).read()


class Moto:
    """moto_server on a free loopback port behind the emulator, as tests/it/support/moto.rs."""

    def __init__(self, venv: Path):
        self.python = venv / "bin" / "python"
        port = free_port()
        self.moto_endpoint = f"http://127.0.0.1:{port}"
        self.moto = subprocess.Popen([str(venv / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        self.emulator: subprocess.Popen | None = None
        started = time.monotonic()
        while True:
            try:
                post(f"{self.moto_endpoint}/moto-api/reset")
                break
            except OSError:
                if self.moto.poll() is not None:
                    raise SystemExit(f"moto_server exited: {self.moto.returncode}")
                if time.monotonic() - started > 60:
                    raise SystemExit("moto_server did not answer within 60 s")
                time.sleep(0.1)
        self.emulator = subprocess.Popen([str(self.python), str(EMULATOR), "--upstream", self.moto_endpoint,
                                          "--port", "0"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         text=True)
        assert self.emulator.stdout is not None
        line = self.emulator.stdout.readline().strip()
        if not line.startswith("listening on "):
            raise SystemExit(f"the emulator did not start: {line!r}")
        self.endpoint = line.removeprefix("listening on ")
        # Keep draining so the emulator never blocks on a full pipe.
        threading.Thread(target=self.emulator.stdout.read, daemon=True).start()
        post(f"{self.endpoint}/_emulator/health")

    def seed(self, scenarios: list[str], secret_kind: str | None = None) -> dict[str, Any]:
        """seed.py --seed 42 (tests/it/support/moto.rs MotoServer::seed); with `secret_kind`, through
        this script's `_seed` mode, which replaces Ctx.secret first."""
        if secret_kind:
            command = [str(self.python), __file__, "_seed", "--secret-kind", secret_kind, "--"]
        else:
            command = [str(self.python), str(SEED)]
        command += ["--endpoint", self.endpoint, "--seed", "42"]
        for scenario in scenarios:
            command += ["--scenario", scenario]
        out = subprocess.run(command, capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"seed.py {scenarios} failed ({out.returncode}):\n{out.stderr}")
        return json.loads(out.stdout)

    def close(self) -> None:
        for child in (self.emulator, self.moto):
            if child is not None and child.poll() is None:
                child.kill()
                child.wait()


@contextlib.contextmanager
def moto_server(venv: Path):
    server = Moto(venv)
    try:
        yield server
    finally:
        server.close()


# --- the secret replacement of the EA107 runs -------------------------------------------------

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def strong_secret(kind: str, scenario: str, label: str) -> str:
    """32 hex or 32 base62 characters from the SHA-512 seed.py derives its own secrets from."""
    digest = hashlib.sha512(f"edge-audit/moto/{scenario}/{label}".encode()).digest()
    if kind == "hex32":
        return digest.hex()[:32]
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(32):
        number, rest = divmod(number, 62)
        chars.append(BASE62[rest])
    return "".join(chars)


def seed_with_secrets(kind: str, argv: list[str]) -> int:
    sys.path.insert(0, str(SEED.parent))
    import seed  # noqa: PLC0415 - the current tests/moto/seed.py

    def secret(ctx: Any, label: str, length: int = 48) -> str:
        return ctx.weak_secret(strong_secret(kind, ctx.scenario, label))

    seed.Ctx.secret = secret
    return seed.main(argv)


# --- running a binary -------------------------------------------------------------------------


def run(binary: Path, args: list[str], endpoint: str | None = None) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    if endpoint:
        env.update({
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": "/nonexistent/edge-audit-test/config",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/edge-audit-test/credentials",
        })
    started = time.monotonic()
    out = subprocess.run([str(binary), *args], capture_output=True, text=True, env=env, timeout=RUN_TIMEOUT)
    return {"code": out.returncode, "stdout": out.stdout, "stderr": out.stderr,
            "seconds": round(time.monotonic() - started, 1)}


def scan_json(binary: Path, endpoint: str, extra: list[str] = ()) -> dict[str, Any]:
    result = run(binary, ["scan", *extra, "--regions", REGIONS, "--no-probe", "--format", "json",
                          "--fail-on", "none"], endpoint)
    try:
        result["report"] = json.loads(result["stdout"])
    except json.JSONDecodeError:
        result["report"] = None
    return result


# --- judging as tests/it/moto_scan.rs does ----------------------------------------------------

IDENTIFYING_KEYS = {"id", "arn", "ids", "name", "stage_arn", "stage_arns", "security_group", "version_arn"}


def identifiers(value: Any, key: str | None, out: set[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if key is None and k in ("mistakes", "secret_headers"):
                continue
            identifiers(v, k, out)
    elif isinstance(value, list):
        for v in value:
            identifiers(v, key, out)
    elif isinstance(value, str) and key in IDENTIFYING_KEYS:
        out.add(value)


def scenario_ids(manifest: dict[str, Any]) -> dict[str, set[str]]:
    ids = {}
    for name, scenario in manifest["scenarios"].items():
        out: set[str] = set()
        identifiers(scenario, None, out)
        ids[name] = out
    return ids


def owners(ids: dict[str, set[str]], finding: dict[str, Any]) -> list[str]:
    keys = [finding.get("resource", {}).get("arn") or "", finding.get("resource", {}).get("id") or ""]
    return [name for name, s in ids.items() if any(k and k in s for k in keys)]


def secret_values(manifest: dict[str, Any]) -> list[str]:
    return [v for s in manifest["scenarios"].values() for v in s.get("secret_values", [])]


def leaked(manifest: dict[str, Any], *texts: str) -> int:
    return sum(1 for secret in secret_values(manifest) if any(secret in t for t in texts))


def gap_matches(scenario: dict[str, Any], api_name: str | None, finding: dict[str, Any]) -> bool:
    arn = finding.get("resource", {}).get("arn", "")
    if api_name is None:
        return len(scenario.get("distributions", [])) == 1 and scenario["distributions"][0]["arn"] == arn
    return any(api.get("name") == api_name and finding.get("resource", {}).get("id") == api.get("id")
               for api in scenario.get("rest_apis", []))


def fmt(findings: list[dict[str, Any]]) -> str:
    """`EA305 high, EA110 medium` (one entry per check and severity, with a count when repeated)."""
    counts: dict[tuple[str, str], int] = {}
    for f in findings:
        key = (f.get("check_id", "?"), f.get("severity", "?"))
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{c} {s}" + (f" x{n}" if n > 1 else "") for (c, s), n in sorted(counts.items()))


def judge_one_account(manifest: dict[str, Any], report: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Per scenario: {"expectation", "result", "pass"} as the live-scan test judges it."""
    verdicts: dict[str, dict[str, Any]] = {}
    if report is None:
        for name in manifest["scenarios"]:
            verdicts[name] = {"expectation": "", "result": "no JSON report", "pass": False}
        return verdicts
    ids = scenario_ids(manifest)
    mine: dict[str, list[dict[str, Any]]] = {name: [] for name in manifest["scenarios"]}
    for finding in report.get("findings", []):
        found = owners(ids, finding)
        if len(found) == 1:
            mine[found[0]].append(finding)
    for name, scenario in manifest["scenarios"].items():
        findings = mine[name]
        if scenario["variant"] == "bad":
            expected = scenario["expected_checks"]
            fired = {f["check_id"] for f in findings}
            missing = [c for c in expected if c not in fired and c not in BAD_GAPS]
            present = [c for c in expected if c in fired]
            excused = [c for c in expected if c not in fired and c in BAD_GAPS]
            parts = []
            if present:
                parts.append("found " + ", ".join(present))
            if missing:
                parts.append("**missing " + ", ".join(missing) + "**")
            if excused:
                parts.append("(" + ", ".join(excused) + " excused: moto's Shield gap)")
            others = [f for f in findings if f["check_id"] not in expected and f.get("severity") in SEVERE]
            if others:
                parts.append("also " + fmt(others))
            verdicts[name] = {
                "expectation": "finds " + ", ".join(expected),
                "result": "; ".join(parts) or "nothing",
                "pass": not missing,
            }
        else:
            severe = []
            for f in findings:
                if f.get("severity") not in SEVERE:
                    continue
                if any(g[0] == name and g[1] == f["check_id"] and gap_matches(scenario, g[2], f) for g in GOOD_GAPS):
                    continue
                severe.append(f)
            verdicts[name] = {
                "expectation": "nothing >= medium",
                "result": ("**" + fmt(severe) + "**") if severe else "nothing >= medium",
                "pass": not severe,
            }
    return verdicts


def run_level(manifest: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """The live-scan test's assertions on the whole run (exit code, collection failures, EA112
    not evaluated, attribution of every finding, no secret printed)."""
    report = result["report"]
    info: dict[str, Any] = {"exit": result["code"], "seconds": result["seconds"],
                            "leaked": leaked(manifest, result["stdout"], result["stderr"])}
    if report is None:
        info["error"] = (result["stderr"].strip().splitlines() or ["no output"])[-1][:300]
        return info
    failures = report.get("accounts", [{}])[0].get("collection_failures", [])
    info["collection_failures"] = [f.get("operation") for f in failures]
    info["ea112_not_evaluated"] = any(
        n.get("check_id") == "EA112" and "DescribeSubscription" in (n.get("reason") or "")
        for n in report.get("not_evaluated", []))
    ids = scenario_ids(manifest)
    unattributed = [f for f in report.get("findings", []) if len(owners(ids, f)) != 1]
    info["findings"] = len(report.get("findings", []))
    info["unattributed"] = [f"{f.get('check_id')} on {f.get('resource', {}).get('type')} "
                            f"({len(owners(ids, f))} scenarios)" for f in unattributed]
    return info


def judge_second_account(manifest: dict[str, Any], both: dict[str, Any], alone: dict[str, Any]) -> dict[str, Any]:
    """tests/it/moto_scan.rs an_origin_in_a_second_account_is_judged_there_and_not_evaluated_without_it."""
    rows: dict[str, dict[str, Any]] = {}
    report = both["report"]
    ids = scenario_ids(manifest)
    if report is None:
        error = (both["stderr"].strip().splitlines() or ["no output"])[-1][:200]
        for name in manifest["scenarios"]:
            rows[name] = {"expectation": "", "result": f"no report: {error}", "pass": False}
    else:
        scanned = sorted(a.get("account_id", "?") for a in report.get("accounts", []))
        unresolved = [n for n in report.get("not_evaluated", []) if n.get("check_id") == "EA106"]
        for name, scenario in manifest["scenarios"].items():
            api = scenario["rest_apis"][0]["id"]
            mine = [f for f in report.get("findings", []) if owners(ids, f) == [name]]
            notes = []
            if scanned != sorted([MOTO_ACCOUNT, PARTNER_ACCOUNT]):
                notes.append(f"**accounts scanned: {', '.join(scanned)}**")
            if unresolved:
                notes.append(f"**{len(unresolved)} EA106 not evaluated in the run (origins unresolved)**")
            if scenario["variant"] == "good":
                severe = [f for f in mine if f.get("severity") in SEVERE]
                ok = not severe and not notes
                result = ("**" + fmt(severe) + "**") if severe else "nothing >= medium"
                expectation = "nothing >= medium; both accounts; no EA106 not evaluated"
            else:
                expected = [c for c in scenario["expected_checks"] if c != "EA112"]
                on_api = {f["check_id"] for f in mine
                          if f.get("resource", {}).get("id") == api
                          and f.get("resource", {}).get("account") == PARTNER_ACCOUNT}
                missing = [c for c in expected if c not in on_api]
                found = [c for c in expected if c in on_api]
                parts = (["on the partner's API: " + ", ".join(found)] if found else []) + \
                        (["**missing on the partner's API: " + ", ".join(missing) + "**"] if missing else [])
                others = [f for f in mine if f.get("severity") in SEVERE
                          and not (f.get("resource", {}).get("id") == api and f["check_id"] in expected)]
                if others:
                    parts.append("elsewhere " + fmt(others))
                result = "; ".join(parts)
                ok = not missing and not notes
                expectation = ", ".join(expected) + " on the API in account " + PARTNER_ACCOUNT
            if notes:
                result += "; " + "; ".join(notes)
            if both["code"] != 3:
                result += f"; exit {both['code']} (test wants 3)"
                ok = False
            rows[name] = {"expectation": expectation, "result": result, "pass": ok}

    report = alone["report"]
    if report is None:
        rows["alone"] = {"result": "no report", "pass": False}
    else:
        reasons = [n.get("reason") or "" for n in report.get("not_evaluated", []) if n.get("check_id") == "EA106"]
        problems = []
        if len(reasons) != 2:
            problems.append(f"{len(reasons)} EA106 not-evaluated entries (wants 2)")
        if reasons and not all("X-Origin-Verify" in r for r in reasons):
            problems.append("header not named")
        if reasons and not all("scan the account that owns it too" in r for r in reasons):
            problems.append("no 'scan the account that owns it too'")
        findings = report.get("findings", [])
        partner = [f for f in findings if f.get("resource", {}).get("account") == PARTNER_ACCOUNT]
        if partner:
            problems.append(f"{len(partner)} findings on the unscanned partner account")
        ea208 = [f for f in findings if f.get("check_id") == "EA208"]
        not_low = [f for f in ea208 if f.get("confidence") != "low"]
        if not_low:
            problems.append("EA208 " + ", ".join(sorted({f"{f.get('severity')}/{f.get('confidence')} confidence" for f in not_low})))
        verdict_on_api = [f for f in findings if f.get("check_id") in ("EA202", "EA203")]
        if verdict_on_api:
            problems.append("verdict on unread APIs: " + fmt(verdict_on_api))
        if alone["code"] != 3:
            problems.append(f"exit {alone['code']} (wants 3)")
        gave = f"{len(reasons)} EA106 not evaluated; findings: {fmt(findings) or 'none'}"
        rows["alone"] = {
            "expectation": "2 EA106 not evaluated naming X-Origin-Verify + 'scan the account that owns it too'; "
                           "EA208 low confidence; no EA202/EA203; nothing on the partner account",
            "result": gave + ("; **" + "; ".join(problems) + "**" if problems else ""),
            "pass": not problems,
        }
    rows["_leaked"] = leaked(manifest, both["stdout"], both["stderr"], alone["stdout"], alone["stderr"])
    return rows


def judge_ea107(manifest: dict[str, Any], report: dict[str, Any] | None) -> dict[str, Any]:
    """EA107 alone decides (the other classes have their own rows): passes when no scenario that
    sends a secret header has an EA107 finding of any severity. Other findings of medium or above
    are listed, not judged."""
    if report is None:
        return {"result": "no report", "pass": False, "ea107": [], "severe": []}
    ids = scenario_ids(manifest)
    ea107: list[tuple[str, str]] = []
    severe: list[str] = []
    for finding in report.get("findings", []):
        found = owners(ids, finding)
        if len(found) != 1:
            continue
        if finding.get("check_id") == "EA107":
            ea107.append((found[0], finding.get("severity", "?")))
        elif finding.get("severity") in SEVERE:
            severe.append(f"{found[0]}: {finding.get('check_id')} {finding.get('severity')}")
    sending = [n for n, s in manifest["scenarios"].items() if s.get("secret_headers")]
    with_ea107 = sorted({name for name, _ in ea107})
    result = f"EA107 on {len(with_ea107)} of the {len(sending)} scenarios that send a secret header"
    if ea107:
        result = "**" + result + " (" + ", ".join(sorted({sev for _, sev in ea107})) + ")**"
    return {"result": result, "pass": not ea107, "ea107": with_ea107, "severe": severe}


# --- the documentation corpus check (tests/it/secrets.rs) ------------------------------------


def rust_strings(text: str) -> list[str]:
    return re.findall(r'"((?:[^"\\]|\\.)*)"', text)


def corpus() -> list[tuple[str, str]]:
    """(label, value) of tests/it/secrets.rs's corpus: PLAINTEXT, TUTORIAL_SECRETS, the seeder's
    weak_secret("…") values. Labels name where a value comes from; values never reach the table."""
    items: list[tuple[str, str]] = []
    support = (ROOT / "tests/it/support/secrets.rs").read_text()
    block = support.split("pub(crate) const PLAINTEXT: &[&str] = &[", 1)[1].split("];", 1)[0]
    items += [(f"PLAINTEXT[{i}]", v) for i, v in enumerate(rust_strings(block))]
    secrets_rs = (ROOT / "tests/it/secrets.rs").read_text()
    block = secrets_rs.split("const TUTORIAL_SECRETS: &[&str] = &[", 1)[1].split("];", 1)[0]
    comments = re.findall(r"//\s*(.*)", block)
    for i, v in enumerate(rust_strings(block)):
        why = comments[i].rstrip(".") if i < len(comments) else ""
        items.append((f"TUTORIAL_SECRETS[{i}] ({why})" if why else f"TUTORIAL_SECRETS[{i}]", v))
    seed = SEED.read_text()
    for i, part in enumerate(seed.split('weak_secret("')[1:]):
        items.append((f"seed.py weak_secret #{i + 1}", part.split('"', 1)[0]))
    if not any(label.startswith("TUTORIAL") for label, _ in items) or len(items) < 8:
        raise SystemExit(f"the corpus of tests/it/secrets.rs was not found: {len(items)} values")
    return items


def page_texts(binary: Path, repo: Path) -> list[tuple[str, str]]:
    """What tests/it/secrets.rs no_page_example_or_snapshot_contains_a_corpus_secret reads, from
    this binary (explain of every check, SARIF rule help) and its repository (README, docs,
    examples, snapshots)."""
    texts: list[tuple[str, str]] = []
    listed = run(binary, ["checks", "--format", "json"])
    try:
        checks = json.loads(listed["stdout"])
        checks = checks.get("checks", checks) if isinstance(checks, dict) else checks
        ids = [c["id"] for c in checks]
    except (json.JSONDecodeError, KeyError, TypeError):
        ids = re.findall(r"\bEA\d{3}\b", listed["stdout"])
    for check in dict.fromkeys(ids):
        texts.append((f"`explain {check}`", run(binary, ["explain", check])["stdout"]))
    sarif = run(binary, ["scan", "--from", str(repo / "examples" / "acme-shop.json"), "--format", "sarif",
                         "--fail-on", "none"])
    texts.append(("SARIF report (rule help)", sarif["stdout"]))
    files = [repo / "README.md", repo / "tests/moto/README.md"]
    for sub, endings in (("docs", (".md",)), ("examples", (".json", ".toml", ".md")),
                         ("tests/it/snapshots", (".snap",)), ("checks/tests/snapshots", (".snap",))):
        files += sorted(p for p in (repo / sub).rglob("*") if p.is_file() and p.name.endswith(endings))
    for path in files:
        if path.is_file():
            texts.append((str(path.relative_to(repo)), path.read_text(errors="replace")))
    return texts


def corpus_hits(binary: Path, repo: Path) -> dict[str, Any]:
    values = corpus()
    texts = page_texts(binary, repo)
    hits = []
    for what, text in texts:
        for label, value in values:
            if value and value in text:
                hits.append((what, label))
    return {"texts": len(texts), "explained": sum(1 for w, _ in texts if w.startswith("`explain")),
            "hits": hits}


# --- the table --------------------------------------------------------------------------------


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def old_fails(old: dict[str, Any], new: dict[str, Any]) -> str:
    if not old["pass"]:
        return "**yes**" + ("" if new["pass"] else " (new fails too)")
    return "no: old main already right" + ("" if new["pass"] else "; new fails")


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "_seed":
        p = argparse.ArgumentParser(prog="before_after.py _seed")
        p.add_argument("--secret-kind", choices=["hex32", "base62"], required=True)
        p.add_argument("seed_args", nargs=argparse.REMAINDER)
        args = p.parse_args(argv[1:])
        rest = args.seed_args[1:] if args.seed_args[:1] == ["--"] else args.seed_args
        return seed_with_secrets(args.secret_kind, rest)

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--old", type=Path, required=True, help="the old binary (803e76b)")
    p.add_argument("--old-root", type=Path, required=True, help="the old binary's worktree")
    p.add_argument("--old-label", default="803e76b")
    p.add_argument("--new", type=Path, required=True, help="the new binary")
    p.add_argument("--new-root", type=Path, default=ROOT)
    p.add_argument("--new-label", default=None)
    p.add_argument("--venv", type=Path, default=Path(os.environ.get("EDGE_AUDIT_VENV", ROOT / ".venv")))
    p.add_argument("--out", type=Path, default=ROOT / "tests/moto/BEFORE_AFTER.md")
    p.add_argument("--raw", type=Path, default=None, help="directory for the raw JSON reports")
    p.add_argument("--only", action="append", default=[],
                   choices=["one-account", "second-account", "ea107", "docs"])
    args = p.parse_args(argv)
    parts = args.only or ["one-account", "second-account", "ea107", "docs"]
    new_label = args.new_label or subprocess.run(["git", "-C", str(args.new_root), "rev-parse", "--short", "HEAD"],
                                                 capture_output=True, text=True).stdout.strip()
    binaries = {"old": args.old.resolve(), "new": args.new.resolve()}
    versions = {k: run(b, ["--version"])["stdout"].strip() for k, b in binaries.items()}
    raw = args.raw or Path(tempfile.mkdtemp(prefix="before-after-"))
    raw.mkdir(parents=True, exist_ok=True)
    manifests: list[dict[str, Any]] = []
    out: list[str] = []

    exits: list[str] = []

    def keep(name: str, result: dict[str, Any]) -> None:
        exits.append(f"{name} exit {result['code']}" + ("" if result.get("report") is not None else " (no JSON)"))
        (raw / f"{name}.stdout.json").write_text(result["stdout"])
        (raw / f"{name}.stderr.txt").write_text(result["stderr"])

    rows: list[list[str]] = []
    runinfo: dict[str, dict[str, Any]] = {}
    if "one-account" in parts:
        archs = SEED_ARCHITECTURES + [a for a, _ in ISSUE13]
        scenarios = [f"{a}-{v}" for a in archs for v in ("bad", "good")]
        log(f"one-account: seeding {len(scenarios)} scenarios")
        with moto_server(args.venv) as moto:
            manifest = moto.seed(scenarios)
            manifests.append(manifest)
            judged = {}
            for which, binary in binaries.items():
                log(f"one-account: scanning with the {which} binary")
                result = scan_json(binary, moto.endpoint)
                keep(f"one-account.{which}", result)
                judged[which] = judge_one_account(manifest, result["report"])
                runinfo[which] = run_level(manifest, result)
        for arch, klass in ISSUE13:
            for variant in ("good", "bad"):
                name = f"{arch}-{variant}"
                o, n = judged["old"][name], judged["new"][name]
                rows.append([klass, name, n["expectation"], o["result"], n["result"], old_fails(o, n)])
        seeds_old = [s for s in judged["old"] if not judged["old"][s]["pass"] and s.rsplit("-", 1)[0] in SEED_ARCHITECTURES]
        seeds_new = [s for s in judged["new"] if not judged["new"][s]["pass"] and s.rsplit("-", 1)[0] in SEED_ARCHITECTURES]
        runinfo["seeds"] = {"old": seeds_old, "new": seeds_new}

    second_rows: list[list[str]] = []
    second_leaks = {}
    if "second-account" in parts:
        scenarios = [f"{SECOND_ACCOUNT}-bad", f"{SECOND_ACCOUNT}-good"]
        log("second-account: seeding")
        with moto_server(args.venv) as moto:
            manifest = moto.seed(scenarios)
            manifests.append(manifest)
            judged = {}
            for which, binary in binaries.items():
                log(f"second-account: scanning with the {which} binary")
                both = scan_json(binary, moto.endpoint, ["--account", MOTO_ACCOUNT, "--account", PARTNER_ACCOUNT,
                                                         "--role-name", PARTNER_ROLE])
                alone = scan_json(binary, moto.endpoint)
                keep(f"second-account-both.{which}", both)
                keep(f"second-account-alone.{which}", alone)
                judged[which] = judge_second_account(manifest, both, alone)
                second_leaks[which] = judged[which].pop("_leaked")
        klass = "origins in another account"
        for name, label in ((f"{SECOND_ACCOUNT}-good", f"{SECOND_ACCOUNT}-good, both accounts scanned"),
                            (f"{SECOND_ACCOUNT}-bad", f"{SECOND_ACCOUNT}-bad, both accounts scanned"),
                            ("alone", f"{SECOND_ACCOUNT}-good + -bad, home account alone")):
            o, n = judged["old"][name], judged["new"][name]
            second_rows.append([klass, label, n["expectation"], o["result"], n["result"], old_fails(o, n)])

    ea107_rows: list[list[str]] = []
    if "ea107" in parts:
        goods = [f"{a}-good" for a, _ in ISSUE13]
        for kind, what in (("hex32", "32 hex characters (openssl rand -hex 16)"), ("base62", "32 base62 characters")):
            log(f"ea107 {kind}: seeding {len(goods)} -good scenarios")
            with moto_server(args.venv) as moto:
                manifest = moto.seed(goods, secret_kind=kind)
                manifests.append(manifest)
                lengths = {len(v) for s in manifest["scenarios"].values() for v in s["secret_values"]}
                judged = {}
                for which, binary in binaries.items():
                    log(f"ea107 {kind}: scanning with the {which} binary")
                    result = scan_json(binary, moto.endpoint)
                    keep(f"ea107-{kind}.{which}", result)
                    judged[which] = judge_ea107(manifest, result["report"])
                    judged[which]["leaked"] = leaked(manifest, result["stdout"], result["stderr"])
            o, n = judged["old"], judged["new"]
            ea107_rows.append(["strong secrets called weak (EA107)",
                               f"the {len(goods)} #13 -good scenarios, every secret {what} "
                               f"(lengths seeded: {sorted(lengths)})",
                               "no EA107 (other findings: see run-level facts)", o["result"], n["result"], old_fails(o, n)])
            runinfo[f"ea107-{kind}"] = {"old": o, "new": n}

    docs: dict[str, Any] = {}
    if "docs" in parts:
        log("docs: explain + SARIF rule help + pages of both")
        docs = {"old": corpus_hits(binaries["old"], args.old_root), "new": corpus_hits(binaries["new"], args.new_root)}

    # --- write the table -----------------------------------------------------------------------
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out.append("# Issue #13: each class on the main of the day it was filed, and on today's main")
    out.append("")
    out.append(f"Generated by `tests/moto/before_after.py` on {now}; not edited by hand. Old binary: "
               f"{args.old_label} (`{versions['old']}`, debug build of `{args.old_root}`), new binary: "
               f"{new_label} (`{versions['new']}`). Both scan the same moto server (moto 5.2.5 + this "
               f"branch's emulator), seeded once by this branch's `tests/moto/seed.py --seed 42`; "
               f"each scenario's expectation is judged as `tests/it/moto_scan.rs` judges it "
               f"(see the script's docstring). **Bold** = what makes a scenario fail its expectation.")
    out.append("")
    header = ["class", "scenario", "expectation (current test)", f"old result ({args.old_label})",
              f"new result ({new_label})", "old fails?"]
    all_rows = rows + second_rows + ea107_rows
    if all_rows:
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "---|" * len(header))
        for row in all_rows:
            out.append("| " + " | ".join(cell(c) for c in row) + " |")
        out.append("")
        judged_rows = [r for r in all_rows]
        fails = sum(1 for r in judged_rows if r[5].startswith("**yes"))
        right = sum(1 for r in judged_rows if r[5].startswith("no"))
        new_bad = sum(1 for r in judged_rows if "new fails" in r[5])
        out.append(f"Rows: {len(judged_rows)}; the old binary fails {fails}, is already right on {right}; "
                   f"the new binary fails {new_bad}.")
        out.append("")
    if docs:
        out.append("## The tutorial secret in the documentation (tests/it/secrets.rs corpus)")
        out.append("")
        out.append("Searched: `explain` of every check the binary lists, the SARIF report of "
                   "`scan --from examples/acme-shop.json --format sarif` (rule help), and the repository's "
                   "README.md, tests/moto/README.md, docs/, examples/ and reporter snapshots. Corpus: "
                   f"{len(corpus())} values (named here by origin, never printed).")
        out.append("")
        out.append("| binary | texts searched (pages explained) | corpus values in the binary's output "
                   "(explain, SARIF rule help) | binary output holds a corpus secret? | corpus values in the "
                   "repository's pages | pages hold one? |")
        out.append("|---|---|---|---|---|---|")
        for which, label in (("old", args.old_label), ("new", new_label)):
            d = docs[which]
            binary_hits = [(w, l) for w, l in d["hits"] if w.startswith("`explain") or w.startswith("SARIF")]
            page_hits = [(w, l) for w, l in d["hits"] if (w, l) not in binary_hits]
            def where(hits: list[tuple[str, str]]) -> str:
                return "; ".join(f"{w}: {l}" for w, l in hits) or "none"
            out.append(f"| {which} ({label}) | {d['texts']} ({d['explained']}) | {cell(where(binary_hits))} | "
                       f"{'**yes**' if binary_hits else 'no'} | {cell(where(page_hits))} | "
                       f"{'**yes**' if page_hits else 'no'} |")
        out.append("")
    if runinfo or second_leaks:
        out.append("## Run-level facts")
        out.append("")
        for which in ("old", "new"):
            info = runinfo.get(which)
            if info:
                line = (f"- one-account scan, {which}: exit {info['exit']} (test wants 3), {info['seconds']} s, "
                        f"{info.get('findings', 0)} findings, collection failures "
                        f"{info.get('collection_failures')} (test wants [DescribeSubscription]), EA112 not "
                        f"evaluated: {info.get('ea112_not_evaluated')}, secret values printed: {info['leaked']}, "
                        f"findings not owned by exactly one scenario: {len(info.get('unattributed', []))}")
                if info.get("unattributed"):
                    line += " (" + "; ".join(sorted(set(info["unattributed"]))) + ")"
                if info.get("error"):
                    line += f"; error: {info['error']}"
                out.append(line)
        if "seeds" in runinfo:
            out.append(f"- the five seed architectures in the same scan (not #13, for reference): "
                       f"scenarios failing their expectation, old: {runinfo['seeds']['old'] or 'none'}, "
                       f"new: {runinfo['seeds']['new'] or 'none'}")
        for which, n in second_leaks.items():
            out.append(f"- second-account scans, {which}: secret values printed: {n}")
        for kind in ("hex32", "base62"):
            info = runinfo.get(f"ea107-{kind}")
            if info:
                for which in ("old", "new"):
                    j = info[which]
                    out.append(f"- EA107 {kind}, {which}: scenarios with EA107: {j['ea107'] or 'none'}; "
                               f"other findings >= medium: {j['severe'] or 'none'}; secret values printed: "
                               f"{j['leaked']}")
        out.append("")
    if exits:
        out.append("Every scan ran with the same flags on both binaries (the old one accepts `--account`, "
                   "`--role-name`, `--regions`, `--no-probe`, `--format json`, `--fail-on none`): "
                   + "; ".join(exits) + ".")
        out.append("")
    out.append(f"Raw reports of this run: `{raw}` (not committed).")
    text = "\n".join(out) + "\n"
    for manifest in manifests:
        if leaked(manifest, text):
            raise SystemExit("the table would contain a seeded secret value: not written")
    if any(value in text for _, value in corpus()):
        raise SystemExit("the table would contain a corpus secret value: not written")
    args.out.write_text(text)
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
