"""Elastic Load Balancing v2 (query protocol, API version 2015-12-01): listeners' mutual TLS and
trust stores, which moto 5.2.5 does not model.

Store (`"elasticloadbalancing"`):
* `mutual_authentication`: `{listener_arn: {"Mode": "verify" | "passthrough" | "off",
  "TrustStoreArn": ..., "IgnoreClientCertificateExpiry": false, "TrustStoreAssociationStatus":
  "active"}}`, added to those listeners in moto's DescribeListeners answer.
* `trust_stores`: a list of the API reference's `TrustStore` (`{"Name", "TrustStoreArn", "Status",
  "NumberOfCaCertificates", "TotalRevokedEntries"}`), answered by DescribeTrustStores.
* `regex_header_values`: `{rule_arn: ["regex", ...]}`: that rule's http-header condition matches
  `RegexValues` (2025) instead of `Values` in DescribeRules (moto 5.2.5 fails on CreateRule with
  RegexValues, so the seeder creates the rule with Values and the emulator swaps them).
"""

from __future__ import annotations

from typing import Any

from . import core

NAMESPACE = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
DEFAULT_PAGE_SIZE = 400  # the API reference's maximum PageSize

elbv2 = core.Service("elasticloadbalancing", "query", core.query_error(NAMESPACE))


def _members(request: core.Request, name: str) -> list[str]:
    """`Name.member.1`, `Name.member.2`, ... in order."""
    found = []
    index = 1
    while (value := request.arg(f"{name}.member.{index}")) is not None:
        found.append(value)
        index += 1
    return found


def _answer(operation: str, result: dict[str, Any]) -> core.Response:
    body = (
        f'<{operation}Response xmlns="{NAMESPACE}"><{operation}Result>'
        + "".join(core.to_xml(k, v) for k, v in result.items())
        + f"</{operation}Result><ResponseMetadata><RequestId>{core.request_id()}</RequestId>"
        f"</ResponseMetadata></{operation}Response>"
    )
    return core.Response(200, body.encode(), [("Content-Type", "text/xml")])


@elbv2.handler("DescribeTrustStores")
def describe_trust_stores(request: core.Request, store: core.StoreView) -> core.Response:
    stores = store.items("elasticloadbalancing", "trust_stores")
    arns = _members(request, "TrustStoreArns")
    names = _members(request, "Names")
    if arns:
        missing = [arn for arn in arns if arn not in {s["TrustStoreArn"] for s in stores}]
        if missing:
            return elbv2.error("TrustStoreNotFound", f"One or more trust stores not found: {missing}", 400)
        stores = [s for s in stores if s["TrustStoreArn"] in arns]
    if names:
        stores = [s for s in stores if s["Name"] in names]
    try:
        requested = int(request.arg("PageSize") or 0) or None
    except ValueError:
        requested = None
    size = store.page_size("elasticloadbalancing:DescribeTrustStores", requested, DEFAULT_PAGE_SIZE)
    page, following = core.paginate(stores, request.arg("Marker"), size)
    result: dict[str, Any] = {"TrustStores": {"member": page}}
    if following:
        result["NextMarker"] = following
    return _answer("DescribeTrustStores", result)


@elbv2.overlay("DescribeListeners")
def describe_listeners(request: core.Request, store: core.StoreView, response: core.Response) -> core.Response:
    settings = store.mapping("elasticloadbalancing", "mutual_authentication")
    if not settings:
        return response

    def edit(root: Any, namespace: str) -> None:
        path = core.qualified(namespace, "DescribeListenersResult/Listeners/member")
        for listener in root.findall(path):
            arn = listener.findtext(core.qualified(namespace, "ListenerArn"))
            if arn in settings:
                core.patch_element(listener, namespace, {"set": {"MutualAuthentication": settings[arn]}})

    return core.edit_xml(response, edit)


@elbv2.overlay("DescribeRules")
def describe_rules(request: core.Request, store: core.StoreView, response: core.Response) -> core.Response:
    regexes = store.mapping("elasticloadbalancing", "regex_header_values")
    if not regexes:
        return response

    def edit(root: Any, namespace: str) -> None:
        for rule in root.findall(core.qualified(namespace, "DescribeRulesResult/Rules/member")):
            patterns = regexes.get(rule.findtext(core.qualified(namespace, "RuleArn")))
            if patterns is None:
                continue
            for condition in rule.findall(core.qualified(namespace, "Conditions/member")):
                if condition.findtext(core.qualified(namespace, "Field")) != "http-header":
                    continue
                core.patch_element(condition, namespace, {
                    "remove": ["Values", "HttpHeaderConfig/Values"],
                    "set": {"HttpHeaderConfig/RegexValues": {"member": patterns}},
                })

    return core.edit_xml(response, edit)
