#!/usr/bin/env python3
"""Seed a moto server with realistic AWS edge perimeters for edge-audit's tests.

    python seed.py --endpoint http://127.0.0.1:5055 --scenario apigw-ip-allowlist-good \
                   [--scenario ...] [--reset] [--seed 42]
    python seed.py --list

Each scenario builds one of twenty-three CloudFront-fronted architectures (the
five seeds, the origin locks of 2024-2025 and the gates of issue #13: see
ARCHITECTURES), either done right (`<arch>-good`) or with the classic mistakes
from the public write-ups (`<arch>-bad`). Every mistake is recorded with `ctx.mistake(CHECK_ID, why)`,
next to the code that makes it, so the check ids edge-audit should report are
both documented here and listed in the manifest.

stdout gets exactly one JSON object, the manifest (see README.md). Secret
header values are test data and appear only under each scenario's
`secret_values`, so tests can assert that edge-audit never prints them.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field
from typing import Any, Callable

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ACCOUNT_ID = "123456789012"
# A second account (a partner or a workload account of the same organization), entered through
# sts AssumeRole of PARTNER_ROLE, which the seeder creates there trusting ACCOUNT_ID.
PARTNER_ACCOUNT_ID = "210987654321"
PARTNER_ROLE = "edge-audit-readonly"
EDGE_REGION = "us-east-1"  # CloudFront, CLOUDFRONT-scope WAF, Lambda@Edge, Shield

# AWS managed CloudFront policies (ids are the same in every account).
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"

MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
)
CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing"
CLOUDFRONT_PREFIX_LIST_V6 = "com.amazonaws.global.ipv6.cloudfront.origin-facing"
ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
READ_METHODS = ["GET", "HEAD"]

LAMBDA_SOURCE = b"def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n"


# --------------------------------------------------------------------------
# Plumbing: clients, per-scenario context, deterministic secrets
# --------------------------------------------------------------------------


class Aws:
    """boto3 clients against the moto endpoint, cached per (service, region)."""

    def __init__(self, endpoint: str, credentials: dict[str, str] | None = None):
        self.endpoint = endpoint.rstrip("/")
        credentials = credentials or {"AccessKeyId": "testing", "SecretAccessKey": "testing",
                                      "SessionToken": "testing"}
        self._session = boto3.session.Session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )
        self._clients: dict[tuple[str, str], Any] = {}
        self._partner: Aws | None = None

    def partner(self) -> "Aws":
        """Clients in PARTNER_ACCOUNT_ID: its role PARTNER_ROLE (created on first use, trusting
        ACCOUNT_ID, as edge-audit's role template does), assumed from here."""
        if self._partner is None:
            role_arn = f"arn:aws:iam::{PARTNER_ACCOUNT_ID}:role/{PARTNER_ROLE}"
            bootstrap = self.client("sts").assume_role(
                RoleArn=f"arn:aws:iam::{PARTNER_ACCOUNT_ID}:role/OrganizationAccountAccessRole",
                RoleSessionName="edge-audit-seed")["Credentials"]
            iam = Aws(self.endpoint, bootstrap).client("iam")
            trust = {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"},
                "Action": "sts:AssumeRole"}]}
            try:
                iam.create_role(RoleName=PARTNER_ROLE, AssumeRolePolicyDocument=json.dumps(trust))
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "EntityAlreadyExists":
                    raise
            credentials = self.client("sts").assume_role(
                RoleArn=role_arn, RoleSessionName="edge-audit-seed")["Credentials"]
            self._partner = Aws(self.endpoint, credentials)
        return self._partner

    def client(self, service: str, region: str = EDGE_REGION) -> Any:
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = self._session.client(
                service,
                region_name=region,
                endpoint_url=self.endpoint,
                config=Config(retries={"max_attempts": 1}),
            )
        return self._clients[key]

    def moto_api(self, path: str) -> None:
        req = urllib.request.Request(f"{self.endpoint}/moto-api/{path}", method="POST")
        urllib.request.urlopen(req, timeout=30).read()


@dataclass
class Ctx:
    """What one scenario creates, and the manifest entry describing it."""

    aws: Aws
    scenario: str
    architecture: str
    variant: str
    region: str
    entry: dict[str, Any] = field(default_factory=dict)
    account: str = ACCOUNT_ID  # the account `aws` acts in
    fn_role: str | None = None  # execution role shared by the scenario's functions
    # What the emulator (tests/moto/emulator/) answers for this scenario where moto cannot:
    # `{service: {kind: ...}}`, posted to its `/_emulator/scenario` after seeding.
    emulated: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.entry = {
            "architecture": self.architecture,
            "variant": self.variant,
            "region": self.region,
            "edge_region": EDGE_REGION,
            "expected_checks": [],
            "mistakes": [],
            "secret_headers": [],
            "secret_values": [],
        }

    def name(self, suffix: str) -> str:
        """Unique resource name: scenarios seeded together never collide."""
        return f"{self.scenario}-{suffix}"

    def short_name(self, suffix: str) -> str:
        """Unique name within ELB's 32-char limit: architecture initials,
        e.g. alb-prefix-list-header-bad + alb-open -> aplh-bad-alb-open."""
        initials = "".join(word[0] for word in self.architecture.split("-"))
        name = f"{initials}-{self.variant}-{suffix}"
        assert len(name) <= 32, name
        return name

    def client(self, service: str, region: str | None = None) -> Any:
        return self.aws.client(service, region or self.region)

    def in_partner_account(self) -> "Ctx":
        """The same scenario acting in PARTNER_ACCOUNT_ID: what it creates goes into this
        scenario's manifest entry (resources carry their account in their ARNs)."""
        other = Ctx(self.aws.partner(), self.scenario, self.architecture, self.variant,
                    self.region, account=PARTNER_ACCOUNT_ID)
        other.entry = self.entry
        other.emulated = self.emulated
        return other

    def add(self, kind: str, **item: Any) -> dict[str, Any]:
        """A manifest item; one created in another account than moto's says which (`account`)."""
        if self.account != ACCOUNT_ID:
            item.setdefault("account", self.account)
        self.entry.setdefault(kind, []).append(item)
        return item

    def emulate(self, service: str, kind: str, value: Any) -> None:
        """Scenario data for the emulator: a list kind is appended to, a dict kind merged. The
        emulator answers each account from its own data: what a scenario emulates in another
        account than moto's goes under `"accounts": {account: ...}`."""
        root = self.emulated
        if self.account != ACCOUNT_ID:
            root = root.setdefault("accounts", {}).setdefault(self.account, {})
        kinds = root.setdefault(service, {})
        if isinstance(value, list):
            kinds.setdefault(kind, []).extend(value)
        elif isinstance(value, dict):
            _deep_merge(kinds.setdefault(kind, {}), value)
        else:
            kinds[kind] = value

    def mistake(self, check: str, why: str) -> None:
        """Record a deliberate misconfiguration edge-audit must report as `check`."""
        self.entry["mistakes"].append({"check": check, "why": why})
        if check not in self.entry["expected_checks"]:
            self.entry["expected_checks"].append(check)

    def secret(self, label: str, length: int = 48) -> str:
        """Strong, random-looking, but reproducible secret (no RNG involved)."""
        digest = hashlib.sha512(f"edge-audit/moto/{self.scenario}/{label}".encode()).digest()
        value = base64.urlsafe_b64encode(digest).decode().rstrip("=")[:length]
        return self.weak_secret(value)

    def weak_secret(self, value: str) -> str:
        """Register a literal secret value (weak on purpose in -bad scenarios)."""
        if value not in self.entry["secret_values"]:
            self.entry["secret_values"].append(value)
        return value

    @property
    def good(self) -> bool:
        return self.variant == "good"


# --------------------------------------------------------------------------
# WAFv2
# --------------------------------------------------------------------------


def _deep_merge(into: dict[str, Any], value: dict[str, Any]) -> None:
    for key, item in value.items():
        if isinstance(item, dict) and isinstance(into.get(key), dict):
            _deep_merge(into[key], item)
        else:
            into[key] = item


def _visibility(metric: str) -> dict[str, Any]:
    return {
        "SampledRequestsEnabled": True,
        "CloudWatchMetricsEnabled": True,
        "MetricName": metric.replace("-", "")[:128],
    }


def managed_rule(name: str, priority: int, override: str = "None") -> dict[str, Any]:
    """AWS managed rule group; override "None" enforces it, "Count" only counts."""
    return {
        "Name": name,
        "Priority": priority,
        "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": name}},
        "OverrideAction": {override: {}},
        "VisibilityConfig": _visibility(name),
    }


def rate_rule(priority: int, limit: int = 2000, action: str = "Block") -> dict[str, Any]:
    return {
        "Name": "rate-limit-per-ip",
        "Priority": priority,
        "Statement": {"RateBasedStatement": {"Limit": limit, "AggregateKeyType": "IP"}},
        "Action": {action: {}},
        "VisibilityConfig": _visibility("ratelimit"),
    }


def baseline_rules(override: str = "None") -> list[dict[str, Any]]:
    """Blocking rate limit + the three AWS managed rule groups (priorities 0-3)."""
    rules = [rate_rule(0)]
    rules += [managed_rule(n, i + 1, override) for i, n in enumerate(MANAGED_RULE_GROUPS)]
    return rules


def ip_set_rule(name: str, priority: int, ip_set_arns: list[str]) -> dict[str, Any]:
    """Allow when the source IP is in the set(s); several sets are ANDed."""
    refs = [{"IPSetReferenceStatement": {"ARN": arn}} for arn in ip_set_arns]
    statement = refs[0] if len(refs) == 1 else {"AndStatement": {"Statements": refs}}
    return {
        "Name": name,
        "Priority": priority,
        "Statement": statement,
        "Action": {"Allow": {}},
        "VisibilityConfig": _visibility(name),
    }


def header_rule(
    header: str, value: str, priority: int, action: str = "Allow"
) -> dict[str, Any]:
    """Match requests carrying the CloudFront origin secret header."""
    return {
        "Name": f"allow-{header.lower()}",
        "Priority": priority,
        "Statement": {
            "ByteMatchStatement": {
                "SearchString": value.encode(),
                "FieldToMatch": {"SingleHeader": {"Name": header.lower()}},
                "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
                "PositionalConstraint": "EXACTLY",
            }
        },
        "Action": {action: {}},
        "VisibilityConfig": _visibility(f"origin{header}"),
    }


def ip_set(ctx: Ctx, suffix: str, addresses: list[str], scope: str = "CLOUDFRONT") -> str:
    region = EDGE_REGION if scope == "CLOUDFRONT" else ctx.region
    summary = ctx.client("wafv2", region).create_ip_set(
        Name=ctx.name(suffix),
        Scope=scope,
        IPAddressVersion="IPV4",
        Addresses=addresses,
        Description=f"{ctx.scenario} {suffix}",
    )["Summary"]
    ctx.add("ip_sets", name=summary["Name"], id=summary["Id"], arn=summary["ARN"],
            scope=scope, addresses=addresses)
    return summary["ARN"]


def web_acl(
    ctx: Ctx,
    suffix: str,
    *,
    scope: str,
    default: str,
    rules: list[dict[str, Any]],
    logging: bool,
    associate: list[str] = (),
) -> str:
    """Create a web ACL, optionally log it and associate it with regional resources.

    CLOUDFRONT-scope ACLs are attached through the distribution's WebACLId,
    never through associate_web_acl (which rejects CloudFront ARNs in AWS).
    """
    region = EDGE_REGION if scope == "CLOUDFRONT" else ctx.region
    waf = ctx.client("wafv2", region)
    name = ctx.name(suffix)
    summary = waf.create_web_acl(
        Name=name,
        Scope=scope,
        DefaultAction={default: {}},
        Rules=rules,
        VisibilityConfig=_visibility(name),
        Description=f"{ctx.scenario} {suffix}",
    )["Summary"]
    arn = summary["ARN"]
    if logging:
        # WAF only logs to destinations named aws-waf-logs-*.
        group = f"aws-waf-logs-{name}"
        ctx.client("logs", region).create_log_group(logGroupName=group)
        waf.put_logging_configuration(
            LoggingConfiguration={
                "ResourceArn": arn,
                "LogDestinationConfigs": [
                    f"arn:aws:logs:{region}:{ctx.account}:log-group:{group}"
                ],
            }
        )
    for resource_arn in associate:
        waf.associate_web_acl(WebACLArn=arn, ResourceArn=resource_arn)
    ctx.add("web_acls", name=name, id=summary["Id"], arn=arn, scope=scope, region=region,
            default_action=default, logging=logging, associated_to=list(associate),
            account=ctx.account)
    return arn


def edge_web_acl(ctx: Ctx, extra_rules: list[dict[str, Any]] = (), default: str = "Allow") -> str:
    """Correct CLOUDFRONT web ACL: rate limit + managed groups enforced, logged."""
    return web_acl(ctx, "edge-acl", scope="CLOUDFRONT", default=default,
                   rules=baseline_rules() + list(extra_rules), logging=True)


def origin_verify_acl(ctx: Ctx, header: str, value: str, associate: list[str]) -> str:
    """Correct REGIONAL web ACL: block unless the CloudFront secret header matches."""
    return web_acl(ctx, "origin-acl", scope="REGIONAL", default="Block",
                   rules=[header_rule(header, value, 0)], logging=True, associate=associate)


# --------------------------------------------------------------------------
# CloudFront
# --------------------------------------------------------------------------


