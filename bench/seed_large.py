#!/usr/bin/env python3
"""Seed a moto server with a LARGE AWS edge perimeter, for the benchmark.

    python seed_large.py --endpoint http://127.0.0.1:5055 --scale 1 [--workers 8] [--reset]

Two regions (us-east-1, eu-west-1). At --scale 1 (every count multiplies by N):

| resource | count | notes |
| --- | --- | --- |
| CloudFront distributions | 500 | 2-3 origins each (REST API / ALB / Lambda URL), custom headers |
| REST APIs | 600 | 2 resources, 2 methods (MOCK integrations), stage `prod` (half throttled) |
| HTTP APIs | 100 | 2 routes, `$default` stage |
| web ACLs | 200 | 100 CLOUDFRONT + 50 REGIONAL per region, 2-5 rules, some logged |
| ALBs | 100 | own SG, target group, HTTP listener; 2/3 default 403 + 2 header rules |
| security groups | 2,000 | 1-3 ingress permissions each (ALB SGs not counted) |
| Lambda function URLs | 300 | one function per URL, AuthType NONE or AWS_IAM |

plus, per scale unit, 50 Shield Advanced protections, 150 API keys in 30 usage plans.

Everything goes through moto's HTTP API (no in-process backend), in phases that
respect dependencies; inside a phase the calls run on a thread pool. Names are
deterministic (`b-<region>-<kind>-<n>`), so the same scale always yields the
same inventory shape. stdout gets one JSON object: the counts made, the calls
issued and the seconds each phase took.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import threading
import time
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import boto3
from botocore.config import Config
from botocore.parsers import ResponseParserError

ACCOUNT_ID = "123456789012"
EDGE_REGION = "us-east-1"
REGIONS = ("us-east-1", "eu-west-1")
SHORT = {"us-east-1": "ue1", "eu-west-1": "ew1"}

# Per scale unit, over both regions (regional kinds are split evenly).
BASE = {
    "distributions": 500,
    "rest_apis": 600,
    "http_apis": 100,
    "web_acls_cloudfront": 100,
    "web_acls_regional": 100,
    "albs": 100,
    "security_groups": 2000,
    "function_urls": 300,
    "shield_protections": 50,
    "api_keys": 150,
    "usage_plans": 30,
}

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
MANAGED = ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet",
           "AWSManagedRulesAmazonIpReputationList")
ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing"


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("index.py", "def handler(e, c):\n    return {'statusCode': 200}\n")
    return buf.getvalue()


ZIP = _zip()


def secret(label: str, length: int = 48) -> str:
    digest = hashlib.sha512(f"edge-audit/bench/{label}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:length]


# moto_server is threaded, but its backends are plain dicts: two concurrent
# creates in one backend can fail with "dictionary changed size during
# iteration" (HTTP 500). So calls into one backend (service, region) are
# serialised by a lock, while different backends run in parallel; elbv2 shares
# ec2's lock (it reads ec2's security groups and subnets). A 500 that slips
# through anyway is retried.
LOCK_GROUP = {"elbv2": "ec2", "acm": "ec2"}
GLOBAL = {"cloudfront", "iam", "shield"}


class Aws:
    """boto3 clients (created up front, shared by the worker threads), one lock
    per moto backend, and a count of the calls made."""

    def __init__(self, endpoint: str, workers: int, account: str | None = None):
        self.endpoint = endpoint.rstrip("/")
        session = boto3.session.Session(aws_access_key_id="testing",
                                        aws_secret_access_key="testing")
        if account:
            # moto serves another account to the credentials of a role assumed there.
            sts = session.client("sts", region_name=EDGE_REGION, endpoint_url=self.endpoint)
            creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/EdgeAuditReadOnly",
                                    RoleSessionName="bench-seed")["Credentials"]
            session = boto3.session.Session(aws_access_key_id=creds["AccessKeyId"],
                                            aws_secret_access_key=creds["SecretAccessKey"],
                                            aws_session_token=creds["SessionToken"])
        config = Config(retries={"max_attempts": 1},
                        max_pool_connections=max(10, workers * 2),
                        connect_timeout=10, read_timeout=300)
        self._clients: dict[tuple[str, str], _Locked] = {}
        self._locks: dict[tuple[str, str], threading.Lock] = {}
        for svc in ("apigateway", "apigatewayv2", "cloudfront", "ec2", "elbv2", "iam",
                    "lambda", "shield", "wafv2"):
            for region in REGIONS:
                key = (LOCK_GROUP.get(svc, svc), "global" if svc in GLOBAL else region)
                lock = self._locks.setdefault(key, threading.Lock())
                client = session.client(svc, region_name=region, endpoint_url=self.endpoint,
                                        config=config)
                self._clients[(svc, region)] = _Locked(self, client, lock)
        self.calls = 0
        self.retries = 0
        self._count_lock = threading.Lock()

    def counted(self, retry: bool = False) -> None:
        with self._count_lock:
            self.calls += 1
            self.retries += retry

    def __call__(self, service: str, region: str = EDGE_REGION) -> Any:
        return self._clients[(service, region)]

    def moto_api(self, path: str) -> None:
        req = urllib.request.Request(f"{self.endpoint}/moto-api/{path}", method="POST")
        urllib.request.urlopen(req, timeout=60).read()


class _Locked:
    def __init__(self, aws: Aws, client: Any, lock: threading.Lock):
        self._aws, self._client, self._lock = aws, client, lock

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)

        def call(**kwargs: Any) -> Any:
            for attempt in range(5):
                self._aws.counted(retry=attempt > 0)
                try:
                    with self._lock:
                        return method(**kwargs)
                except ResponseParserError:  # moto's HTML 500 page
                    if attempt == 4:
                        raise
                    time.sleep(0.2 * (attempt + 1))
            raise AssertionError("unreachable")

        return call


def split(total: int) -> dict[str, list[int]]:
    """Indices 0..total-1 dealt to the regions round-robin."""
    return {r: [i for i in range(total) if i % len(REGIONS) == k] for k, r in enumerate(REGIONS)}


def vis(name: str) -> dict[str, Any]:
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True,
            "MetricName": name.replace("-", "")[:128]}


class Seeder:
    def __init__(self, aws: Aws, scale: int, workers: int, divide: int = 1):
        self.aws = aws
        self.scale = scale
        self.workers = workers
        # --divide: a smaller account (every count over N, at least 2 so both regions get one).
        self.n = {k: max(2, v * scale // divide) for k, v in BASE.items()}
        self.phases: dict[str, float] = {}
        self.made: dict[str, int] = {}
        self.lock = threading.Lock()
        # Filled in as phases complete.
        self.vpcs: dict[str, tuple[str, list[str]]] = {}
        self.prefix_lists: dict[str, str] = {}
        self.role_arn = ""
        self.rest_apis: list[dict[str, Any]] = []
        self.http_apis: list[dict[str, Any]] = []
        self.albs: list[dict[str, Any]] = []
        self.urls: list[dict[str, Any]] = []
        self.edge_acls: list[str] = []
        self.distributions: list[str] = []

    # -- plumbing -------------------------------------------------------------

    def run(self, phase: str, tasks: list[Callable[[], Any]]) -> list[Any]:
        start = time.monotonic()
        with ThreadPoolExecutor(self.workers) as pool:
            results = list(pool.map(lambda t: t(), tasks))
        self.phases[phase] = round(time.monotonic() - start, 2)
        print(f"seed_large: {phase}: {len(tasks)} tasks in {self.phases[phase]:.1f}s "
              f"({self.aws.calls} calls so far)", file=sys.stderr, flush=True)
        return results

    def count(self, kind: str, k: int = 1) -> None:
        with self.lock:
            self.made[kind] = self.made.get(kind, 0) + k

    # -- phase 0: shared plumbing ---------------------------------------------

    def base(self, region: str) -> None:
        ec2 = self.aws("ec2", region)
        vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24",
                                     AvailabilityZone=f"{region}{az}")["Subnet"]["SubnetId"]
                   for i, az in enumerate("ab")]
        pl = ec2.describe_managed_prefix_lists(Filters=[
            {"Name": "prefix-list-name", "Values": [CLOUDFRONT_PREFIX_LIST]}])["PrefixLists"]
        with self.lock:
            self.vpcs[region] = (vpc, subnets)
            self.prefix_lists[region] = pl[0]["PrefixListId"] if pl else ""
        if region == EDGE_REGION:
            trust = {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole"}]}
            self.role_arn = self.aws("iam").create_role(
                RoleName="bench-fn-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
            self.aws("shield").create_subscription()

    # -- phase 1: independent regional resources -------------------------------

    def security_group(self, region: str, i: int) -> None:
        ec2 = self.aws("ec2", region)
        vpc, _ = self.vpcs[region]
        sg = ec2.create_security_group(GroupName=f"b-{SHORT[region]}-sg-{i:05d}",
                                       Description=f"bench sg {i}", VpcId=vpc)["GroupId"]
        perms: list[dict[str, Any]] = []
        kind = i % 5
        if kind == 0:  # world-open web ports
            perms = [{"IpProtocol": "tcp", "FromPort": p, "ToPort": p,
                      "IpRanges": [{"CidrIp": "0.0.0.0/0"}]} for p in (80, 443)]
        elif kind == 1:  # SSH from anywhere + app port from a private range
            perms = [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                      "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
                     {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
                      "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]
        elif kind == 2 and self.prefix_lists[region]:  # CloudFront prefix list
            perms = [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                      "PrefixListIds": [{"PrefixListId": self.prefix_lists[region]}]}]
        elif kind == 3:  # IPv6 anywhere, a port range
            perms = [{"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8100,
                      "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]
        # kind 4: no ingress at all
        if perms:
            ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=perms)
        self.count("security_groups")

    def rest_api(self, region: str, i: int) -> None:
        apigw = self.aws("apigateway", region)
        endpoint = "EDGE" if i % 7 == 0 else "REGIONAL"
        api = apigw.create_rest_api(name=f"b-{SHORT[region]}-rest-{i:05d}",
                                    endpointConfiguration={"types": [endpoint]},
                                    apiKeySource="HEADER" if i % 3 else "AUTHORIZER")
        api_id, root = api["id"], api["rootResourceId"]
        res = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="api")["id"]
        proxy = apigw.create_resource(restApiId=api_id, parentId=res,
                                      pathPart="{proxy+}")["id"]
        integ = {"type": "MOCK", "requestTemplates": {"application/json": '{"statusCode":200}'}}
        for rid, method, auth, key in ((res, "GET", "NONE", i % 2 == 0),
                                       (proxy, "ANY", "AWS_IAM" if i % 4 else "NONE", False)):
            apigw.put_method(restApiId=api_id, resourceId=rid, httpMethod=method,
                             authorizationType=auth, apiKeyRequired=key)
            # moto (like AWS) refuses to deploy a method without an integration.
            apigw.put_integration(restApiId=api_id, resourceId=rid, httpMethod=method, **integ)
        apigw.create_deployment(restApiId=api_id, stageName="prod")
        if i % 2 == 0:
            apigw.update_stage(restApiId=api_id, stageName="prod", patchOperations=[
                {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "100"},
                {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "200"}])
        with self.lock:
            self.rest_apis.append({
                "id": api_id, "region": region, "i": i,
                "domain": f"{api_id}.execute-api.{region}.amazonaws.com",
                "stage_arn": f"arn:aws:apigateway:{region}::/restapis/{api_id}/stages/prod"})
        self.count("rest_apis")

    def http_api(self, region: str, i: int) -> None:
        v2 = self.aws("apigatewayv2", region)
        api = v2.create_api(Name=f"b-{SHORT[region]}-http-{i:05d}", ProtocolType="HTTP")
        for key, auth in (("ANY /{proxy+}", "AWS_IAM"), ("GET /health", "NONE" if i % 2 else "AWS_IAM")):
            v2.create_route(ApiId=api["ApiId"], RouteKey=key, AuthorizationType=auth)
        v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True,
                        DefaultRouteSettings={"ThrottlingRateLimit": 100.0,
                                              "ThrottlingBurstLimit": 200})
        with self.lock:
            self.http_apis.append({"id": api["ApiId"], "region": region,
                                   "domain": f"{api['ApiId']}.execute-api.{region}.amazonaws.com"})
        self.count("http_apis")

    def function_url(self, region: str, i: int) -> None:
        lam = self.aws("lambda", region)
        name = f"b-{SHORT[region]}-fn-{i:05d}"
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=self.role_arn,
                            Handler="index.handler", Code={"ZipFile": ZIP},
                            Tags={"team": f"team-{i % 7}", "env": "prod"})
        auth = "NONE" if i % 3 == 0 else "AWS_IAM"
        url = lam.create_function_url_config(FunctionName=name, AuthType=auth)["FunctionUrl"]
        if auth == "NONE":
            lam.add_permission(FunctionName=name, StatementId="public-url",
                               Action="lambda:InvokeFunctionUrl", Principal="*",
                               FunctionUrlAuthType="NONE")
        with self.lock:
            self.urls.append({"region": region, "host": url.split("://", 1)[-1].split("/")[0]})
        self.count("function_urls")

    def alb(self, region: str, i: int) -> None:
        ec2, elb = self.aws("ec2", region), self.aws("elbv2", region)
        vpc, subnets = self.vpcs[region]
        short = f"b-{SHORT[region]}-alb-{i:05d}"
        pl = self.prefix_lists[region]
        sg = ec2.create_security_group(GroupName=f"{short}-sg", Description="bench alb",
                                       VpcId=vpc)["GroupId"]
        src = ({"PrefixListIds": [{"PrefixListId": pl}]} if i % 2 and pl
               else {"IpRanges": [{"CidrIp": "0.0.0.0/0"}]})
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, **src}])
        lb = elb.create_load_balancer(Name=short, Subnets=subnets, SecurityGroups=[sg],
                                      Scheme="internet-facing", Type="application")["LoadBalancers"][0]
        tg = elb.create_target_group(Name=f"{short}-tg", Protocol="HTTP", Port=8080, VpcId=vpc,
                                     TargetType="instance")["TargetGroups"][0]
        forward = [{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}]
        deny = [{"Type": "fixed-response", "FixedResponseConfig": {
            "StatusCode": "403", "ContentType": "text/plain", "MessageBody": "Forbidden"}}]
        guarded = i % 3 != 0
        listener = elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP",
                                       Port=80, DefaultActions=deny if guarded else forward
                                       )["Listeners"][0]
        header = ("X-Origin-Verify", secret(f"alb-{region}-{i}"))
        if guarded:
            for prio, path in ((1, "/api/*"), (2, "/*")):
                elb.create_rule(ListenerArn=listener["ListenerArn"], Priority=prio,
                                Actions=forward, Conditions=[
                                    {"Field": "http-header", "HttpHeaderConfig": {
                                        "HttpHeaderName": header[0], "Values": [header[1]]}},
                                    {"Field": "path-pattern", "Values": [path]}])
        with self.lock:
            self.albs.append({"arn": lb["LoadBalancerArn"], "region": region,
                              "domain": lb["DNSName"], "header": header if guarded else None})
        self.count("albs")

    # -- phase 2: web ACLs (REGIONAL ones associate with phase-1 resources) -----

    def web_acl(self, scope: str, region: str, i: int, associate: str | None) -> None:
        waf = self.aws("wafv2", region)
        name = f"b-{'cf' if scope == 'CLOUDFRONT' else SHORT[region]}-acl-{i:05d}"
        rules: list[dict[str, Any]] = []
        if i % 4 != 3:
            rules.append({"Name": "rate", "Priority": 0, "Action": {"Block": {}},
                          "Statement": {"RateBasedStatement": {"Limit": 2000,
                                                               "AggregateKeyType": "IP"}},
                          "VisibilityConfig": vis("rate")})
        for k, group in enumerate(MANAGED[: 1 + i % 3]):
            rules.append({"Name": group, "Priority": k + 1,
                          "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS",
                                                                      "Name": group}},
                          "OverrideAction": {"Count" if i % 5 == 0 else "None": {}},
                          "VisibilityConfig": vis(group)})
        if scope == "REGIONAL":
            rules.append({"Name": "origin-verify", "Priority": 10, "Action": {"Allow": {}},
                          "Statement": {"ByteMatchStatement": {
                              "SearchString": secret(f"origin-{region}-{i}").encode(),
                              "FieldToMatch": {"SingleHeader": {"Name": "x-origin-verify"}},
                              "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
                              "PositionalConstraint": "EXACTLY"}},
                          "VisibilityConfig": vis("originverify")})
        default = "Block" if scope == "REGIONAL" and i % 2 == 0 else "Allow"
        arn = waf.create_web_acl(Name=name, Scope=scope, DefaultAction={default: {}},
                                 Rules=rules, VisibilityConfig=vis(name))["Summary"]["ARN"]
        if i % 2 == 0:
            waf.put_logging_configuration(LoggingConfiguration={
                "ResourceArn": arn, "LogDestinationConfigs": [
                    f"arn:aws:logs:{region}:{ACCOUNT_ID}:log-group:aws-waf-logs-bench"]})
        if associate:
            waf.associate_web_acl(WebACLArn=arn, ResourceArn=associate)
        if scope == "CLOUDFRONT":
            with self.lock:
                self.edge_acls.append(arn)
        self.count(f"web_acls_{scope.lower()}")

    # -- phase 3: distributions over the phase-1 origins ----------------------

    def distribution(self, i: int) -> None:
        origins, behaviors = [], []
        rest = self.rest_apis[i % len(self.rest_apis)]
        picks = [("api", rest["domain"], "/prod", {"x-origin-verify": secret(f"origin-{i}")})]
        if i % 2 == 0 and self.albs:
            alb = self.albs[i % len(self.albs)]
            headers = dict([alb["header"]]) if alb["header"] else {}
            picks.append(("alb", alb["domain"], "", headers))
        if i % 3 == 0 and self.urls:
            url = self.urls[i % len(self.urls)]
            picks.append(("fn", url["host"], "", {"x-api-key": secret(f"key-{i}", 24)}))
        if i % 5 == 0 and self.http_apis:
            http = self.http_apis[i % len(self.http_apis)]
            picks.append(("http", http["domain"], "", {}))
        for oid, domain, path, headers in picks:
            items = [{"HeaderName": k, "HeaderValue": v} for k, v in headers.items()]
            origins.append({
                "Id": oid, "DomainName": domain, "OriginPath": path,
                "CustomHeaders": {"Quantity": len(items), "Items": items},
                "CustomOriginConfig": {
                    "HTTPPort": 80, "HTTPSPort": 443,
                    "OriginProtocolPolicy": "http-only" if i % 11 == 0 else "https-only",
                    "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}})
            if oid != "api":
                behaviors.append(self._behavior(oid, f"/{oid}/*", i))
        default = self._behavior("api", None, i)
        acl = self.edge_acls[i % len(self.edge_acls)] if i % 4 else ""
        # Tagged as real accounts are (owner, environment): tags are read for suppressions.
        tags = {"Items": [{"Key": "team", "Value": f"team-{i % 7}"}, {"Key": "env", "Value": "prod"}]}
        dist = self.aws("cloudfront").create_distribution_with_tags(DistributionConfigWithTags={
            "Tags": tags, "DistributionConfig": {
            "CallerReference": f"bench-{i:06d}", "Comment": f"bench {i}", "Enabled": True,
            "PriceClass": "PriceClass_100", "HttpVersion": "http2and3",
            "Origins": {"Quantity": len(origins), "Items": origins},
            "DefaultCacheBehavior": default,
            "CacheBehaviors": {"Quantity": len(behaviors), "Items": behaviors},
            "ViewerCertificate": {"CloudFrontDefaultCertificate": True,
                                  "MinimumProtocolVersion": "TLSv1.2_2021"},
            "WebACLId": acl}})["Distribution"]
        with self.lock:
            self.distributions.append(dist["ARN"])
        self.count("distributions")

    @staticmethod
    def _behavior(origin: str, path: str | None, i: int) -> dict[str, Any]:
        b: dict[str, Any] = {
            "TargetOriginId": origin,
            "ViewerProtocolPolicy": "allow-all" if i % 9 == 0 else "redirect-to-https",
            "AllowedMethods": {"Quantity": len(ALL_METHODS), "Items": ALL_METHODS,
                               "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]}},
            "Compress": True,
        }
        if i % 6 == 0:  # legacy caching settings
            b["ForwardedValues"] = {"QueryString": True, "Cookies": {"Forward": "all"},
                                    "Headers": {"Quantity": 0, "Items": []}}
            b.update(MinTTL=0, DefaultTTL=86400, MaxTTL=31536000)
        else:
            b["CachePolicyId"] = CACHING_DISABLED
            b["OriginRequestPolicyId"] = ALL_VIEWER_EXCEPT_HOST_HEADER
        if path:
            b["PathPattern"] = path
        return b

    # -- phase 4: Shield protections, API keys and usage plans -----------------

    def shield(self, i: int) -> None:
        self.aws("shield").create_protection(Name=f"bench-shield-{i:05d}",
                                             ResourceArn=self.distributions[i])
        self.count("shield_protections")

    def usage_plan(self, j: int, apis: list[dict[str, Any]], keys_per_plan: int) -> None:
        region = apis[0]["region"]
        apigw = self.aws("apigateway", region)
        plan = apigw.create_usage_plan(
            name=f"b-{SHORT[region]}-plan-{j:05d}",
            apiStages=[{"apiId": a["id"], "stage": "prod"} for a in apis],
            throttle={"rateLimit": 100.0, "burstLimit": 200})["id"]
        for k in range(keys_per_plan):
            key = apigw.create_api_key(name=f"b-{SHORT[region]}-key-{j:05d}-{k}",
                                       value=secret(f"apikey-{j}-{k}", 40), enabled=True)["id"]
            apigw.create_usage_plan_key(usagePlanId=plan, keyId=key, keyType="API_KEY")
            self.count("api_keys")
        self.count("usage_plans")

    # -- all -------------------------------------------------------------------

    def seed(self) -> None:
        n = self.n
        self.run("base", [lambda r=r: self.base(r) for r in REGIONS])
        per_kind: list[list[Callable[[], Any]]] = []
        for kind, fn in (("rest_apis", self.rest_api), ("http_apis", self.http_api),
                         ("function_urls", self.function_url), ("albs", self.alb),
                         ("security_groups", self.security_group)):
            per_kind.append([lambda f=fn, r=region, i=i: f(r, i)
                             for region, idx in split(n[kind]).items() for i in idx])
        # Interleave the kinds (by position within each kind) so every service is
        # busy at once and the slow kinds do not all end up at the tail.
        longest = max(len(k) for k in per_kind)
        tasks = sorted(((j * longest // len(k), w, t) for w, k in enumerate(per_kind)
                        for j, t in enumerate(k)), key=lambda x: (x[0], x[1]))
        self.run("regional", [t for _, _, t in tasks])
        self.rest_apis.sort(key=lambda a: (a["region"], a["i"]))
        self.albs.sort(key=lambda a: a["domain"])
        self.urls.sort(key=lambda a: a["host"])
        self.http_apis.sort(key=lambda a: a["domain"])

        acl_tasks: list[Callable[[], Any]] = [
            lambda i=i: self.web_acl("CLOUDFRONT", EDGE_REGION, i, None)
            for i in range(n["web_acls_cloudfront"])]
        for region, idx in split(n["web_acls_regional"]).items():
            # Half the regional ACLs guard a stage, a quarter an ALB, the rest nothing.
            stages = [a["stage_arn"] for a in self.rest_apis if a["region"] == region]
            albs = [a["arn"] for a in self.albs if a["region"] == region]
            for k, i in enumerate(idx):
                target = (stages[k] if k % 4 < 2 and k < len(stages) else
                          albs[k] if k % 4 == 2 and k < len(albs) else None)
                acl_tasks.append(lambda r=region, i=i, t=target: self.web_acl("REGIONAL", r, i, t))
        self.run("web_acls", acl_tasks)
        self.edge_acls.sort()

        self.run("distributions", [lambda i=i: self.distribution(i)
                                   for i in range(n["distributions"])])
        self.distributions.sort()

        extra: list[Callable[[], Any]] = [lambda i=i: self.shield(i)
                                          for i in range(n["shield_protections"])]
        keys_per_plan = n["api_keys"] // n["usage_plans"]
        per_region: dict[str, list[dict[str, Any]]] = {r: [] for r in REGIONS}
        for a in self.rest_apis:
            if a["i"] % 5 == 1:
                per_region[a["region"]].append(a)
        for j in range(n["usage_plans"]):
            pool = per_region[REGIONS[j % len(REGIONS)]]
            apis = pool[(j // 2) * 2 % max(1, len(pool)):][:2] or pool[:2]
            if apis:
                extra.append(lambda j=j, a=apis: self.usage_plan(j, a, keys_per_plan))
        self.run("shield_and_usage_plans", extra)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--endpoint", required=True, help="moto server URL")
    p.add_argument("--scale", type=int, default=1, help="size multiplier (default 1)")
    p.add_argument("--workers", type=int, default=8, help="client threads (default 8)")
    p.add_argument("--reset", action="store_true", help="POST /moto-api/reset first")
    p.add_argument("--divide", type=int, default=1,
                   help="divide every count by N (a smaller account; default 1)")
    p.add_argument("--account", help="seed this account (through a role assumed there) "
                   "instead of moto's default 123456789012; implies no --reset")
    args = p.parse_args(argv)
    if args.scale < 1 or args.divide < 1:
        p.error("--scale and --divide must be >= 1")

    global ACCOUNT_ID
    if args.account:
        ACCOUNT_ID = args.account
    aws = Aws(args.endpoint, args.workers, args.account)
    if args.reset and not args.account:
        aws.moto_api("reset")
    if not args.account:
        aws.moto_api("seed?a=42")
    start = time.monotonic()
    seeder = Seeder(aws, args.scale, args.workers, args.divide)
    seeder.seed()
    total = round(time.monotonic() - start, 2)
    json.dump({"scale": args.scale, "divide": args.divide, "account": ACCOUNT_ID, "regions": list(REGIONS), "workers": args.workers,
               "made": dict(sorted(seeder.made.items())), "calls": aws.calls, "retries": aws.retries,
               "seconds": total, "phases": seeder.phases}, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
