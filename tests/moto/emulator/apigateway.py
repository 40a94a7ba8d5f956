"""API Gateway (REST-JSON; v1 API version 2015-07-09 and v2 2018-11-29, both signed `apigateway`):
what moto 5.2.5 does not model of custom domain names: routing rules and routing modes, and the
fields it drops (it does not store `mutualTlsAuthentication`).

Store (`"apigateway"`):
* `routing_modes`: `{domain_name: mode}` (v1 spelling: `BASE_PATH_MAPPING_ONLY`,
  `ROUTING_RULE_ONLY`, `ROUTING_RULE_THEN_BASE_PATH_MAPPING`), added as `routingMode` to that
  domain in moto's GetDomainNames / GetDomainName answers.
* `domain_names`: `{domain_name: {field: value}}`, the API reference's `DomainName` fields (e.g.
  `{"mutualTlsAuthentication": {"truststoreUri": "s3://bucket/key", "truststoreVersion": "1"}}`)
  set on that domain in GetDomainNames and GetDomainName.
* GetBasePathMappings of a routed domain without mappings: moto fails (500), AWS answers an
  empty list, and so does the emulator.
* `routing_rules`: `{domain_name: [rule]}`, each rule as the API reference's `RoutingRule`
  (`{"routingRuleId", "routingRuleArn", "priority", "conditions": [{"matchHeaders": {"anyOf":
  [{"header", "valueGlob"}]}}, {"matchBasePaths": {"anyOf": [...]}}], "actions": [{"invokeApi":
  {"apiId", "stage", "stripBasePath"}}]}`), answered by apigatewayv2 ListRoutingRules in
  priority order, paginated by `maxResults` / `nextToken`.
"""

from __future__ import annotations

import json
from typing import Any

from . import core

DEFAULT_MAX_RESULTS = 100  # ListRoutingRules' largest page

apigateway = core.Service("apigateway", "rest", core.rest_json_error)


def _json(status: int, document: Any) -> core.Response:
    return core.Response(
        status,
        json.dumps(document).encode(),
        [("Content-Type", "application/json"), ("x-amzn-RequestId", core.request_id())],
    )


def _edit_json(response: core.Response, edit: Any) -> core.Response:
    document = json.loads(response.body or b"{}")
    edit(document)
    headers = [(k, v) for k, v in response.headers if k.lower() != "content-length"]
    return core.Response(response.status, json.dumps(document).encode(), headers)


def _overlay_domain(domain: dict[str, Any], store: core.StoreView) -> None:
    """The scenario's routing mode and dropped fields, on one domain of moto's answer."""
    name = domain.get("domainName", "")
    mode = store.mapping("apigateway", "routing_modes").get(name)
    if mode:
        domain["routingMode"] = mode
    domain.update(store.mapping("apigateway", "domain_names").get(name, {}))


def _has_overlays(store: core.StoreView) -> bool:
    return bool(store.mapping("apigateway", "routing_modes") or store.mapping("apigateway", "domain_names"))


@apigateway.overlay("GetDomainNames", "GET", "/domainnames")
def get_domain_names(request: core.Request, store: core.StoreView, response: core.Response) -> core.Response:
    if not _has_overlays(store):
        return response

    def edit(document: dict[str, Any]) -> None:
        for domain in document.get("item", []):
            _overlay_domain(domain, store)

    return _edit_json(response, edit)


@apigateway.overlay("GetDomainName", "GET", "/domainnames/{domain_name}")
def get_domain_name(request: core.Request, store: core.StoreView, response: core.Response) -> core.Response:
    if not _has_overlays(store):
        return response
    return _edit_json(response, lambda document: _overlay_domain(document, store))


@apigateway.handler("ListRoutingRules", "GET", "/v2/domainnames/{domainName}/routingrules")
def list_routing_rules(request: core.Request, store: core.StoreView) -> core.Response:
    domain = request.params["domainName"]
    rules_by_domain = store.mapping("apigateway", "routing_rules")
    if domain not in rules_by_domain and domain not in store.mapping("apigateway", "routing_modes"):
        return apigateway.error("NotFoundException", f"Domain name {domain} not found", 404)
    rules = sorted(rules_by_domain.get(domain, []), key=lambda r: r.get("priority", 0))
    try:
        requested = int(request.arg("maxResults") or 0) or None
    except ValueError:
        requested = None
    size = store.page_size("apigateway:ListRoutingRules", requested, DEFAULT_MAX_RESULTS)
    page, following = core.paginate(rules, request.arg("nextToken"), size)
    document: dict[str, Any] = {"routingRules": page}
    if following:
        document["nextToken"] = following
    return _json(200, document)


@apigateway.fallback("GetBasePathMappings", "GET", "/domainnames/{domain_name}/basepathmappings")
def get_base_path_mappings(request: core.Request, store: core.StoreView, response: core.Response) -> core.Response:
    """moto 5.2.5 answers 500 (a KeyError) for a custom domain without base path mappings, which
    a routing-rule-only domain is; AWS answers an empty list."""
    if response.status == 500 and request.params["domain_name"] in store.mapping("apigateway", "routing_modes"):
        return _json(200, {"item": []})
    return response