def custom_origin(
    origin_id: str,
    domain: str,
    *,
    path: str = "",
    headers: dict[str, str] | None = None,
    protocol: str = "https-only",
    ssl: tuple[str, ...] = ("TLSv1.2",),
) -> dict[str, Any]:
    items = [{"HeaderName": k, "HeaderValue": v} for k, v in (headers or {}).items()]
    return {
        "Id": origin_id,
        "DomainName": domain,
        "OriginPath": path,
        "CustomHeaders": {"Quantity": len(items), "Items": items},
        "CustomOriginConfig": {
            "HTTPPort": 80,
            "HTTPSPort": 443,
            "OriginProtocolPolicy": protocol,
            "OriginSslProtocols": {"Quantity": len(ssl), "Items": list(ssl)},
        },
    }


def s3_oac_origin(ctx: Ctx, origin_id: str, bucket: str) -> dict[str, Any]:
    """Private S3 REST origin signed with an origin access control."""
    oac = ctx.client("cloudfront", EDGE_REGION).create_origin_access_control(
        OriginAccessControlConfig={
            "Name": ctx.name("oac"),
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]
    ctx.add("origin_access_controls", id=oac["Id"], name=ctx.name("oac"))
    return {
        "Id": origin_id,
        "DomainName": f"{bucket}.s3.{EDGE_REGION}.amazonaws.com",
        "OriginPath": "",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
        "OriginAccessControlId": oac["Id"],
    }


def behavior(
    origin_id: str,
    *,
    path: str | None = None,
    viewer: str = "redirect-to-https",
    methods: list[str] = ALL_METHODS,
    cache_policy: str | None = CACHING_DISABLED,
    origin_request_policy: str | None = ALL_VIEWER_EXCEPT_HOST_HEADER,
    legacy_ttl: int | None = None,
    lambda_edge_arn: str | None = None,
) -> dict[str, Any]:
    """A cache behavior. API behaviors default to CachingDisabled +
    AllViewerExceptHostHeader; `legacy_ttl` switches to ForwardedValues/TTLs."""
    cached = [m for m in methods if m in ("GET", "HEAD", "OPTIONS")][:2] or READ_METHODS
    b: dict[str, Any] = {
        "TargetOriginId": origin_id,
        "ViewerProtocolPolicy": viewer,
        "AllowedMethods": {
            "Quantity": len(methods),
            "Items": methods,
            "CachedMethods": {"Quantity": len(cached), "Items": cached},
        },
        "Compress": True,
    }
    if legacy_ttl is not None:
        b["ForwardedValues"] = {
            "QueryString": True,
            "Cookies": {"Forward": "all"},
            "Headers": {"Quantity": 1, "Items": ["Origin"]},
        }
        b.update(MinTTL=0, DefaultTTL=legacy_ttl, MaxTTL=max(legacy_ttl, 31536000))
    else:
        b["CachePolicyId"] = cache_policy
        if origin_request_policy:
            b["OriginRequestPolicyId"] = origin_request_policy
    if lambda_edge_arn:
        b["LambdaFunctionAssociations"] = {
            "Quantity": 1,
            "Items": [{"LambdaFunctionARN": lambda_edge_arn, "EventType": "origin-request",
                       "IncludeBody": True}],
        }
    if path is not None:
        b["PathPattern"] = path
    return b


def distribution(
    ctx: Ctx,
    *,
    origins: list[dict[str, Any]],
    default: dict[str, Any],
    behaviors: list[dict[str, Any]] = (),
    web_acl_arn: str | None = None,
    shield: bool = False,
) -> dict[str, Any]:
    config: dict[str, Any] = {
        "CallerReference": ctx.name("distribution"),
        "Comment": ctx.scenario,
        "Enabled": True,
        "PriceClass": "PriceClass_100",
        "HttpVersion": "http2and3",
        "Origins": {"Quantity": len(origins), "Items": origins},
        "DefaultCacheBehavior": default,
        "CacheBehaviors": {"Quantity": len(behaviors), "Items": list(behaviors)},
        "ViewerCertificate": {
            "CloudFrontDefaultCertificate": True,
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
        "WebACLId": web_acl_arn or "",
    }
    dist = ctx.client("cloudfront", EDGE_REGION).create_distribution(
        DistributionConfig=config
    )["Distribution"]
    item = ctx.add(
        "distributions",
        id=dist["Id"],
        arn=dist["ARN"],
        domain_name=dist["DomainName"],
        web_acl_arn=web_acl_arn,
        origins={o["Id"]: o["DomainName"] for o in origins},
    )
    for o in origins:
        for h in o.get("CustomHeaders", {}).get("Items", []):
            ctx.entry["secret_headers"].append(
                {"distribution_id": dist["Id"], "origin_id": o["Id"], "header": h["HeaderName"]}
            )
    if shield:
        protect_with_shield(ctx, dist["ARN"])
    else:
        # EA112: no Shield Advanced protection on the distribution.
        ctx.mistake("EA112", "distribution has no Shield Advanced protection")
    return item


def protect_with_shield(ctx: Ctx, resource_arn: str) -> None:
    shield = ctx.client("shield", EDGE_REGION)
    shield.create_subscription()  # account-wide; moto just (re)creates it
    pid = shield.create_protection(Name=ctx.name("shield"), ResourceArn=resource_arn)[
        "ProtectionId"
    ]
    ctx.add("shield_protections", id=pid, resource_arn=resource_arn)


# --------------------------------------------------------------------------
# S3, IAM, Lambda
# --------------------------------------------------------------------------


def site_bucket(ctx: Ctx, website: bool) -> str:
    """Static-site bucket (us-east-1); `website` turns on website hosting."""
    name = ctx.name("site")
    s3 = ctx.client("s3", EDGE_REGION)
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="index.html", Body=b"delicious")
    if website:
        s3.put_bucket_website(
            Bucket=name, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}}
        )
    else:
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True,
            "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
        })
    ctx.add("buckets", name=name, website=website)
    return name


