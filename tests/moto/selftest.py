#!/usr/bin/env python3
"""Self-test of the seeding harness, no Rust involved.

    python selftest.py [--endpoint http://127.0.0.1:5055]

Without --endpoint it starts its own moto_server (same venv) on a free
loopback port, with the emulator (tests/moto/emulator) in front of it, and
stops both afterwards; a given --endpoint must be such an emulator. It seeds every scenario in ONE call
(they must coexist), then reads the state back with boto3 and checks that
moto stored what the manifest claims and that `-good` scenarios are clean
by the rules edge-audit enforces. Ends with 'N passed, N failed'.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any, Callable

import seed

HERE = os.path.dirname(os.path.abspath(__file__))


class Results:
    def __init__(self) -> None:
        self.passed = 0
        self.failed: list[str] = []

    def check(self, label: str, fn: Callable[[], Any]) -> None:
        try:
            ok = fn()
        except Exception as exc:  # noqa: BLE001 - report any failure
            ok, label = False, f"{label}: {type(exc).__name__}: {exc}"
        if ok is False:
            self.failed.append(label)
            print(f"FAIL {label}")
        else:
            self.passed += 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto() -> tuple[list[subprocess.Popen], str]:
    """moto on a free port and the emulator in front of it; returns both and the emulator's URL."""
    port = free_port()
    server = os.path.join(os.path.dirname(sys.executable), "moto_server")
    proc = subprocess.Popen([server, "-p", str(port), "-H", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    moto = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{moto}/moto-api/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise SystemExit("moto_server did not start")
    emulator = subprocess.Popen([sys.executable, os.path.join(HERE, "emulator"), "--upstream", moto],
                                stdout=subprocess.PIPE, text=True)
    line = emulator.stdout.readline() if emulator.stdout else ""
    if not line.startswith("listening on "):
        emulator.kill()
        proc.kill()
        raise SystemExit(f"the emulator did not start: {line!r}")
    return [emulator, proc], line.split("listening on ", 1)[1].strip()


def run_seed(endpoint: str) -> dict[str, Any]:
    args = [sys.executable, os.path.join(HERE, "seed.py"), "--endpoint", endpoint,
            "--reset", "--seed", "7"]
    for name in seed.SCENARIOS:
        args += ["--scenario", name]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def all_behaviors(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    return [cfg["DefaultCacheBehavior"]] + cfg["CacheBehaviors"].get("Items", [])


def check_distribution(r: Results, aws: seed.Aws, name: str, sc: dict[str, Any],
                       dist: dict[str, Any]) -> None:
    cf = aws.client("cloudfront")
    cfg = cf.get_distribution_config(Id=dist["id"])["DistributionConfig"]
    r.check(f"{name}: WebACLId stored",
            lambda: cfg["WebACLId"] == (dist["web_acl_arn"] or ""))
    sent = {h["HeaderValue"] for o in cfg["Origins"]["Items"]
            for h in o["CustomHeaders"].get("Items", [])}
    r.check(f"{name}: origin secrets stored", lambda: sent <= set(sc["secret_values"]))
    if sc["variant"] != "good":
        return
    r.check(f"{name}: viewers redirect to https", lambda: all(
        b["ViewerProtocolPolicy"] == "redirect-to-https" for b in all_behaviors(cfg)))
    custom = [o for o in cfg["Origins"]["Items"] if "CustomOriginConfig" in o]
    r.check(f"{name}: custom origins https-only TLSv1.2", lambda: all(
        o["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
        and o["CustomOriginConfig"]["OriginSslProtocols"]["Items"] == ["TLSv1.2"]
        for o in custom))
    dynamic = [b for b in all_behaviors(cfg) if "POST" in b["AllowedMethods"]["Items"]]
    r.check(f"{name}: dynamic behaviors use CachingDisabled + AllViewerExceptHostHeader",
            lambda: dynamic and all(
                b["CachePolicyId"] == seed.CACHING_DISABLED
                and b["OriginRequestPolicyId"] == seed.ALL_VIEWER_EXCEPT_HOST_HEADER
                for b in dynamic))
    r.check(f"{name}: secrets >= 48 chars, distinct",
            lambda: all(len(v) >= 48 for v in sent) and len(sent) == len(
                [h for o in cfg["Origins"]["Items"] for h in o["CustomHeaders"].get("Items", [])]))
    r.check(f"{name}: shield protection", lambda: aws.client("shield").describe_protection(
        ResourceArn=dist["arn"])["Protection"]["ResourceArn"] == dist["arn"])


def in_account(aws: seed.Aws, item: dict[str, Any]) -> seed.Aws:
    """The clients of the account that holds `item` (seed.py's partner account or moto's)."""
    return aws.partner() if item.get("account") == seed.PARTNER_ACCOUNT_ID else aws


def check_web_acl(r: Results, aws: seed.Aws, name: str, sc: dict[str, Any],
                  acl: dict[str, Any]) -> None:
    waf = in_account(aws, acl).client("wafv2", acl["region"])
    got = waf.get_web_acl(Name=acl["name"], Id=acl["id"], Scope=acl["scope"])["WebACL"]
    r.check(f"{name}/{acl['name']}: default action", lambda: acl["default_action"] in got["DefaultAction"])
    if acl["logging"]:
        r.check(f"{name}/{acl['name']}: logging", lambda: waf.get_logging_configuration(
            ResourceArn=acl["arn"])["LoggingConfiguration"]["LogDestinationConfigs"])
    for res in acl["associated_to"]:
        r.check(f"{name}/{acl['name']}: associated to {res.split(':')[-1]}", lambda res=res:
                waf.get_web_acl_for_resource(ResourceArn=res)["WebACL"]["ARN"] == acl["arn"])
    if sc["variant"] == "good" and acl["scope"] == "CLOUDFRONT":
        stmts = [rule["Statement"] for rule in got["Rules"]]
        managed = {s["ManagedRuleGroupStatement"]["Name"] for s in stmts
                   if "ManagedRuleGroupStatement" in s}
        r.check(f"{name}: edge ACL managed groups", lambda: managed >= set(seed.MANAGED_RULE_GROUPS))
        r.check(f"{name}: edge ACL managed groups not overridden", lambda: all(
            rule["OverrideAction"] == {"None": {}} for rule in got["Rules"]
            if "ManagedRuleGroupStatement" in rule["Statement"]))
        r.check(f"{name}: edge ACL blocking rate rule", lambda: any(
            "RateBasedStatement" in rule["Statement"] and "Block" in rule["Action"]
            for rule in got["Rules"]))


def check_rest_api(r: Results, aws: seed.Aws, name: str, sc: dict[str, Any],
                   api: dict[str, Any]) -> None:
    apigw = in_account(aws, api).client("apigateway", api["region"])
    got = apigw.get_rest_api(restApiId=api["id"])
    r.check(f"{name}/{api['name']}: endpoint type",
            lambda: got["endpointConfiguration"]["types"] == [api["endpoint_type"]])
    r.check(f"{name}/{api['name']}: apiKeySource", lambda: got["apiKeySource"] == api["api_key_source"])
    methods = {(res["path"], m): v for res in apigw.get_resources(
        restApiId=api["id"], embed=["methods"])["items"]
        for m, v in res.get("resourceMethods", {}).items()}
    for route in api["routes"]:
        m = methods[(route["path"], route["method"])]
        r.check(f"{name}/{api['name']}: {route['method']} {route['path']} auth/key",
                lambda m=m, route=route: m["authorizationType"] == route["auth"]
                and m["apiKeyRequired"] == route["key_required"])
    stage = apigw.get_stage(restApiId=api["id"], stageName=api["stage"])
    r.check(f"{name}/{api['name']}: disableExecuteApiEndpoint", lambda: got.get(
        "disableExecuteApiEndpoint", False) == api["disable_execute_api_endpoint"])
    stages = {s["stageName"] for s in apigw.get_stages(restApiId=api["id"])["item"]}
    r.check(f"{name}/{api['name']}: stages", lambda: stages == {api["stage"], *api["more_stages"]})
    if api["authorizer_id"]:
        authorizer = apigw.get_authorizer(restApiId=api["id"], authorizerId=api["authorizer_id"])
        r.check(f"{name}/{api['name']}: REQUEST authorizer on a header", lambda: authorizer["type"] == "REQUEST"
                and authorizer["identitySource"].startswith("method.request.header."))
        custom = [m for m in methods.values() if m["authorizationType"] == "CUSTOM"]
        r.check(f"{name}/{api['name']}: CUSTOM methods use the authorizer", lambda: custom and all(
            m.get("authorizerId") == api["authorizer_id"] for m in custom))
    if sc["variant"] == "good":
        r.check(f"{name}/{api['name']}: REGIONAL", lambda: api["endpoint_type"] == "REGIONAL")
        r.check(f"{name}/{api['name']}: stage throttled",
                lambda: "throttlingRateLimit" in stage["methodSettings"]["*/*"])


def check_security(r: Results, aws: seed.Aws, name: str, sc: dict[str, Any]) -> None:
    if not sc.get("security_groups"):
        return
    # Each account's groups from that account (a scenario may build its network in the partner's).
    groups: dict[str, Any] = {"SecurityGroups": []}
    for account in {g.get("account") for g in sc["security_groups"]}:
        ids = [g["id"] for g in sc["security_groups"] if g.get("account") == account]
        ec2 = in_account(aws, {"account": account}).client("ec2", sc["region"])
        groups["SecurityGroups"] += ec2.describe_security_groups(GroupIds=ids)["SecurityGroups"]
    ec2 = aws.client("ec2", sc["region"])
    emulated = sc.get("emulated", {})
    pl6 = sc.get("cloudfront_prefix_list_v6_id")
    if pl6:
        lists = ec2.describe_managed_prefix_lists(
            Filters=[{"Name": "prefix-list-name", "Values": [seed.CLOUDFRONT_PREFIX_LIST_V6]}])
        r.check(f"{name}: the IPv6 CloudFront prefix list is listed (emulator)", lambda: [
            (pl["PrefixListId"], pl["OwnerId"]) for pl in lists["PrefixLists"]] == [(pl6, "AWS")])
    for rule_arn, patterns in emulated.get("elasticloadbalancing", {}).get("regex_header_values", {}).items():
        got = aws.client("elbv2", sc["region"]).describe_rules(RuleArns=[rule_arn])["Rules"][0]
        header = [c["HttpHeaderConfig"] for c in got["Conditions"] if c["Field"] == "http-header"]
        r.check(f"{name}: http-header condition matches RegexValues (emulator)", lambda h=header, p=patterns:
                len(h) == 1 and h[0].get("RegexValues") == p and not h[0].get("Values"))
    if sc["variant"] == "good":
        # Open = the union of the ranges: 0.0.0.0/0, ::/0, or both halves of IPv4.
        ranges = {rng for g in groups["SecurityGroups"] for p in g["IpPermissions"]
                  for rng in [x["CidrIp"] for x in p["IpRanges"]] + [x["CidrIpv6"] for x in p.get("Ipv6Ranges", [])]}
        r.check(f"{name}: no SG open to the internet", lambda: not (
            {"0.0.0.0/0", "::/0"} & ranges or {"0.0.0.0/1", "128.0.0.0/1"} <= ranges))
        lb = sc["load_balancers"][0]
        mtls = emulated.get("elasticloadbalancing", {}).get("mutual_authentication", {})
        gated = any(acl["name"].endswith("-gate-acl") and lb["arn"] in acl["associated_to"]
                    for acl in sc.get("web_acls", []))
        if lb.get("scheme") == "internal" or mtls.get(lb["listener_arn"], {}).get("Mode") == "verify" or gated:
            # Reached only through a VPC origin, locked by verified mutual TLS, or gated by the
            # regional web ACL on the ALB: the listener itself needs no header rule.
            return
        rules = in_account(aws, lb).client("elbv2", sc["region"]).describe_rules(
            ListenerArn=sc["load_balancers"][0]["listener_arn"])["Rules"]
        r.check(f"{name}: ALB default action is a fixed 403", lambda: any(
            rule["IsDefault"] and rule["Actions"][0]["Type"] == "fixed-response"
            for rule in rules))
        r.check(f"{name}: ALB header rule", lambda: any(
            c["Field"] == "http-header" for rule in rules for c in rule["Conditions"]))


def check_domains(r: Results, aws: seed.Aws, name: str, sc: dict[str, Any]) -> None:
    for domain in sc.get("domain_names", []):
        apigw = aws.client("apigateway", sc["region"])
        got = {d["domainName"]: d for d in apigw.get_domain_names()["items"]}.get(domain["name"], {})
        mappings = apigw.get_base_path_mappings(domainName=domain["name"]).get("items", [])
        if "routing_mode" in domain:
            # Routed by rules (the emulator: routingMode, and AWS's empty list of mappings).
            r.check(f"{name}/{domain['name']}: routing mode (emulator)", lambda got=got, d=domain:
                    got.get("routingMode") == d["routing_mode"])
            r.check(f"{name}/{domain['name']}: no base path mapping", lambda m=mappings: m == [])
            continue
        r.check(f"{name}/{domain['name']}: mutual TLS trust store (emulator)", lambda got=got, d=domain:
                got.get("mutualTlsAuthentication", {}).get("truststoreUri") == d["truststore_uri"])
        r.check(f"{name}/{domain['name']}: base path mapping", lambda m=mappings, d=domain:
                [(x["restApiId"], x["basePath"]) for x in m] == [(d["api_id"], "(none)")])


def check_vpc_origins(r: Results, aws: seed.Aws, name: str, sc: dict[str, Any]) -> None:
    """Each account's ListVpcOrigins (the emulator, per account) lists the scenario's VPC origins
    that account owns, and none of another account's."""
    for account in (seed.ACCOUNT_ID, seed.PARTNER_ACCOUNT_ID):
        owned = {v["id"] for v in sc.get("vpc_origins", []) if v["owner"] == account}
        if account == seed.PARTNER_ACCOUNT_ID and not sc.get("partner_account_id"):
            continue
        theirs = {v["id"] for v in sc.get("vpc_origins", []) if v["owner"] != account}
        listed = in_account(aws, {"account": account}).client("cloudfront").list_vpc_origins()
        got = {v["Id"] for v in listed["VpcOriginList"].get("Items", [])}
        r.check(f"{name}: account {account} lists the VPC origins it owns (emulator)",
                lambda got=got, owned=owned, theirs=theirs: owned <= got and not (theirs & got))


def check_lambdas(r: Results, aws: seed.Aws, name: str, sc: dict[str, Any]) -> None:
    for fn in sc.get("lambda_functions", []):
        if "url" in fn:
            r.check(f"{name}/{fn['name']}: function URL auth", lambda fn=fn: aws.client(
                "lambda", fn["region"]).get_function_url_config(
                FunctionName=fn["name"])["AuthType"] == fn["url_auth"])


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", help="use a running moto server instead of starting one")
    args = p.parse_args()
    procs, endpoint = ([], args.endpoint) if args.endpoint else start_moto()
    r = Results()
    try:
        manifest = run_seed(endpoint)
        aws = seed.Aws(endpoint)
        r.check("all scenarios seeded", lambda: set(manifest["scenarios"]) == set(seed.SCENARIOS))
        for name, sc in manifest["scenarios"].items():
            good = sc["variant"] == "good"
            r.check(f"{name}: expected checks match variant",
                    lambda sc=sc, good=good: not sc["expected_checks"] if good
                    else bool(sc["expected_checks"]))
            for dist in sc["distributions"]:
                check_distribution(r, aws, name, sc, dist)
            for acl in sc.get("web_acls", []):
                check_web_acl(r, aws, name, sc, acl)
            for api in sc.get("rest_apis", []):
                check_rest_api(r, aws, name, sc, api)
            check_security(r, aws, name, sc)
            check_domains(r, aws, name, sc)
            check_vpc_origins(r, aws, name, sc)
            check_lambdas(r, aws, name, sc)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"{r.passed} passed, {len(r.failed)} failed")
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