def allow_oac_reads(ctx: Ctx, bucket: str, distribution_arn: str) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{bucket}/*",
            "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
        }],
    }
    ctx.client("s3", EDGE_REGION).put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))


def lambda_role(ctx: Ctx, edge: bool = False) -> str:
    services = ["lambda.amazonaws.com"] + (["edgelambda.amazonaws.com"] if edge else [])
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": services},
                       "Action": "sts:AssumeRole"}],
    }
    name = ctx.name("edge-role" if edge else "fn-role")
    return ctx.client("iam", EDGE_REGION).create_role(
        RoleName=name, AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]


def _zip(source: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("index.py", source)
    return buf.getvalue()


def lambda_function(
    ctx: Ctx, suffix: str, *, region: str | None = None, edge: bool = False,
    url_auth: str | None = None,
) -> dict[str, Any]:
    """A Python Lambda; `edge` publishes a version (Lambda@Edge needs one),
    `url_auth` ("NONE"/"AWS_IAM") adds a function URL."""
    region = region or ctx.region
    lam = ctx.client("lambda", region)
    name = ctx.name(suffix)
    fn = lam.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=lambda_role(ctx, edge=edge) if edge else _shared_role(ctx),
        Handler="index.handler",
        Code={"ZipFile": _zip(LAMBDA_SOURCE)},
        Publish=edge,
    )
    item: dict[str, Any] = {"name": name, "arn": fn["FunctionArn"], "region": region}
    if edge:
        item["version_arn"] = f"{fn['FunctionArn']}:{fn['Version']}"
    if url_auth:
        url = lam.create_function_url_config(FunctionName=name, AuthType=url_auth)
        if url_auth == "NONE":
            lam.add_permission(
                FunctionName=name, StatementId="public-url", Action="lambda:InvokeFunctionUrl",
                Principal="*", FunctionUrlAuthType="NONE",
            )
        item.update(url=url["FunctionUrl"], url_auth=url_auth)
    return ctx.add("lambda_functions", **item)


def _shared_role(ctx: Ctx) -> str:
    if ctx.fn_role is None:
        ctx.fn_role = lambda_role(ctx)
    return ctx.fn_role


def url_host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0]


# --------------------------------------------------------------------------
# API Gateway
# --------------------------------------------------------------------------


@dataclass
class Route:
    path: str  # e.g. "/api/{proxy+}"
    method: str = "ANY"
    auth: str = "NONE"  # NONE | AWS_IAM | CUSTOM (the API's Lambda authorizer)
    key_required: bool = False


def rest_api(
    ctx: Ctx,
    suffix: str,
    routes: list[Route],
    *,
    endpoint: str = "REGIONAL",
    key_source: str = "HEADER",
    stage: str = "prod",
    throttle: bool = True,
    backend: dict[str, Any] | None = None,
    authorizer: tuple[str, dict[str, Any]] | None = None,
    more_stages: tuple[str, ...] = (),
    disable_default_endpoint: bool = False,
) -> dict[str, Any]:
    """REST API with `routes`, deployed to `stage` (and `more_stages`, same deployment).

    backend: a lambda_function() item for AWS_PROXY integrations, else MOCK.
    throttle: stage-wide method settings (`/*/*/throttling/...`).
    authorizer: (identity source, lambda_function() item): a REQUEST Lambda authorizer (result
    cache on, 300 s) that the CUSTOM routes use.
    disable_default_endpoint: `disableExecuteApiEndpoint` (only custom domains reach the API).
    """
    apigw = ctx.client("apigateway")
    api = apigw.create_rest_api(
        name=ctx.name(suffix),
        endpointConfiguration={"types": [endpoint]},
        apiKeySource=key_source,
        disableExecuteApiEndpoint=disable_default_endpoint,
    )
    api_id = api["id"]
    authorizer_id = None
    if authorizer:
        source, function = authorizer
        authorizer_id = apigw.create_authorizer(
            restApiId=api_id, name=ctx.name("authorizer"), type="REQUEST",
            authorizerUri=f"arn:aws:apigateway:{ctx.region}:lambda:path/2015-03-31/functions/"
                          f"{function['arn']}/invocations",
            identitySource=source, authorizerResultTtlInSeconds=300,
        )["id"]
    resource_ids = {"/": api["rootResourceId"]}

    def resource(path: str) -> str:
        if path not in resource_ids:
            parent, _, part = path.rpartition("/")
            resource_ids[path] = apigw.create_resource(
                restApiId=api_id, parentId=resource(parent or "/"), pathPart=part
            )["id"]
        return resource_ids[path]

    if backend:
        integration = {"type": "AWS_PROXY", "integrationHttpMethod": "POST",
                       "uri": f"arn:aws:apigateway:{ctx.region}:lambda:path/2015-03-31"
                              f"/functions/{backend['arn']}/invocations"}
    else:
        integration = {"type": "MOCK",
                       "requestTemplates": {"application/json": '{"statusCode": 200}'}}
    for r in routes:
        rid = resource(r.path)
        custom = {"authorizerId": authorizer_id} if r.auth == "CUSTOM" and authorizer_id else {}
        apigw.put_method(restApiId=api_id, resourceId=rid, httpMethod=r.method,
                         authorizationType=r.auth, apiKeyRequired=r.key_required, **custom)
        apigw.put_integration(restApiId=api_id, resourceId=rid, httpMethod=r.method,
                              **integration)
    deployment = apigw.create_deployment(restApiId=api_id, stageName=stage)["id"]
    for name in more_stages:
        apigw.create_stage(restApiId=api_id, stageName=name, deploymentId=deployment)
    for name in (stage, *more_stages):
        if throttle:
            apigw.update_stage(restApiId=api_id, stageName=name, patchOperations=[
                {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "100"},
                {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "200"},
            ])
    stage_arn = f"arn:aws:apigateway:{ctx.region}::/restapis/{api_id}/stages/{{}}"
    return ctx.add(
        "rest_apis",
        id=api_id,
        name=ctx.name(suffix),
        region=ctx.region,
        endpoint_type=endpoint,
        api_key_source=key_source,
        stage=stage,
        stage_arn=stage_arn.format(stage),
        more_stages=list(more_stages),
        stage_arns=[stage_arn.format(name) for name in more_stages],
        authorizer_id=authorizer_id,
        disable_execute_api_endpoint=disable_default_endpoint,
        domain=f"{api_id}.execute-api.{ctx.region}.amazonaws.com",
        routes=[r.__dict__ for r in routes],
    )


def api_key_plan(ctx: Ctx, api: dict[str, Any], value: str, in_plan: bool) -> None:
    """API key with `value`; `in_plan` puts the stage and key in a usage plan."""
    apigw = ctx.client("apigateway")
    key = apigw.create_api_key(name=ctx.name("cloudfront-key"), value=value, enabled=True)
    ctx.add("api_keys", id=key["id"], name=key["name"], api_id=api["id"])
    if not in_plan:
        return
    plan = apigw.create_usage_plan(
        name=ctx.name("plan"),
        apiStages=[{"apiId": api["id"], "stage": api["stage"]}],
        throttle={"rateLimit": 100.0, "burstLimit": 200},
    )
    apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    ctx.add("usage_plans", id=plan["id"], name=plan["name"], api_id=api["id"],
            stage=api["stage"], key_id=key["id"])


def http_api(ctx: Ctx, suffix: str, route_auth: dict[str, str]) -> dict[str, Any]:
    """apigatewayv2 HTTP API; route_auth maps route keys to NONE/AWS_IAM."""
    v2 = ctx.client("apigatewayv2")
    api = v2.create_api(Name=ctx.name(suffix), ProtocolType="HTTP")
    for key, auth in route_auth.items():
        v2.create_route(ApiId=api["ApiId"], RouteKey=key, AuthorizationType=auth)
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True,
                    DefaultRouteSettings={"ThrottlingRateLimit": 100.0,
                                          "ThrottlingBurstLimit": 200})
    return ctx.add("http_apis", id=api["ApiId"], name=ctx.name(suffix),
                   endpoint=api["ApiEndpoint"], region=ctx.region, routes=route_auth)


def api_origin(api: dict[str, Any], origin_id: str, *, headers: dict[str, str] | None = None,
               path: str | None = None) -> dict[str, Any]:
    """CloudFront origin for a REST API's execute-api domain; path = /<stage>."""
    return custom_origin(origin_id, api["domain"], headers=headers,
                         path=f"/{api['stage']}" if path is None else path)


# --------------------------------------------------------------------------
# VPC, security groups, ALB, EC2
# --------------------------------------------------------------------------


def vpc(ctx: Ctx) -> tuple[str, list[str]]:
    ec2 = ctx.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "Name", "Value": ctx.name("vpc")}])
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.20.{i}.0/24",
                          AvailabilityZone=f"{ctx.region}{az}")["Subnet"]["SubnetId"]
        for i, az in enumerate("ab")
    ]
    ctx.add("vpcs", id=vpc_id, subnets=subnets)
    return vpc_id, subnets


def cloudfront_prefix_list(ctx: Ctx) -> str:
    lists = ctx.client("ec2").describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": [CLOUDFRONT_PREFIX_LIST]}]
    )["PrefixLists"]
    return lists[0]["PrefixListId"]


def cloudfront_prefix_list_v6(ctx: Ctx) -> str:
    """CloudFront's IPv6 origin-facing list, which AWS has in every region and moto 5.2.5 does not
    (the emulator adds it to DescribeManagedPrefixLists, owner AWS, as AWS answers)."""
    pl_id = "pl-" + hashlib.sha256(f"{CLOUDFRONT_PREFIX_LIST_V6}/{ctx.region}".encode()).hexdigest()[:17]
    ctx.emulate("ec2", "managed_prefix_lists", {ctx.region: {pl_id: {
        "prefixListId": pl_id, "addressFamily": "IPv6", "state": "create-complete",
        "prefixListArn": f"arn:aws:ec2:{ctx.region}:aws:prefix-list/{pl_id}",
        "prefixListName": CLOUDFRONT_PREFIX_LIST_V6, "maxEntries": 55, "version": 1,
        "ownerId": "AWS"}}})
    return pl_id


def tcp(port: int, *, cidr: str | None = None, prefix_list: str | None = None,
        group: str | None = None) -> dict[str, Any]:
    """One TCP ingress permission from a CIDR (IPv4 or IPv6), a prefix list or another SG."""
    perm: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
    if cidr and ":" in cidr:
        perm["Ipv6Ranges"] = [{"CidrIpv6": cidr}]
    elif cidr:
        perm["IpRanges"] = [{"CidrIp": cidr}]
    if prefix_list:
        perm["PrefixListIds"] = [{"PrefixListId": prefix_list}]
    if group:
        perm["UserIdGroupPairs"] = [{"GroupId": group}]
    return perm


def security_group(ctx: Ctx, vpc_id: str, role: str, ingress: list[dict[str, Any]]) -> str:
    ec2 = ctx.client("ec2")
    name = ctx.name(role)
    sg = ec2.create_security_group(GroupName=name, Description=f"{role} ({ctx.scenario})",
                                   VpcId=vpc_id)["GroupId"]
    if ingress:
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=ingress)
    ctx.add("security_groups", id=sg, name=name, role=role)
    return sg


def instances(ctx: Ctx, subnet: str, sg: str, count: int = 2) -> list[str]:
    ec2 = ctx.client("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ids = [i["InstanceId"] for i in ec2.run_instances(
        ImageId=image, MinCount=count, MaxCount=count, InstanceType="t3.micro",
        SubnetId=subnet, SecurityGroupIds=[sg],
        TagSpecifications=[{"ResourceType": "instance",
                            "Tags": [{"Key": "Name", "Value": ctx.name("web")}]}],
    )["Instances"]]
    ctx.add("instances", ids=ids, security_group=sg)
    return ids


def certificate(ctx: Ctx, domain: str) -> str:
    return ctx.client("acm").request_certificate(DomainName=domain)["CertificateArn"]


def alb(
    ctx: Ctx,
    suffix: str,
    *,
    vpc_id: str,
    subnets: list[str],
    sg: str,
    targets: list[str],
    verify_header: tuple[str, str] | None,
    https: bool = True,
    scheme: str = "internet-facing",
    header_values: list[str] | None = None,
    http_listener: str | None = None,
    ip_address_type: str = "ipv4",
) -> dict[str, Any]:
    """ALB (internet-facing unless `scheme` says internal) -> target group on :8080.

    verify_header=(name, value): default action is a fixed 403 and one rule
    forwards only when the header matches (`header_values`: the condition's
    values instead, ORed, ALB wildcards allowed). None: the default action
    forwards. `http_listener` adds an HTTP :80 listener beside the HTTPS one
    whose default action "redirect"s to HTTPS or "forward"s.
    """
    elb = ctx.client("elbv2")
    lb = elb.create_load_balancer(Name=ctx.short_name(suffix), Subnets=subnets,
                                  SecurityGroups=[sg], Scheme=scheme, Type="application",
                                  IpAddressType=ip_address_type)["LoadBalancers"][0]
    tg = elb.create_target_group(Name=ctx.short_name(f"{suffix}-tg"), Protocol="HTTP",
                                 Port=8080, VpcId=vpc_id, TargetType="instance",
                                 HealthCheckPath="/health")["TargetGroups"][0]
    elb.register_targets(TargetGroupArn=tg["TargetGroupArn"],
                         Targets=[{"Id": i, "Port": 8080} for i in targets])
    forward = [{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}]
    deny = [{"Type": "fixed-response",
             "FixedResponseConfig": {"StatusCode": "403", "ContentType": "text/plain",
                                     "MessageBody": "Forbidden"}}]
    if https:
        cert = certificate(ctx, f"{suffix}.{ctx.scenario}.example.com")
        listener_args: dict[str, Any] = {
            "Protocol": "HTTPS", "Port": 443, "Certificates": [{"CertificateArn": cert}],
            "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}
    else:
        listener_args = {"Protocol": "HTTP", "Port": 80}
    listener = elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"],
                                   DefaultActions=deny if verify_header else forward,
                                   **listener_args)["Listeners"][0]
    rules = []
    if verify_header:
        name, value = verify_header
        rule = elb.create_rule(
            ListenerArn=listener["ListenerArn"], Priority=1, Actions=forward,
            Conditions=[{"Field": "http-header",
                         "HttpHeaderConfig": {"HttpHeaderName": name,
                                              "Values": header_values or [value]}}],
        )["Rules"][0]
        rules.append(rule["RuleArn"])
    extra = {}
    if http_listener:
        redirect = [{"Type": "redirect",
                     "RedirectConfig": {"Protocol": "HTTPS", "Port": "443",
                                        "StatusCode": "HTTP_301"}}]
        http = elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP",
                                   Port=80,
                                   DefaultActions=redirect if http_listener == "redirect"
                                   else forward)["Listeners"][0]
        extra["http_listener_arn"] = http["ListenerArn"]
    return ctx.add("load_balancers", arn=lb["LoadBalancerArn"], name=lb["LoadBalancerName"],
                   dns_name=lb["DNSName"], scheme=scheme, security_group=sg,
                   listener_arn=listener["ListenerArn"], protocol=listener_args["Protocol"],
                   rule_arns=rules, target_group_arn=tg["TargetGroupArn"], targets=targets,
                   **extra)


# --------------------------------------------------------------------------
# Architectures
# --------------------------------------------------------------------------


def static_site_origin(ctx: Ctx) -> tuple[dict[str, Any], str]:
    """The default-behavior S3 site: private bucket + OAC when good, public
    website endpoint (HTTP-only by nature) when bad."""
    bucket = site_bucket(ctx, website=not ctx.good)
    if ctx.good:
        return s3_oac_origin(ctx, "site", bucket), bucket
    # EA103: S3 website endpoints only speak HTTP, CloudFront->origin is plaintext.
    ctx.mistake("EA103", "S3 website origin with origin protocol http-only")
    # EA106: the public website endpoint serves the site around CloudFront.
    ctx.mistake("EA106", "S3 website origin is publicly reachable, not locked to CloudFront")
    return custom_origin("site", f"{bucket}.s3-website-{EDGE_REGION}.amazonaws.com",
                         protocol="http-only", ssl=("TLSv1", "TLSv1.1", "TLSv1.2")), bucket


def site_behavior(viewer: str = "redirect-to-https") -> dict[str, Any]:
    """Default behavior for the static site: cached, GET/HEAD only."""
    return behavior("site", viewer=viewer, methods=READ_METHODS,
                    cache_policy=CACHING_OPTIMIZED, origin_request_policy=None)


def lock_site_bucket(ctx: Ctx, dist: dict[str, Any], bucket: str) -> None:
    """Good scenarios: only the distribution (via OAC) may read the bucket."""
    if ctx.good:
        allow_oac_reads(ctx, bucket, dist["arn"])


def build_apigw_ip_allowlist(ctx: Ctx) -> None:
    """Seed 000: S3 site + REST API on /api*, CLOUDFRONT WAF IP allow-list."""
    office = ip_set(ctx, "office", ["203.0.113.10/32", "198.51.100.0/24"])
    if ctx.good:
        client = ip_set(ctx, "client", ["192.0.2.44/32"])
        # One allow rule per IP set (ORed), blocking default, baseline rules.
        acl = edge_web_acl(ctx, default="Block", extra_rules=[
            ip_set_rule("allow-office", 10, [office]),
            ip_set_rule("allow-client", 11, [client]),
        ])
        api = rest_api(ctx, "api", [Route("/api"), Route("/api/{proxy+}")])
        # The execute-api endpoint is locked with a stage ACL on a secret header.
        verify = ctx.secret("x-origin-verify")
        origin_verify_acl(ctx, "x-origin-verify", verify, associate=[api["stage_arn"]])
        api_o = api_origin(api, "api", headers={"x-origin-verify": verify})
        api_b = behavior("api", path="/api*")
        viewer = "redirect-to-https"
    else:
        client = ip_set(ctx, "client", [])
        # EA303: a rule references an IP set with no addresses.
        ctx.mistake("EA303", "rule allow-client references the empty IP set 'client'")
        # EA304: two IP sets ANDed in one rule - no request is in both.
        ctx.mistake("EA304", "rule allow-office-and-client ANDs two disjoint IP sets")
        # EA110/EA111/EA307: IP allow-list only, no managed rules, no rate limit, no logs.
        ctx.mistake("EA110", "edge web ACL has no AWS managed rule groups")
        ctx.mistake("EA111", "edge web ACL has no rate-based rule")
        ctx.mistake("EA307", "edge web ACL has no logging configuration")
        acl = web_acl(ctx, "edge-acl", scope="CLOUDFRONT", default="Block", logging=False,
                      rules=[ip_set_rule("allow-office-and-client", 0, [office, client]),
                             ip_set_rule("allow-client", 1, [client])])
        # EA201: EDGE endpoint type behind our own distribution (double CloudFront).
        ctx.mistake("EA201", "REST API is EDGE-optimized behind a CloudFront distribution")
        # EA207: no stage throttling.
        ctx.mistake("EA207", "stage prod has no throttling")
        api = rest_api(ctx, "api", [Route("/api"), Route("/api/{proxy+}")],
                       endpoint="EDGE", throttle=False)
        # EA202/EA203/EA204: default endpoint reachable with nothing checking origin.
        ctx.mistake("EA202", "execute-api endpoint reachable directly: no header ACL, key or IAM")
        ctx.mistake("EA203", "stage prod has no web ACL")
        ctx.mistake("EA204", "methods ANY /api and /api/{proxy+} have authorization NONE")
        # EA208: origin path /staging, but the API only has stage prod.
        ctx.mistake("EA208", "API origin path /staging does not name a deployed stage")
        api_o = api_origin(api, "api", path="/staging")
        # EA104: API behavior caches responses for a day (legacy TTL settings).
        ctx.mistake("EA104", "/api* behavior caches with DefaultTTL 86400")
        api_b = behavior("api", path="/api*", viewer="allow-all", legacy_ttl=86400)
        # EA102: viewer protocol allow-all on both behaviors.
        ctx.mistake("EA102", "viewer protocol policy allow-all")
        viewer = "allow-all"
    site_o, bucket = static_site_origin(ctx)
    dist = distribution(ctx, origins=[site_o, api_o], default=site_behavior(viewer),
                        behaviors=[api_b], web_acl_arn=acl, shield=ctx.good)
    lock_site_bucket(ctx, dist, bucket)


def build_apigw_regional_waf_header(ctx: Ctx) -> None:
    """Seed 001: REGIONAL REST API (eu-west-1) guarded by a REGIONAL web ACL that
    only allows requests bearing CloudFront's secret origin header."""
    fn = lambda_function(ctx, "app")
    proxy = [Route("/api/{proxy+}")]
    site_o, bucket = static_site_origin(ctx)
    if ctx.good:
        api = rest_api(ctx, "api", proxy, backend=fn)
        value = ctx.secret("x-origin-verify")
        origin_verify_acl(ctx, "x-origin-verify", value, associate=[api["stage_arn"]])
        origins = [site_o, api_origin(api, "api", headers={"x-origin-verify": value})]
        behaviors = [behavior("api", path="/api/*")]
        acl = edge_web_acl(ctx)
    else:
        weak = ctx.weak_secret("my-super-secret")
        # (a) EA203/EA202: API with no web ACL on its stage at all.
        no_acl = rest_api(ctx, "api-no-acl", proxy, backend=fn)
        ctx.mistake("EA203", "api-no-acl stage prod has no web ACL")
        ctx.mistake("EA202", "api-no-acl is reachable without the origin header")
        # (b) EA302: ACL default Allow, its only rule counts: it blocks nothing.
        allow_all = rest_api(ctx, "api-allow-all", proxy, backend=fn)
        web_acl(ctx, "origin-acl-allow", scope="REGIONAL", default="Allow", logging=False,
                rules=[header_rule("x-origin-verify", weak, 0, action="Count")],
                associate=[allow_all["stage_arn"]])
        ctx.mistake("EA302", "origin-acl-allow: default Allow and only a Count rule")
        # (c) EA305: ACL checks x-origin-verify, distribution sends x-origin-verified.
        mismatch = rest_api(ctx, "api-mismatch", proxy, backend=fn)
        web_acl(ctx, "origin-acl-mismatch", scope="REGIONAL", default="Block", logging=False,
                rules=[header_rule("x-origin-verify", weak, 0)],
                associate=[mismatch["stage_arn"]])
        ctx.mistake("EA305", "origin-acl-mismatch checks x-origin-verify, "
                             "the origin sends x-origin-verified")
        # EA307: neither origin ACL logs.
        ctx.mistake("EA307", "origin-acl-allow and origin-acl-mismatch have no logging")
        # EA107/EA108: dictionary secret, reused on three origins.
        ctx.mistake("EA107", "origin secret 'my-super-secret' is short and guessable")
        ctx.mistake("EA108", "same origin secret sent to three origins")
        ctx.mistake("EA204", "ANY /api/{proxy+} has authorization NONE")
        # (d) EA113/EA501: public Lambda function URL used as origin, no OAC.
        url_fn = lambda_function(ctx, "url-app", url_auth="NONE")
        ctx.mistake("EA501", "function URL of url-app has AuthType NONE")
        ctx.mistake("EA113", "Lambda function URL origin without origin access control")
        origins = [
            site_o,
            api_origin(no_acl, "api-no-acl", headers={"x-origin-verify": weak}),
            api_origin(allow_all, "api-allow-all", headers={"x-origin-verify": weak}),
            api_origin(mismatch, "api-mismatch", headers={"x-origin-verified": weak}),
            custom_origin("lambda-url", url_host(url_fn["url"])),
        ]
        behaviors = [behavior(o["Id"], path=f"/{o['Id']}/*") for o in origins[1:]]
        # EA306: managed rule groups overridden to Count on the edge ACL.
        ctx.mistake("EA306", "edge ACL managed rule groups all overridden to Count")
        acl = web_acl(ctx, "edge-acl", scope="CLOUDFRONT", default="Allow", logging=True,
                      rules=baseline_rules(override="Count"))
    dist = distribution(ctx, origins=origins, default=site_behavior(), behaviors=behaviors,
                        web_acl_arn=acl, shield=ctx.good)
    lock_site_bucket(ctx, dist, bucket)


def build_apigw_api_key(ctx: Ctx) -> None:
    """Seed 002: CloudFront injects x-api-key; the REST API requires the key."""
    site_o, bucket = static_site_origin(ctx)
    routes = [Route("/api", "GET", key_required=True),
              Route("/api/{proxy+}", "ANY", key_required=True)]
    if ctx.good:
        api = rest_api(ctx, "api", routes, key_source="HEADER")
        key = ctx.secret("x-api-key")
        api_key_plan(ctx, api, key, in_plan=True)
        acl = edge_web_acl(ctx)
    else:
        # EA204: one method does not require the key.
        routes[0].key_required = False
        ctx.mistake("EA204", "GET /api does not require the API key")
        # EA206: key source AUTHORIZER although CloudFront sends the x-api-key header.
        ctx.mistake("EA206", "apiKeySource AUTHORIZER with a header-injected key")
        api = rest_api(ctx, "api", routes, key_source="AUTHORIZER")
        # EA107: 20-character key; EA205: stage in no usage plan (key never works).
        key = ctx.weak_secret("cf-key-0123456789abc")
        ctx.mistake("EA107", "x-api-key value is 20 characters (< 32)")
        api_key_plan(ctx, api, key, in_plan=False)
        ctx.mistake("EA205", "stage prod is in no usage plan")
        # EA101: no web ACL on the distribution.
        ctx.mistake("EA101", "distribution has no web ACL")
        acl = None
    origins = [site_o, api_origin(api, "api", headers={"x-api-key": key})]
    dist = distribution(ctx, origins=origins, default=site_behavior(),
                        behaviors=[behavior("api", path="/api*")], web_acl_arn=acl,
                        shield=ctx.good)
    lock_site_bucket(ctx, dist, bucket)


def build_alb_prefix_list_header(ctx: Ctx) -> None:
    """Seed 003: ALB locked to CloudFront's prefix list + X-Origin-Verify rule,
    EC2 targets reachable only from the ALB's security group."""
    vpc_id, subnets = vpc(ctx)
    pl = cloudfront_prefix_list(ctx)
    ctx.entry["cloudfront_prefix_list_id"] = pl
    from_cloudfront = [tcp(80, prefix_list=pl), tcp(443, prefix_list=pl)]
    if ctx.good:
        alb_sg = security_group(ctx, vpc_id, "alb-sg", from_cloudfront)
        web_sg = security_group(ctx, vpc_id, "web-sg", [tcp(8080, group=alb_sg)])
        value = ctx.secret("X-Origin-Verify")
        lb = alb(ctx, "alb", vpc_id=vpc_id, subnets=subnets, sg=alb_sg,
                 targets=instances(ctx, subnets[0], web_sg),
                 verify_header=("X-Origin-Verify", value))
        web_acl(ctx, "alb-acl", scope="REGIONAL", default="Allow", rules=baseline_rules(),
                logging=True, associate=[lb["arn"]])
        origins = [custom_origin("alb", lb["dns_name"], headers={"X-Origin-Verify": value})]
        acl = edge_web_acl(ctx)
    else:
        # EA402/EA403: instances take SSH and the app port from anywhere.
        web_sg = security_group(ctx, vpc_id, "web-sg", [
            tcp(22, cidr="0.0.0.0/0"), tcp(8080, cidr="0.0.0.0/0")])
        ctx.mistake("EA402", "web-sg opens SSH 22 to 0.0.0.0/0")
        ctx.mistake("EA403", "web-sg accepts target port 8080 from 0.0.0.0/0, not only the ALB SG")
        targets = instances(ctx, subnets[0], web_sg)
        # (a) EA401: ALB open to the internet on 80/443 (header rule present, weak).
        open_sg = security_group(ctx, vpc_id, "alb-open-sg", [
            tcp(80, cidr="0.0.0.0/0"), tcp(443, cidr="0.0.0.0/0")])
        ctx.mistake("EA401", "alb-open-sg allows 80/443 from 0.0.0.0/0")
        weak = ctx.weak_secret("my-super-secret-key-123xyz")
        ctx.mistake("EA107", "X-Origin-Verify value copied from the write-up")
        open_lb = alb(ctx, "alb-open", vpc_id=vpc_id, subnets=subnets, sg=open_sg,
                      targets=targets, verify_header=("X-Origin-Verify", weak))
        # (b) EA404/EA405: prefix list only; default action forwards everything
        # (any CloudFront distribution of any account reaches it). HTTP listener.
        pl_sg = security_group(ctx, vpc_id, "alb-pl-sg", from_cloudfront)
        pl_lb = alb(ctx, "alb-pl", vpc_id=vpc_id, subnets=subnets, sg=pl_sg,
                    targets=targets, verify_header=None, https=False)
        ctx.mistake("EA404", "alb-pl listener forwards by default, no header rule")
        ctx.mistake("EA405", "alb-pl relies on the CloudFront prefix list only")
        ctx.mistake("EA103", "alb-pl origin is http-only")
        # EA406: neither ALB has a regional web ACL. EA301: the one made is unattached.
        ctx.mistake("EA406", "ALB origins have no regional web ACL")
        web_acl(ctx, "alb-acl-unused", scope="REGIONAL", default="Allow",
                rules=baseline_rules(), logging=True)
        ctx.mistake("EA301", "web ACL alb-acl-unused is associated with nothing")
        origins = [
            custom_origin("alb-open", open_lb["dns_name"], headers={"X-Origin-Verify": weak}),
            custom_origin("alb-pl", pl_lb["dns_name"], protocol="http-only"),
        ]
        acl = edge_web_acl(ctx)
    behaviors = [behavior(o["Id"], path=f"/{o['Id']}/*") for o in origins[1:]]
    distribution(ctx, origins=origins, default=behavior(origins[0]["Id"]),
                 behaviors=behaviors, web_acl_arn=acl, shield=ctx.good)


def vpc_origin(ctx: Ctx, suffix: str, endpoint_arn: str, owner: str = ACCOUNT_ID) -> str:
    """A CloudFront VPC origin towards `endpoint_arn` owned by `owner` (moto has none: the
    emulator answers ListVpcOrigins/GetVpcOrigin from this, in `ctx`'s account when it is the
    owner). Returns its id."""
    digest = hashlib.sha256(f"{ctx.scenario}/{suffix}".encode()).hexdigest()
    vo_id = f"vo_{digest[:17]}"
    arn = f"arn:aws:cloudfront::{owner}:vpcorigin/{vo_id}"
    # Listed by the owner's ListVpcOrigins only (an owner outside the seeded accounts: nowhere).
    if owner == ctx.account:
        ctx.emulate("cloudfront", "vpc_origins", [{
            "Id": vo_id, "Arn": arn, "AccountId": owner, "Status": "Deployed",
            "CreatedTime": "2026-11-02T09:00:00Z", "LastModifiedTime": "2026-11-02T09:00:00Z",
            "VpcOriginEndpointConfig": {
                "Name": ctx.name(suffix), "Arn": endpoint_arn, "HTTPPort": 80, "HTTPSPort": 443,
                "OriginProtocolPolicy": "https-only",
                "OriginSslProtocols": {"Quantity": 1, "Items": {"SslProtocol": ["TLSv1.2"]}},
            },
        }])
    ctx.add("vpc_origins", id=vo_id, arn=arn, owner=owner, endpoint_arn=endpoint_arn)
    return vo_id


def through_vpc_origin(ctx: Ctx, dist: dict[str, Any], origin_id: str, vo_id: str,
                       owner: str = ACCOUNT_ID) -> None:
    """Turns a seeded custom origin into a VPC origin, as AWS returns one: `VpcOriginConfig`
    instead of `CustomOriginConfig` (moto can store neither; the emulator edits its answers)."""
    ctx.emulate("cloudfront", "origins", {dist["id"]: {origin_id: {
        "remove": ["CustomOriginConfig"],
        "set": {"VpcOriginConfig": {"VpcOriginId": vo_id, "OwnerAccountId": owner,
                                    "OriginReadTimeout": 30, "OriginKeepaliveTimeout": 5}},
    }}})


def restore_s3_oac(ctx: Ctx, dist: dict[str, Any], origin: dict[str, Any]) -> None:
    """Puts back the `S3OriginConfig` and `OriginAccessControlId` moto drops from an S3 REST
    origin (through the emulator), so the OAC that locks the bucket is visible."""
    if "OriginAccessControlId" not in origin:
        return
    ctx.emulate("cloudfront", "origins", {dist["id"]: {origin["Id"]: {"set": {
        "S3OriginConfig": {"OriginAccessIdentity": ""},
        "OriginAccessControlId": origin["OriginAccessControlId"],
    }}}})


def build_vpc_origin(ctx: Ctx) -> None:
    """CloudFront VPC origins (2024): an ALB in a VPC reached through a VPC origin. Good: the
    ALB is internal, so only the VPC origin reaches it. Bad: the VPC origin points at an
    internet-facing ALB that forwards everything (locked to nothing), and a second origin goes
    through a VPC origin shared from an account outside the scan (not evaluated)."""
    vpc_id, subnets = vpc(ctx)
    pl = cloudfront_prefix_list(ctx)
    site, bucket = static_site_origin(ctx)
    if ctx.good:
        alb_sg = security_group(ctx, vpc_id, "alb-sg", [tcp(443, prefix_list=pl)])
        web_sg = security_group(ctx, vpc_id, "web-sg", [tcp(8080, group=alb_sg)])
        lb = alb(ctx, "alb", vpc_id=vpc_id, subnets=subnets, sg=alb_sg,
                 targets=instances(ctx, subnets[0], web_sg), verify_header=None, scheme="internal")
        origins = [site, custom_origin("app", lb["dns_name"])]
        vo_id = vpc_origin(ctx, "app", lb["arn"])
        acl = edge_web_acl(ctx)
        dist = distribution(ctx, origins=origins, default=site_behavior(),
                            behaviors=[behavior("app", path="/app/*")], web_acl_arn=acl, shield=True)
        through_vpc_origin(ctx, dist, "app", vo_id)
        restore_s3_oac(ctx, dist, site)
    else:
        open_sg = security_group(ctx, vpc_id, "alb-open-sg", [tcp(443, cidr="0.0.0.0/0")])
        web_sg = security_group(ctx, vpc_id, "web-sg", [tcp(8080, group=open_sg)])
        lb = alb(ctx, "alb", vpc_id=vpc_id, subnets=subnets, sg=open_sg,
                 targets=instances(ctx, subnets[0], web_sg), verify_header=None)
        ctx.mistake("EA106", "the VPC origin points at an internet-facing ALB: it locks nothing")
        ctx.mistake("EA401", "alb-open-sg allows 443 from 0.0.0.0/0")
        ctx.mistake("EA404", "the ALB forwards by default, no header rule")
        ctx.mistake("EA406", "the ALB origin has no regional web ACL")
        partner = "999999999999"
        origins = [site, custom_origin("app", lb["dns_name"]),
                   custom_origin("partner", "internal-partner-app-1.eu-west-1.elb.amazonaws.com")]
        vo_id = vpc_origin(ctx, "app", lb["arn"])
        shared_id = vpc_origin(ctx, "partner", f"arn:aws:elasticloadbalancing:{ctx.region}:{partner}:"
                                                "loadbalancer/app/partner-app/0123456789abcdef", owner=partner)
        acl = edge_web_acl(ctx)
        dist = distribution(ctx, origins=origins, default=site_behavior(),
                            behaviors=[behavior("app", path="/app/*"),
                                       behavior("partner", path="/partner/*")],
                            web_acl_arn=acl, shield=False)
        through_vpc_origin(ctx, dist, "app", vo_id)
        through_vpc_origin(ctx, dist, "partner", shared_id, owner=partner)
    lock_site_bucket(ctx, dist, bucket)


def lambda_oac(ctx: Ctx, signing: str = "always") -> str:
    """An origin access control of origin type `lambda` (moto stores it; the emulator puts its id
    back into the origin, which moto drops)."""
    oac = ctx.client("cloudfront", EDGE_REGION).create_origin_access_control(
        OriginAccessControlConfig={
            "Name": ctx.name(f"lambda-oac-{signing}"),
            "SigningProtocol": "sigv4",
            "SigningBehavior": signing,
            "OriginAccessControlOriginType": "lambda",
        }
    )["OriginAccessControl"]
    ctx.add("origin_access_controls", id=oac["Id"], name=ctx.name(f"lambda-oac-{signing}"))
    return oac["Id"]


def allow_cloudfront(ctx: Ctx, fn: dict[str, Any], dist_arn: str, actions: list[str]) -> None:
    """The function's resource policy for CloudFront's OAC-signed requests, by AWS:SourceArn."""
    lam = ctx.client("lambda", fn["region"])
    for action in actions:
        lam.add_permission(FunctionName=fn["name"], StatementId=f"cloudfront-{action.split(':')[1]}",
                           Action=action, Principal="cloudfront.amazonaws.com", SourceArn=dist_arn)


def build_oac_lambda(ctx: Ctx) -> None:
    """A Lambda function URL (AuthType AWS_IAM) behind an origin access control that always
    signs. Good: the function policy lets this distribution call both lambda:InvokeFunctionUrl
    and lambda:InvokeFunction (required since October 2025). Bad: only InvokeFunctionUrl, the
    single statement AWS documented before: CloudFront is refused (a broken site, EA114)."""
    site, bucket = static_site_origin(ctx)
    fn = lambda_function(ctx, "app", url_auth="AWS_IAM")
    oac_id = lambda_oac(ctx)
    origins = [site, custom_origin("app", url_host(fn["url"]))]
    dist = distribution(ctx, origins=origins, default=site_behavior(),
                        behaviors=[behavior("app", path="/app/*")], web_acl_arn=edge_web_acl(ctx),
                        shield=ctx.good)
    ctx.emulate("cloudfront", "origins", {dist["id"]: {"app": {"set": {"OriginAccessControlId": oac_id}}}})
    if ctx.good:
        allow_cloudfront(ctx, fn, dist["arn"], ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"])
        restore_s3_oac(ctx, dist, site)
    else:
        allow_cloudfront(ctx, fn, dist["arn"], ["lambda:InvokeFunctionUrl"])
        ctx.mistake("EA114", "the function policy lets CloudFront call lambda:InvokeFunctionUrl but not "
                             "lambda:InvokeFunction: CloudFront cannot invoke the function")
    lock_site_bucket(ctx, dist, bucket)


def build_origin_mtls(ctx: Ctx) -> None:
    """Origin mutual TLS (2025): CloudFront presents a client certificate (`OriginMtlsConfig`) to
    an internet-facing ALB (SG from the CloudFront prefix list, HTTPS listener forwarding by
    default). Good: the listener verifies client certificates against a trust store (mode
    `verify`), which locks it. Bad: mode `passthrough` forwards the certificate unverified, so the
    ALB is locked to nothing (moto has neither: the emulator answers DescribeTrustStores and adds
    MutualAuthentication to DescribeListeners, and the origin's OriginMtlsConfig)."""
    vpc_id, subnets = vpc(ctx)
    pl = cloudfront_prefix_list(ctx)
    site, bucket = static_site_origin(ctx)
    alb_sg = security_group(ctx, vpc_id, "alb-sg", [tcp(443, prefix_list=pl)])
    web_sg = security_group(ctx, vpc_id, "web-sg", [tcp(8080, group=alb_sg)])
    lb = alb(ctx, "alb", vpc_id=vpc_id, subnets=subnets, sg=alb_sg,
             targets=instances(ctx, subnets[0], web_sg), verify_header=None)
    trust_store = (f"arn:aws:elasticloadbalancing:{ctx.region}:{ACCOUNT_ID}:truststore/"
                   f"{ctx.short_name('ts')}/{hashlib.sha256(ctx.scenario.encode()).hexdigest()[:16]}")
    ctx.emulate("elasticloadbalancing", "trust_stores", [{
        "Name": ctx.short_name("ts"), "TrustStoreArn": trust_store, "Status": "ACTIVE",
        "NumberOfCaCertificates": 1, "TotalRevokedEntries": 0}])
    mode = "verify" if ctx.good else "passthrough"
    ctx.emulate("elasticloadbalancing", "mutual_authentication", {lb["listener_arn"]: {
        "Mode": mode, "TrustStoreArn": trust_store, "IgnoreClientCertificateExpiry": False,
        "TrustStoreAssociationStatus": "active"}})
    client_cert = certificate(ctx, f"cloudfront-client.{ctx.scenario}.example.com")
    web_acl(ctx, "alb-acl", scope="REGIONAL", default="Allow", rules=baseline_rules(),
            logging=True, associate=[lb["arn"]])
    origins = [site, custom_origin("app", lb["dns_name"])]
    dist = distribution(ctx, origins=origins, default=site_behavior(),
                        behaviors=[behavior("app", path="/app/*")], web_acl_arn=edge_web_acl(ctx),
                        shield=ctx.good)
    ctx.emulate("cloudfront", "origins", {dist["id"]: {"app": {"set": {
        "CustomOriginConfig/OriginMtlsConfig": {"ClientCertificateArn": client_cert}}}}})
    if ctx.good:
        restore_s3_oac(ctx, dist, site)
    else:
        ctx.mistake("EA404", "mutual TLS mode passthrough: the ALB forwards the client certificate "
                             "unverified and checks no header")
        ctx.mistake("EA405", "the ALB relies on the CloudFront prefix list; passthrough verifies nothing")
    lock_site_bucket(ctx, dist, bucket)


# --------------------------------------------------------------------------
# Issue #14, through the emulator: API Gateway routing rules, multi-tenant
# distributions and edge code (Lambda@Edge / CloudFront Functions) as a signer.
# moto stores none of these; the emulator answers or overlays them.
# --------------------------------------------------------------------------


def rest_custom_domain(ctx: Ctx, api: dict[str, Any], *, mode: str,
                       rules: list[dict[str, Any]]) -> str:
    """A REGIONAL custom domain for `api` (moto stores it) with routing mode `mode` and routing
    `rules` (the emulator adds `routingMode` and answers ListRoutingRules). Returns its name."""
    name = f"api.{ctx.scenario}.example.com"
    apigw = ctx.client("apigateway")
    apigw.create_domain_name(domainName=name, regionalCertificateArn=certificate(ctx, name),
                             endpointConfiguration={"types": ["REGIONAL"]}, securityPolicy="TLS_1_2")
    ctx.emulate("apigateway", "routing_modes", {name: mode})
    arn = f"arn:aws:apigateway:{ctx.region}:{ACCOUNT_ID}:/domainnames/{name}"
    listed = []
    for rule in rules:
        rule = {**rule, "routingRuleArn": f"{arn}/routingrules/{rule['routingRuleId']}"}
        listed.append(rule)
    ctx.emulate("apigateway", "routing_rules", {name: listed})
    ctx.add("domain_names", id=name, name=name, routing_mode=mode,
            routing_rules=[r["routingRuleId"] for r in listed])
    return name


def header_routing_rule(rule_id: str, priority: int, header: str, glob: str, api: dict[str, Any]) -> dict[str, Any]:
    """A routing rule sending requests whose `header` matches `glob` to `api`'s stage."""
    return {
        "routingRuleId": rule_id, "priority": priority,
        "conditions": [{"matchHeaders": {"anyOf": [{"header": header, "valueGlob": glob}]}}],
        "actions": [{"invokeApi": {"apiId": api["id"], "stage": api["stage"], "stripBasePath": False}}],
    }


def disable_execute_api(ctx: Ctx, api: dict[str, Any]) -> None:
    """Turns the REST API's default execute-api endpoint off (moto stores the flag)."""
    ctx.client("apigateway").update_rest_api(restApiId=api["id"], patchOperations=[
        {"op": "replace", "path": "/disableExecuteApiEndpoint", "value": "true"}])
    api["disable_execute_api_endpoint"] = True


def build_routing_rule_gate(ctx: Ctx) -> None:
    """API Gateway routing rules (2025) as the lock of a REST API: its custom domain routes by
    rule only (ROUTING_RULE_ONLY), the single rule requires the X-Origin-Verify header
    CloudFront sends, and the default execute-api endpoint is disabled, so no request reaches
    the API without the secret. Good: the rule's glob is the secret the distribution sends.
    Bad: the rule requires another value, so CloudFront's requests never match (EA305)."""
    fn = lambda_function(ctx, "app")
    api = rest_api(ctx, "orders", [Route("/orders"), Route("/orders/{id}", "GET")], backend=fn)
    disable_execute_api(ctx, api)
    sent = ctx.secret("routing-sent")
    required = sent if ctx.good else ctx.secret("routing-required")
    if not ctx.good:
        ctx.mistake("EA305", "the routing rule requires an X-Origin-Verify value the distribution "
                             "does not send: CloudFront's requests match no rule")
    domain = rest_custom_domain(ctx, api, mode="ROUTING_RULE_ONLY",
                                rules=[header_routing_rule("rr01", 10, HEADER, required, api)])
    site, bucket = static_site_origin(ctx)
    origins = [site, custom_origin("api", domain, headers={HEADER: sent})]
    dist = distribution(ctx, origins=origins, default=site_behavior(),
                        behaviors=[behavior("api", path="/orders*")], web_acl_arn=edge_web_acl(ctx),
                        shield=ctx.good)
    restore_s3_oac(ctx, dist, site)
    lock_site_bucket(ctx, dist, bucket)


def distribution_tenant(ctx: Ctx, dist: dict[str, Any], suffix: str, domains: list[str],
                        web_acl: dict[str, Any] | None = None,
                        parameters: dict[str, str] | None = None) -> dict[str, Any]:
    """A tenant of the multi-tenant distribution `dist` (the emulator answers
    ListDistributionTenants / GetDistributionTenant from this); `web_acl` is the tenant's
    `Customizations.WebAcl` (`{"Action": "override", "Arn": ...}` or `{"Action": "disable"}`);
    `parameters` its `Parameters` (GetDistributionTenant only), filled into templated origins."""
    digest = hashlib.sha256(f"{ctx.scenario}/{suffix}".encode()).hexdigest()
    tenant_id = f"dt_{digest[:27]}"
    tenant: dict[str, Any] = {
        "Id": tenant_id, "DistributionId": dist["id"], "Name": ctx.name(suffix),
        "Arn": f"arn:aws:cloudfront::{ACCOUNT_ID}:distribution-tenant/{tenant_id}",
        "Domains": {"member": [{"Domain": d, "Status": "active"} for d in domains]},
        "ConnectionGroupId": f"cg_{digest[27:40]}",
        "CreatedTime": "2026-11-02T09:00:00Z", "LastModifiedTime": "2026-11-02T09:00:00Z",
        "Enabled": True, "Status": "Deployed",
    }
    if web_acl:
        tenant["Customizations"] = {"WebAcl": web_acl}
    if parameters is not None:
        tenant["Parameters"] = {"member": [{"Name": k, "Value": v} for k, v in parameters.items()]}
    ctx.emulate("cloudfront", "distribution_tenants", [tenant])
    return ctx.add("distribution_tenants", id=tenant_id, arn=tenant["Arn"], distribution_id=dist["id"],
                   domains=domains, web_acl=web_acl, parameters=parameters)


def build_multi_tenant(ctx: Ctx) -> None:
    """A multi-tenant distribution (ConnectionMode tenant-only, 2025) serving a SaaS site to
    two tenants. Good: one tenant inherits the distribution's web ACL, the other overrides it
    with a web ACL of its own (rate limit, managed groups). Bad: the second tenant's web ACL
    customization is `disable`: its traffic reaches the origins unfiltered (EA101 on the
    tenant, naming its domains)."""
    site, bucket = static_site_origin(ctx)
    acl = edge_web_acl(ctx)
    dist = distribution(ctx, origins=[site], default=site_behavior(), web_acl_arn=acl, shield=ctx.good)
    ctx.emulate("cloudfront", "distributions", {dist["id"]: {"set": {"ConnectionMode": "tenant-only"}}})
    dist["connection_mode"] = "tenant-only"
    distribution_tenant(ctx, dist, "shop-a", [f"shop-a.{ctx.scenario}.example.com"])
    domains = [f"shop-b.{ctx.scenario}.example.com", f"www.shop-b.{ctx.scenario}.example.com"]
    if ctx.good:
        own = web_acl(ctx, "tenant-b-acl", scope="CLOUDFRONT", default="Allow", rules=baseline_rules(),
                      logging=True)
        distribution_tenant(ctx, dist, "shop-b", domains, {"Action": "override", "Arn": own})
        restore_s3_oac(ctx, dist, site)
    else:
        distribution_tenant(ctx, dist, "shop-b", domains, {"Action": "disable"})
        ctx.mistake("EA101", "tenant shop-b disables the web ACL: its domains reach the origins unfiltered")
    lock_site_bucket(ctx, dist, bucket)


def build_tenant_template(ctx: Ctx) -> None:
    """A multi-tenant distribution whose API origin is a template CloudFront fills per tenant:
    `{{api}}.execute-api.<region>.amazonaws.com` with origin path `/{{stage}}` (the emulator
    puts the template into moto's origin, the distribution's `TenantConfig` — `api` required,
    `stage` defaulting to `prod` — into GetDistributionConfig, and each tenant's `Parameters`
    into GetDistributionTenant). Tenant shop-a names API a (and relies on the stage default),
    shop-b names API b. The distribution sends the secret header. Good: both APIs' stages are
    behind the origin web ACL that requires it. Bad: API b has no web ACL, so tenant shop-b's
    backend is reachable around CloudFront (EA202, naming the tenant's origin; EA203)."""
    fn = lambda_function(ctx, "app")
    proxy = [Route("/api/{proxy+}")]
    api_a = rest_api(ctx, "api-a", proxy, backend=fn)
    api_b = rest_api(ctx, "api-b", proxy, backend=fn)
    value = ctx.secret("x-origin-verify")
    gated = [api_a["stage_arn"]] + ([api_b["stage_arn"]] if ctx.good else [])
    origin_verify_acl(ctx, "x-origin-verify", value, associate=gated)
    if not ctx.good:
        ctx.mistake("EA202", "tenant shop-b's API (api-b) is reachable without the origin header")
        ctx.mistake("EA203", "api-b stage prod has no web ACL")
    site, bucket = static_site_origin(ctx)
    # moto stores a plain custom origin; the emulator turns it into the template.
    template = custom_origin("api", f"tenant-api.{ctx.scenario}.example.com", path="/prod",
                             headers={"x-origin-verify": value})
    dist = distribution(ctx, origins=[site, template], default=site_behavior(),
                        behaviors=[behavior("api", path="/api/*")], web_acl_arn=edge_web_acl(ctx),
                        shield=ctx.good)
    ctx.emulate("cloudfront", "distributions", {dist["id"]: {"set": {"ConnectionMode": "tenant-only"}}})
    domain_template = "{{api}}.execute-api." + ctx.region + ".amazonaws.com"
    ctx.emulate("cloudfront", "origins", {dist["id"]: {"api": {"set": {
        "DomainName": domain_template, "OriginPath": "/{{stage}}"}}}})
    ctx.emulate("cloudfront", "tenant_configs", {dist["id"]: {"ParameterDefinitions": {"member": [
        {"Name": "api", "Definition": {"StringSchema": {"Comment": "the tenant's API id", "Required": True}}},
        {"Name": "stage", "Definition": {"StringSchema": {"DefaultValue": "prod", "Required": False}}},
    ]}}})
    dist["connection_mode"] = "tenant-only"
    dist["templated_origins"] = ["api"]
    distribution_tenant(ctx, dist, "shop-a", [f"shop-a.{ctx.scenario}.example.com"],
                        parameters={"api": api_a["id"]})
    distribution_tenant(ctx, dist, "shop-b", [f"shop-b.{ctx.scenario}.example.com"],
                        parameters={"api": api_b["id"], "stage": "prod"})
    restore_s3_oac(ctx, dist, site)
    lock_site_bucket(ctx, dist, bucket)


def edge_code(ctx: Ctx, dist: dict[str, Any], pattern: str, signer_arn: str, function_arn: str) -> None:
    """Puts the edge code moto drops back into the behavior `pattern` ("*": the default one): an
    origin-request Lambda@Edge function (the SigV4 signer) and a viewer-request CloudFront
    Function."""
    ctx.emulate("cloudfront", "behaviors", {dist["id"]: {pattern: {"set": {
        "LambdaFunctionAssociations": {"Quantity": 1, "Items": {"LambdaFunctionAssociation": [
            {"LambdaFunctionARN": signer_arn, "EventType": "origin-request", "IncludeBody": False}]}},
        "FunctionAssociations": {"Quantity": 1, "Items": {"FunctionAssociation": [
            {"FunctionARN": function_arn, "EventType": "viewer-request"}]}},
    }}}})


def build_edge_signer(ctx: Ctx) -> None:
    """Edge code as the signer of an AWS_IAM REST API: an origin-request Lambda@Edge function
    signs CloudFront's requests with SigV4 (its check lives in code: edge-audit says it could
    not verify it, low) and a viewer-request CloudFront Function rewrites the path; moto drops
    both associations, the emulator puts them back. Good: every method requires AWS_IAM, so
    only signed requests get in. Bad: one method has authorization NONE, callable around
    CloudFront whatever the signer does (EA204, EA202)."""
    signer = lambda_function(ctx, "signer", region=EDGE_REGION, edge=True)
    function_arn = f"arn:aws:cloudfront::{ACCOUNT_ID}:function/{ctx.name('rewrite')}"
    routes = [Route("/orders", "GET", auth="AWS_IAM"), Route("/orders/{id}", "GET", auth="AWS_IAM"),
              Route("/orders", "POST", auth="AWS_IAM")]
    if not ctx.good:
        routes[1].auth = "NONE"
        ctx.mistake("EA204", "GET /orders/{id} has authorization NONE")
        ctx.mistake("EA202", "GET /orders/{id} is callable directly without a signature")
    api = rest_api(ctx, "orders", routes)
    dist = distribution(ctx, origins=[api_origin(api, "api")], default=behavior("api"),
                        web_acl_arn=edge_web_acl(ctx), shield=ctx.good)
    edge_code(ctx, dist, "*", signer["version_arn"], function_arn)
    dist["lambda_edge"] = {"origin-request": signer["version_arn"]}
    dist["cloudfront_functions"] = {"viewer-request": function_arn}


def build_sigv4_lambda_edge(ctx: Ctx) -> None:
    """Seed 004: Lambda@Edge signs origin requests with SigV4, the REST API
    requires AWS_IAM everywhere; WAF + Shield Advanced on the distribution.

    moto drops LambdaFunctionAssociations, so the signer is only in the
    manifest (lambda_functions[].version_arn); only the API side is checkable.
    """
    signer = lambda_function(ctx, "sigv4-signer", region=EDGE_REGION, edge=True)
    routes = [Route("/pets", "GET", auth="AWS_IAM"),
              Route("/pets/{petId}", "GET", auth="AWS_IAM"),
              Route("/pets", "POST", auth="AWS_IAM")]
    v2_routes = {"ANY /{proxy+}": "AWS_IAM"}
    if not ctx.good:
        # EA204/EA202: one method skips IAM auth - callable around CloudFront.
        routes[1].auth = "NONE"
        ctx.mistake("EA204", "GET /pets/{petId} has authorization NONE")
        ctx.mistake("EA202", "GET /pets/{petId} is callable directly without a signature")
        v2_routes["GET /health"] = "NONE"
        ctx.mistake("EA204", "HTTP API route GET /health has authorization NONE")
    api = rest_api(ctx, "petstore", routes)
    http_api(ctx, "petstore-http", v2_routes)
    dist = distribution(
        ctx,
        origins=[api_origin(api, "api")],
        default=behavior("api", lambda_edge_arn=signer["version_arn"]),
        web_acl_arn=edge_web_acl(ctx),
        shield=ctx.good,
    )
    dist["lambda_edge"] = {"origin-request": signer["version_arn"]}


# --------------------------------------------------------------------------
# Gates as AWS evaluates them (issue #13): regexes, transformations, rule
# groups and ALB wildcards, each on an ALB origin in front of EC2, locked to
# CloudFront's prefix list, behind a distribution that sends X-Origin-Verify.
# --------------------------------------------------------------------------

HEADER = "X-Origin-Verify"


def _header_match(header: str, statement_kind: str, **fields: Any) -> dict[str, Any]:
    """A WAF statement on a single header (`statement_kind`: ByteMatchStatement,
    RegexMatchStatement, RegexPatternSetReferenceStatement)."""
    body = {"FieldToMatch": {"SingleHeader": {"Name": header.lower()}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}
    body.update(fields)
    return {statement_kind: body}


def _rule(name: str, priority: int, statement: dict[str, Any], action: str,
          labels: list[str] = ()) -> dict[str, Any]:
    rule = {"Name": name, "Priority": priority, "Statement": statement,
            "Action": {action: {}}, "VisibilityConfig": _visibility(name)}
    if labels:
        rule["RuleLabels"] = [{"Name": label} for label in labels]
    return rule


def regex_pattern_set(ctx: Ctx, suffix: str, patterns: list[str]) -> str:
    summary = ctx.client("wafv2").create_regex_pattern_set(
        Name=ctx.name(suffix), Scope="REGIONAL",
        RegularExpressionList=[{"RegexString": p} for p in patterns],
        Description=f"{ctx.scenario} {suffix}",
    )["Summary"]
    ctx.add("regex_pattern_sets", name=summary["Name"], id=summary["Id"], arn=summary["ARN"])
    return summary["ARN"]


def rule_group(ctx: Ctx, suffix: str, rules: list[dict[str, Any]]) -> str:
    name = ctx.name(suffix)
    summary = ctx.client("wafv2").create_rule_group(
        Name=name, Scope="REGIONAL", Capacity=100, Rules=rules,
        VisibilityConfig=_visibility(name), Description=f"{ctx.scenario} {suffix}",
    )["Summary"]
    ctx.add("rule_groups", name=summary["Name"], id=summary["Id"], arn=summary["ARN"])
    return summary["ARN"]


def gated_alb_site(
    ctx: Ctx,
    *,
    gate_acl: tuple[str, list[dict[str, Any]]] | None = None,
    header_values: list[str] | None = None,
    http_listener: str | None = None,
    sent: str | None = None,
    alb_ingress: list[dict[str, Any]] | None = None,
    web_ingress: list[dict[str, Any]] = (),
    ip_address_type: str = "ipv4",
) -> dict[str, Any]:
    """The ALB origin of one gate scenario.

    gate_acl=(default action, rules): the regional web ACL on the ALB is the
    gate and the listener forwards by default. Otherwise the listener's rule is
    the gate (`header_values`), default 403, and the ALB gets the baseline ACL.
    The distribution sends X-Origin-Verify = `sent` (a strong secret by default).
    The ALB's security group admits 80/443 from CloudFront's prefix list unless
    `alb_ingress` says otherwise; the instances' admits 8080 from the ALB's, and
    `web_ingress` besides.
    """
    vpc_id, subnets = vpc(ctx)
    pl = cloudfront_prefix_list(ctx)
    ctx.entry["cloudfront_prefix_list_id"] = pl
    if alb_ingress is None:
        alb_ingress = [tcp(80, prefix_list=pl), tcp(443, prefix_list=pl)]
    alb_sg = security_group(ctx, vpc_id, "alb-sg", alb_ingress)
    web_sg = security_group(ctx, vpc_id, "web-sg", [tcp(8080, group=alb_sg), *web_ingress])
    value = sent or ctx.secret(HEADER)
    lb = alb(ctx, "alb", vpc_id=vpc_id, subnets=subnets, sg=alb_sg,
             targets=instances(ctx, subnets[0], web_sg),
             verify_header=None if gate_acl else (HEADER, value),
             header_values=header_values, http_listener=http_listener,
             ip_address_type=ip_address_type)
    if gate_acl:
        default, rules = gate_acl
        web_acl(ctx, "gate-acl", scope="REGIONAL", default=default, rules=rules,
                logging=True, associate=[lb["arn"]])
    else:
        web_acl(ctx, "alb-acl", scope="REGIONAL", default="Allow", rules=baseline_rules(),
                logging=True, associate=[lb["arn"]])
    origins = [custom_origin("alb", lb["dns_name"], headers={HEADER: value})]
    distribution(ctx, origins=origins, default=behavior("alb"), web_acl_arn=edge_web_acl(ctx),
                 shield=ctx.good)
    return lb


def _no_secret(ctx: Ctx, why: str) -> None:
    """The gate tests presence or a fragment only: any distribution of any
    account that sends the header's name gets through the prefix list."""
    ctx.mistake("EA404", f"the load balancer forwards without a secret: {why}")
    ctx.mistake("EA405", f"only the CloudFront prefix list restricts it: {why}")


def build_regex_pattern_set(ctx: Ctx) -> None:
    """A regional web ACL (default Block) allows requests whose X-Origin-Verify
    matches a regex pattern set; -bad: someone added `.*` to the set."""
    value = ctx.secret(HEADER)
    patterns = [f"^{value}$"]
    if not ctx.good:
        patterns.append(".*")
        _no_secret(ctx, "the pattern set also holds .*, which any value matches")
    arn = regex_pattern_set(ctx, "verify-set", patterns)
    statement = _header_match(HEADER, "RegexPatternSetReferenceStatement", ARN=arn)
    gated_alb_site(ctx, gate_acl=("Block", [_rule("allow-verified", 0, statement, "Allow")]),
                   sent=value)


def build_regex_unanchored_fragment(ctx: Ctx) -> None:
    """A RegexMatchStatement without anchors: it matches substrings. -good: the
    whole secret (a value containing it passes, the secret is still needed);
    -bad: only the secret's first six characters."""
    value = ctx.secret(HEADER)
    if ctx.good:
        pattern = value
    else:
        pattern = "^" + value[:6]
        _no_secret(ctx, "the regex only checks the first six characters")
    statement = _header_match(HEADER, "RegexMatchStatement", RegexString=pattern)
    gated_alb_site(ctx, gate_acl=("Block", [_rule("allow-verified", 0, statement, "Allow")]),
                   sent=value)


def build_regex_look_ahead(ctx: Ctx) -> None:
    """A RegexMatchStatement written with PCRE look-around, which AWS WAF accepts and the
    regex crate does not. -good: a length check in a look-ahead, then the secret; -bad: "not
    blank" (`^(?!\\s*$).+`), which any value passes."""
    value = ctx.secret(HEADER)
    if ctx.good:
        pattern = f"^(?=.{{{len(value)}}}$){value}"
    else:
        pattern = r"^(?!\s*$).+"
        _no_secret(ctx, "the regex only checks that the header is not blank")
    statement = _header_match(HEADER, "RegexMatchStatement", RegexString=pattern)
    gated_alb_site(ctx, gate_acl=("Block", [_rule("allow-verified", 0, statement, "Allow")]),
                   sent=value)


def build_byte_match_transformed(ctx: Ctx) -> None:
    """A ByteMatch after LOWERCASE. -good: the search string is the lowercase
    secret, so the mixed-case secret CloudFront sends matches; -bad: the
    search string keeps its capitals and can never match the lowercased value."""
    value = ctx.secret(HEADER)
    search = value.lower() if ctx.good else value
    if not ctx.good:
        ctx.mistake("EA305", "LOWERCASE applies before EXACTLY but the search string has "
                             "capitals: CloudFront's requests are refused")
    statement = _header_match(HEADER, "ByteMatchStatement", SearchString=search.encode(),
                              PositionalConstraint="EXACTLY",
                              TextTransformations=[{"Priority": 0, "Type": "LOWERCASE"}])
    gated_alb_site(ctx, gate_acl=("Block", [_rule("allow-verified", 0, statement, "Allow")]),
                   sent=value)


def build_headers_field_gate(ctx: Ctx) -> None:
    """The gate written with the `Headers` field to match (as CDK and Terraform users often do)
    instead of `SingleHeader`: IncludedHeaders [x-origin-verify], matched on its VALUE, EXACTLY
    the secret. -bad: MatchScope KEY, which only tests that a header of that name exists."""
    value = ctx.secret(HEADER)
    scope = "VALUE" if ctx.good else "KEY"
    if not ctx.good:
        _no_secret(ctx, "the web ACL matches the header's name (MatchScope KEY), not its value")
    statement = {"ByteMatchStatement": {
        "FieldToMatch": {"Headers": {"MatchPattern": {"IncludedHeaders": [HEADER.lower()]},
                                     "MatchScope": scope, "OversizeHandling": "NO_MATCH"}},
        "SearchString": (value if ctx.good else HEADER.lower()).encode(),
        "PositionalConstraint": "EXACTLY",
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}
    gated_alb_site(ctx, gate_acl=("Block", [_rule("allow-verified", 0, statement, "Allow")]),
                   sent=value)


def build_rule_group_gate(ctx: Ctx) -> None:
    """Firewall Manager style: the gate is a custom rule group (Block unless
    X-Origin-Verify matches) referenced by a default-Allow web ACL. -bad: the
    reference overrides the group to Count, so it blocks nothing."""
    value = ctx.secret(HEADER)
    match = _header_match(HEADER, "ByteMatchStatement", SearchString=value.encode(),
                          PositionalConstraint="EXACTLY")
    group = rule_group(ctx, "gate-group", [
        _rule("block-unverified", 0, {"NotStatement": {"Statement": match}}, "Block")])
    reference = {"Name": "origin-gate", "Priority": 0,
                 "Statement": {"RuleGroupReferenceStatement": {"ARN": group}},
                 "OverrideAction": {"None" if ctx.good else "Count": {}},
                 "VisibilityConfig": _visibility("origingate")}
    if not ctx.good:
        _no_secret(ctx, "the rule group reference is overridden to Count")
    gated_alb_site(ctx, gate_acl=("Allow", [reference]), sent=value)


def build_rule_group_wrong_header(ctx: Ctx) -> None:
    """A custom rule group labels verified requests (Count + RuleLabels) and
    the web ACL blocks what lacks the label. -bad: the group checks
    x-origin-verified while CloudFront sends X-Origin-Verify."""
    value = ctx.secret(HEADER)
    header = HEADER if ctx.good else "x-origin-verified"
    match = _header_match(header, "ByteMatchStatement", SearchString=value.encode(),
                          PositionalConstraint="EXACTLY")
    group = rule_group(ctx, "label-group", [
        _rule("label-verified", 0, match, "Count", labels=["origin:verified"])])
    rules = [
        {"Name": "origin-labels", "Priority": 0,
         "Statement": {"RuleGroupReferenceStatement": {"ARN": group}},
         "OverrideAction": {"None": {}}, "VisibilityConfig": _visibility("originlabels")},
        _rule("block-unlabelled", 1, {"NotStatement": {"Statement": {
            "LabelMatchStatement": {"Scope": "LABEL", "Key": "origin:verified"}}}}, "Block"),
    ]
    if not ctx.good:
        ctx.mistake("EA305", "the rule group checks x-origin-verified, the distribution "
                             "sends X-Origin-Verify")
    gated_alb_site(ctx, gate_acl=("Allow", rules), sent=value)


def build_alb_wildcard_presence(ctx: Ctx) -> None:
    """The listener rule's http-header condition. -good: the secret; -bad: the
    value `*`, which only tests that the header is there."""
    if ctx.good:
        gated_alb_site(ctx)
    else:
        _no_secret(ctx, "the http-header condition value is *")
        gated_alb_site(ctx, header_values=["*"])


def build_alb_wildcard_secret(ctx: Ctx) -> None:
    """ALB compares header values case-insensitively with `?`/`*` wildcards.
    -good: the secret in capitals, and an old value with one `?`; -bad: the
    secret's first eight characters and a `*`."""
    value = ctx.secret(HEADER)
    if ctx.good:
        values = [value.upper(), ctx.secret("previous")[:-1] + "?"]
    else:
        values = [value[:8] + "*"]
        _no_secret(ctx, "the http-header condition keeps eight characters and a *")
    gated_alb_site(ctx, header_values=values, sent=value)


def build_http_listener_forwards(ctx: Ctx) -> None:
    """Every listener is a way in. -good: HTTPS with the header rule and an HTTP
    listener that only redirects to HTTPS; -bad: the HTTP listener forwards."""
    if not ctx.good:
        _no_secret(ctx, "the HTTP :80 listener forwards by default")
    gated_alb_site(ctx, http_listener="redirect" if ctx.good else "forward")


# --------------------------------------------------------------------------
# More gates as AWS evaluates them (issue #13): address sets, authorizers,
# stages, custom domains.
# --------------------------------------------------------------------------


def build_split_cidr_open(ctx: Ctx) -> None:
    """"Open to the internet" is the union of the ranges, not a literal 0.0.0.0/0. -good: the ALB
    admits CloudFront's prefix list only; -bad: 0.0.0.0/1 + 128.0.0.0/1 on 443 (a way around a
    linter that flags 0.0.0.0/0) and SSH the same way on the instances."""
    if ctx.good:
        gated_alb_site(ctx)
        return
    halves = [tcp(443, cidr="0.0.0.0/1"), tcp(443, cidr="128.0.0.0/1")]
    ctx.mistake("EA401", "alb-sg admits 443 from 0.0.0.0/1 + 128.0.0.0/1: the whole internet")
    ctx.mistake("EA402", "web-sg admits SSH 22 from 0.0.0.0/1 + 128.0.0.0/1")
    gated_alb_site(ctx, alb_ingress=halves,
                   web_ingress=[tcp(22, cidr="0.0.0.0/1"), tcp(22, cidr="128.0.0.0/1")])


def build_dual_stack_sg(ctx: Ctx) -> None:
    """A dual-stack ALB. -good: IPv4 and IPv6 both limited to CloudFront's origin-facing prefix
    lists (com.amazonaws.global.cloudfront.origin-facing and its ipv6 twin); -bad: IPv4 locked,
    but 443 from ::/0 as well."""
    pl = cloudfront_prefix_list(ctx)
    pl6 = cloudfront_prefix_list_v6(ctx)
    ctx.entry["cloudfront_prefix_list_v6_id"] = pl6
    ingress = [tcp(443, prefix_list=pl), tcp(443, prefix_list=pl6)]
    if not ctx.good:
        ingress = [tcp(443, prefix_list=pl), tcp(443, cidr="::/0")]
        ctx.mistake("EA401", "alb-sg admits 443 from ::/0: IPv6 is open to the internet")
    gated_alb_site(ctx, alb_ingress=ingress, ip_address_type="dualstack")


def build_lambda_authorizer_header(ctx: Ctx) -> None:
    """A REST API whose methods use a REQUEST Lambda authorizer with identity source
    method.request.header.X-Origin-Verify, the header the distribution sends: API Gateway refuses
    requests without it, the function compares the value (edge-audit cannot read that: could not
    verify, low). -bad: one method has authorization NONE, and a second API's authorizer is keyed
    on a header the distribution never sends."""
    site, bucket = static_site_origin(ctx)
    checker = lambda_function(ctx, "verify-origin")
    app = lambda_function(ctx, "app")
    value = ctx.secret(HEADER)
    keyed = (f"method.request.header.{HEADER}", checker)
    routes = [Route("/api", "GET", auth="CUSTOM"), Route("/api/{proxy+}", "ANY", auth="CUSTOM")]
    if not ctx.good:
        routes[0].auth = "NONE"
        ctx.mistake("EA204", "GET /api has authorization NONE")
        ctx.mistake("EA202", "GET /api is callable around CloudFront without the header")
    api = rest_api(ctx, "api", routes, backend=app, authorizer=keyed)
    origins = [site, api_origin(api, "api", headers={HEADER: value})]
    behaviors = [behavior("api", path="/api*")]
    if not ctx.good:
        other = rest_api(ctx, "api-other-header",
                         [Route("/v2/{proxy+}", "ANY", auth="CUSTOM")], backend=app,
                         authorizer=("method.request.header.Authorization", checker))
        ctx.mistake("EA202", "api-other-header's authorizer takes its identity from Authorization, "
                             "which the distribution does not send: not a lock to it")
        ctx.mistake("EA203", "api-other-header is internet-facing and its stage has no web ACL")
        origins.append(api_origin(other, "api-other", headers={HEADER: value}))
        behaviors.append(behavior("api-other", path="/v2/*"))
    dist = distribution(ctx, origins=origins, default=site_behavior(), behaviors=behaviors,
                        web_acl_arn=edge_web_acl(ctx), shield=ctx.good)
    lock_site_bucket(ctx, dist, bucket)


def build_second_stage(ctx: Ctx) -> None:
    """The distribution's origin is the REST API's prod stage, locked by a regional web ACL on the
    secret header. The same API also has a dev stage (same deployment): -good: it has the same
    ACL; -bad: it has none, so /dev serves the same backend around CloudFront."""
    site, bucket = static_site_origin(ctx)
    fn = lambda_function(ctx, "app")
    api = rest_api(ctx, "api", [Route("/api/{proxy+}")], backend=fn, more_stages=("dev",))
    value = ctx.secret(HEADER)
    guarded = [api["stage_arn"]] + (api["stage_arns"] if ctx.good else [])
    origin_verify_acl(ctx, HEADER, value, associate=guarded)
    if not ctx.good:
        ctx.mistake("EA203", "stage dev has no web ACL")
        ctx.mistake("EA202", "the dev stage serves the API around CloudFront without the header")
        ctx.mistake("EA204", "ANY /api/{proxy+} has authorization NONE, reachable through dev")
    origins = [site, api_origin(api, "api", headers={HEADER: value})]
    dist = distribution(ctx, origins=origins, default=site_behavior(),
                        behaviors=[behavior("api", path="/api/*")],
                        web_acl_arn=edge_web_acl(ctx), shield=ctx.good)
    lock_site_bucket(ctx, dist, bucket)


def build_second_account_origin(ctx: Ctx) -> None:
    """The distribution (account ACCOUNT_ID) sends the secret header to a REST API in a second
    account (PARTNER_ACCOUNT_ID, entered through sts AssumeRole). -good: the partner's stage has
    a regional web ACL that blocks requests without the secret; -bad: it has none. Scanned with
    both accounts (`--account` x2 `--role-name edge-audit-readonly`) the API is resolved in the
    partner account and judged as a local origin; scanned alone, the home account can only say
    that an origin outside the scan receives the secret (not evaluated). Not part of the one-
    account live scan: tests/it/moto_scan.rs has its own test for it."""
    partner = ctx.in_partner_account()
    ctx.entry["partner_account_id"] = PARTNER_ACCOUNT_ID
    ctx.entry["partner_role"] = PARTNER_ROLE
    fn = lambda_function(partner, "app")
    api = rest_api(partner, "api", [Route("/api/{proxy+}")], backend=fn)
    api["account"] = PARTNER_ACCOUNT_ID
    value = ctx.secret(HEADER)
    if ctx.good:
        origin_verify_acl(partner, HEADER, value, associate=[api["stage_arn"]])
    else:
        ctx.mistake("EA202", "the partner account's API is reachable without the origin header")
        ctx.mistake("EA203", "the partner account's stage prod has no web ACL")
        ctx.mistake("EA204", "ANY /api/{proxy+} has authorization NONE")
    distribution(ctx, origins=[api_origin(api, "api", headers={HEADER: value})],
                 default=behavior("api"), web_acl_arn=edge_web_acl(ctx), shield=ctx.good)


def build_shared_vpc_origin(ctx: Ctx) -> None:
    """A VPC origin shared through AWS RAM: the distribution (account ACCOUNT_ID) reaches an ALB
    of a second account (PARTNER_ACCOUNT_ID, entered through sts AssumeRole) through a VPC origin
    that account owns (`VpcOriginConfig.OwnerAccountId`); the VPC origin is listed by the
    partner's ListVpcOrigins only (the emulator answers per account). -good: the partner's ALB is
    internal (SG 443 from the CloudFront prefix list), so the VPC origin locks it; -bad: it is
    internet-facing with 443 open to the internet and forwards everything. Scanned with both
    accounts (`--account` x2 `--role-name edge-audit-readonly`) the VPC origin is resolved in the
    partner account and its ALB judged there like any ALB origin; scanned alone, the home
    account cannot judge it (not evaluated, naming the owner). Not part of the one-account live
    scan: tests/it/moto_shared.rs has its own tests for it."""
    partner = ctx.in_partner_account()
    ctx.entry["partner_account_id"] = PARTNER_ACCOUNT_ID
    ctx.entry["partner_role"] = PARTNER_ROLE
    vpc_id, subnets = vpc(partner)
    if ctx.good:
        alb_sg = security_group(partner, vpc_id, "alb-sg", [tcp(443, prefix_list=cloudfront_prefix_list(partner))])
        scheme = "internal"
    else:
        alb_sg = security_group(partner, vpc_id, "alb-open-sg", [tcp(443, cidr="0.0.0.0/0")])
        scheme = "internet-facing"
        ctx.mistake("EA106", "the shared VPC origin points at the partner's internet-facing ALB: it locks nothing")
        ctx.mistake("EA401", "the partner's alb-open-sg allows 443 from 0.0.0.0/0")
        ctx.mistake("EA404", "the partner's ALB forwards by default, no header rule")
        ctx.mistake("EA406", "the partner's ALB origin has no regional web ACL")
    web_sg = security_group(partner, vpc_id, "web-sg", [tcp(8080, group=alb_sg)])
    lb = alb(partner, "alb", vpc_id=vpc_id, subnets=subnets, sg=alb_sg,
             targets=instances(partner, subnets[0], web_sg), verify_header=None, scheme=scheme)
    vo_id = vpc_origin(partner, "app", lb["arn"], owner=PARTNER_ACCOUNT_ID)
    dist = distribution(ctx, origins=[custom_origin("app", lb["dns_name"])], default=behavior("app"),
                        web_acl_arn=edge_web_acl(ctx), shield=ctx.good)
    through_vpc_origin(ctx, dist, "app", vo_id, owner=PARTNER_ACCOUNT_ID)


def build_alb_regex_header(ctx: Ctx) -> None:
    """The listener rule's http-header condition with RegexValues (2025) instead of wildcard
    Values. -good: the secret, anchored (`^secret$`); -bad: `.+`, which any value matches (moto
    cannot store RegexValues: the emulator puts them into DescribeRules)."""
    value = ctx.secret(HEADER)
    pattern = f"^{value}$" if ctx.good else ".+"
    if not ctx.good:
        _no_secret(ctx, "the http-header condition's regex is .+")
    lb = gated_alb_site(ctx, sent=value)
    ctx.emulate("elasticloadbalancing", "regex_header_values", {lb["rule_arns"][0]: [pattern]})
    if ctx.good:
        # The pattern holds the secret: the manifest lists it so no output may print it.
        ctx.weak_secret(pattern)


def build_custom_domain_default_endpoint(ctx: Ctx) -> None:
    """A REST API behind a custom domain (base path mapping) that requires mutual TLS, as the
    distribution's origin; CloudFront presents a client certificate (origin mTLS). -good: the
    default execute-api endpoint is disabled, so the domain is the only way in; -bad: it is left
    on, and reaches the API without any certificate (moto drops the domain's
    mutualTlsAuthentication and the origin's OriginMtlsConfig: the emulator puts them back)."""
    site, bucket = static_site_origin(ctx)
    fn = lambda_function(ctx, "app")
    api = rest_api(ctx, "api", [Route("/api/{proxy+}")], backend=fn,
                   disable_default_endpoint=ctx.good)
    apigw = ctx.client("apigateway")
    domain = f"{ctx.short_name('api')}.example.com"
    cert = certificate(ctx, domain)
    created = apigw.create_domain_name(domainName=domain, regionalCertificateArn=cert,
                                       endpointConfiguration={"types": ["REGIONAL"]},
                                       securityPolicy="TLS_1_2")
    apigw.create_base_path_mapping(domainName=domain, restApiId=api["id"], stage=api["stage"],
                                   basePath="(none)")
    truststore = f"s3://{ctx.name('truststore')}/cloudfront-ca.pem"
    ctx.emulate("apigateway", "domain_names", {domain: {
        "mutualTlsAuthentication": {"truststoreUri": truststore, "truststoreVersion": "1"}}})
    ctx.add("domain_names", name=domain, regional_domain_name=created["regionalDomainName"],
            api_id=api["id"], truststore_uri=truststore)
    if not ctx.good:
        ctx.mistake("EA202", "the default execute-api endpoint is enabled: the API is reachable "
                             "without the client certificate the custom domain requires")
        ctx.mistake("EA203", "the internet-facing stage prod has no web ACL")
        ctx.mistake("EA204", "ANY /api/{proxy+} has authorization NONE")
    client_cert = certificate(ctx, f"{ctx.short_name('cloudfront-client')}.example.com")
    origins = [site, custom_origin("api", domain)]
    dist = distribution(ctx, origins=origins, default=site_behavior(),
                        behaviors=[behavior("api", path="/api/*")],
                        web_acl_arn=edge_web_acl(ctx), shield=ctx.good)
    ctx.emulate("cloudfront", "origins", {dist["id"]: {"api": {"set": {
        "CustomOriginConfig/OriginMtlsConfig": {"ClientCertificateArn": client_cert}}}}})
    if ctx.good:
        restore_s3_oac(ctx, dist, site)
    lock_site_bucket(ctx, dist, bucket)


@dataclass(frozen=True)
class Architecture:
    name: str
    region: str  # where its regional resources live
    build: Callable[[Ctx], None]


ARCHITECTURES = (
    Architecture("apigw-ip-allowlist", "us-east-1", build_apigw_ip_allowlist),
    Architecture("apigw-regional-waf-header", "eu-west-1", build_apigw_regional_waf_header),
    Architecture("apigw-api-key", "us-east-1", build_apigw_api_key),
    Architecture("alb-prefix-list-header", "eu-west-1", build_alb_prefix_list_header),
    Architecture("sigv4-lambda-edge", "us-east-1", build_sigv4_lambda_edge),
    Architecture("vpc-origin", "eu-west-1", build_vpc_origin),
    Architecture("oac-lambda", "eu-west-1", build_oac_lambda),
    Architecture("origin-mtls", "eu-west-1", build_origin_mtls),
    Architecture("regex-pattern-set", "eu-west-1", build_regex_pattern_set),
    Architecture("regex-unanchored-fragment", "eu-west-1", build_regex_unanchored_fragment),
    Architecture("regex-look-ahead", "eu-west-1", build_regex_look_ahead),
    Architecture("byte-match-transformed", "eu-west-1", build_byte_match_transformed),
    Architecture("headers-field-gate", "eu-west-1", build_headers_field_gate),
    Architecture("rule-group-gate", "eu-west-1", build_rule_group_gate),
    Architecture("rule-group-wrong-header", "eu-west-1", build_rule_group_wrong_header),
    Architecture("alb-wildcard-presence", "eu-west-1", build_alb_wildcard_presence),
    Architecture("alb-wildcard-secret", "eu-west-1", build_alb_wildcard_secret),
    Architecture("http-listener-forwards", "eu-west-1", build_http_listener_forwards),
    Architecture("split-cidr-open", "eu-west-1", build_split_cidr_open),
    Architecture("dual-stack-sg", "eu-west-1", build_dual_stack_sg),
    Architecture("lambda-authorizer-header", "eu-west-1", build_lambda_authorizer_header),
    Architecture("second-stage", "eu-west-1", build_second_stage),
    Architecture("custom-domain-default-endpoint", "eu-west-1",
                 build_custom_domain_default_endpoint),
    Architecture("alb-regex-header", "eu-west-1", build_alb_regex_header),
    Architecture("second-account-origin", "eu-west-1", build_second_account_origin),
    # Issue #14 through the emulator (keep at the end).
    Architecture("routing-rule-gate", "eu-west-1", build_routing_rule_gate),
    Architecture("multi-tenant", "eu-west-1", build_multi_tenant),
    Architecture("edge-signer", "us-east-1", build_edge_signer),
    Architecture("shared-vpc-origin", "eu-west-1", build_shared_vpc_origin),
    Architecture("tenant-template", "eu-west-1", build_tenant_template),
)
SCENARIOS = {
    f"{a.name}-{variant}": (a, variant) for a in ARCHITECTURES for variant in ("good", "bad")
}


def seed(aws: Aws, scenario: str) -> dict[str, Any]:
    arch, variant = SCENARIOS[scenario]
    ctx = Ctx(aws, scenario, arch.name, variant, arch.region)
    arch.build(ctx)
    if ctx.emulated:
        ctx.entry["emulated"] = ctx.emulated
    return ctx.entry


def post_emulated(aws: Aws, scenarios: dict[str, Any]) -> None:
    """Posts every scenario's emulator data to the emulator in front of moto. Fails when the
    endpoint is moto itself: those scenarios would silently lose what makes them what they are."""
    for name, entry in scenarios.items():
        document = entry.get("emulated")
        if not document:
            continue
        req = urllib.request.Request(
            f"{aws.endpoint}/_emulator/scenario",
            data=json.dumps(document).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            urllib.request.urlopen(req, timeout=30).read()
        except urllib.error.URLError as exc:
            raise SystemExit(f"seed.py: {name} needs the emulator (tests/moto/emulator) in front of "
                             f"moto at {aws.endpoint}: {exc}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--endpoint", help="moto server URL, e.g. http://127.0.0.1:5055")
    p.add_argument("--scenario", action="append", default=[], choices=sorted(SCENARIOS),
                   metavar="NAME", help="scenario to seed (repeatable); see --list")
    p.add_argument("--list", action="store_true", help="print scenario names and exit")
    p.add_argument("--reset", action="store_true", help="POST /moto-api/reset first")
    p.add_argument("--seed", type=int, help="seed moto's id generator (/moto-api/seed)")
    args = p.parse_args(argv)

    if args.list:
        print("\n".join(SCENARIOS))
        return 0
    if not args.endpoint or not args.scenario:
        p.error("--endpoint and at least one --scenario are required")
    if len(set(args.scenario)) != len(args.scenario):
        p.error("a scenario can only be seeded once per moto server")

    aws = Aws(args.endpoint)
    if args.reset:
        aws.moto_api("reset")
    if args.seed is not None:
        aws.moto_api(f"seed?a={args.seed}")
    scenarios = {}
    for name in args.scenario:
        try:
            scenarios[name] = seed(aws, name)
        except ClientError as exc:
            print(f"seed.py: seeding {name} failed: {exc}\n"
                  "(already seeded on this server? pass --reset)", file=sys.stderr)
            return 2
    post_emulated(aws, scenarios)
    manifest = {
        "endpoint": aws.endpoint,
        "account_id": ACCOUNT_ID,
        "partner_account_id": PARTNER_ACCOUNT_ID,
        "edge_region": EDGE_REGION,
        "scenarios": scenarios,
    }
    json.dump(manifest, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
