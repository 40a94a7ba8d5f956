"""CloudFront (REST-XML, API version 2020-05-31): VPC origins, and the origin fields moto drops.

Store (`"cloudfront"`, per account: a VPC origin is listed by ListVpcOrigins of the account that
owns it, as in AWS, so a VPC origin shared from a second account goes under that account's
`"accounts"` section):
* `vpc_origins`: a list of VPC origins as the API reference's `VpcOrigin` (JSON spelling of the
  XML: `{"Id", "Arn", "AccountId", "Status", "CreatedTime", "LastModifiedTime",
  "VpcOriginEndpointConfig": {"Name", "Arn", "HTTPPort", "HTTPSPort", "OriginProtocolPolicy",
  "OriginSslProtocols": {"Quantity": 1, "Items": {"SslProtocol": ["TLSv1.2"]}}}}`).
* `origins`: `{distribution_id: {origin_id: patch}}`, a `core.patch_element` patch applied to that
  origin in GetDistribution, GetDistributionConfig and ListDistributions (e.g. set
  `VpcOriginConfig`, `CustomOriginConfig/OriginMtlsConfig`, `OriginAccessControlId`; remove
  `CustomOriginConfig`).
* `distributions`: `{distribution_id: patch}`, a `core.patch_element` patch applied to the
  distribution's config (GetDistribution's `DistributionConfig`, GetDistributionConfig, and the
  ListDistributions summary), e.g. `{"set": {"ConnectionMode": "tenant-only"}}`.
* `tenant_configs`: `{distribution_id: TenantConfig}` (JSON spelling of the XML:
  `{"ParameterDefinitions": {"member": [{"Name", "Definition": {"StringSchema": {"Comment",
  "DefaultValue", "Required"}}}]}}`), set as the distribution config's `TenantConfig` in
  GetDistribution and GetDistributionConfig only: as in AWS, the ListDistributions summary has
  no `TenantConfig`.
* `behaviors`: `{distribution_id: {path_pattern: patch}}` (`"*"` is the default behavior),
  applied to that cache behavior in the same three answers: the edge-code associations moto
  drops (`LambdaFunctionAssociations`, `FunctionAssociations`).
* `distribution_tenants`: a list of the API reference's `DistributionTenant` (JSON spelling of
  the XML: `{"Id", "DistributionId", "Name", "Arn", "Domains": {"member": [{"Domain", "Status"}]},
  "ConnectionGroupId", "Customizations": {"WebAcl": {"Action", "Arn"}}, "CreatedTime",
  "LastModifiedTime", "Enabled", "Status", "Parameters": {"member": [{"Name", "Value"}]}}`),
  answered by ListDistributionTenants (summaries, without `Parameters`, as in AWS; paginated by
  `Marker`/`MaxItems` of the request body) and GetDistributionTenant (by id or ARN, with them).
"""

from __future__ import annotations

from typing import Any

from . import core

API = "/2020-05-31"
NAMESPACE = "http://cloudfront.amazonaws.com/doc/2020-05-31/"
DEFAULT_MAX_ITEMS = 100

cloudfront = core.Service("cloudfront", "rest", core.rest_xml_error)


def _xml(status: int, name: str, document: dict[str, Any], etag: str | None = None) -> core.Response:
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<{name} xmlns="{NAMESPACE}">'
    body += "".join(core.to_xml(k, v) for k, v in document.items())
    body += f"</{name}>"
    headers = [("Content-Type", "text/xml"), ("x-amz-request-id", core.request_id())]
    if etag:
        headers.append(("ETag", etag))
    return core.Response(status, body.encode(), headers)


def _max_items(request: core.Request) -> int | None:
    try:
        return int(request.arg("MaxItems") or 0) or None
    except ValueError:
        return None


@cloudfront.handler("ListVpcOrigins", "GET", f"{API}/vpc-origin")
def list_vpc_origins(request: core.Request, store: core.StoreView) -> core.Response:
    origins = store.items("cloudfront", "vpc_origins")
    size = store.page_size("cloudfront:ListVpcOrigins", _max_items(request), DEFAULT_MAX_ITEMS)
    marker = request.arg("Marker") or ""
    page, following = core.paginate(origins, marker, size)
    summaries = [
        {
            "Id": origin["Id"],
            "Name": origin["VpcOriginEndpointConfig"]["Name"],
            "Status": origin["Status"],
            "CreatedTime": origin["CreatedTime"],
            "LastModifiedTime": origin["LastModifiedTime"],
            "Arn": origin["Arn"],
            "AccountId": origin.get("AccountId", store.account),
            "OriginEndpointArn": origin["VpcOriginEndpointConfig"]["Arn"],
        }
        for origin in page
    ]
    document: dict[str, Any] = {"Marker": marker}
    if following:
        document["NextMarker"] = following
    document.update(
        {
            "MaxItems": size,
            "IsTruncated": following is not None,
            "Quantity": len(summaries),
        }
    )
    if summaries:
        document["Items"] = {"VpcOriginSummary": summaries}
    return _xml(200, "VpcOriginList", document)


@cloudfront.handler("GetVpcOrigin", "GET", f"{API}/vpc-origin/{{Id}}")
def get_vpc_origin(request: core.Request, store: core.StoreView) -> core.Response:
    wanted = request.params["Id"]
    for origin in store.items("cloudfront", "vpc_origins"):
        if origin["Id"] == wanted:
            return _xml(200, "VpcOrigin", origin, etag=origin.get("ETag", "E" + wanted.upper()[:13]))
    return core.rest_xml_error("EntityNotFound", f"The VPC origin {wanted} does not exist.", 404)


def _patch_distribution(root: Any, namespace: str, store: core.StoreView, distribution_id: str) -> None:
    """Applies the store's origin, distribution and behavior patches of `distribution_id` to
    `root` (a DistributionConfig or a DistributionSummary)."""
    origins = store.mapping("cloudfront", "origins").get(distribution_id)
    if origins:
        _patch_origins(root, namespace, origins)
    patch = store.mapping("cloudfront", "distributions").get(distribution_id)
    if patch:
        core.patch_element(root, namespace, patch)
    for pattern, behavior_patch in store.mapping("cloudfront", "behaviors").get(distribution_id, {}).items():
        if pattern == "*":
            targets = root.findall(core.qualified(namespace, "DefaultCacheBehavior"))
        else:
            targets = [
                b for b in root.findall(core.qualified(namespace, "CacheBehaviors/Items/CacheBehavior"))
                if b.findtext(core.qualified(namespace, "PathPattern")) == pattern
            ]
        if not targets:
            raise ValueError(f"distribution {distribution_id} has no behavior {pattern}")
        for target in targets:
            core.patch_element(target, namespace, behavior_patch)


def _set_tenant_config(config: Any, namespace: str, store: core.StoreView, distribution_id: str) -> None:
    """Sets the store's `TenantConfig` of `distribution_id` on `config` (a DistributionConfig)."""
    tenant_config = store.mapping("cloudfront", "tenant_configs").get(distribution_id)
    if tenant_config is not None:
        core.patch_element(config, namespace, {"set": {"TenantConfig": tenant_config}})


def _has_patches(store: core.StoreView, distribution_id: str | None = None) -> bool:
    kinds = [store.mapping("cloudfront", k) for k in ("origins", "distributions", "behaviors", "tenant_configs")]
    if distribution_id is None:
        return any(kinds)
    return any(distribution_id in kind for kind in kinds)


def _patch_origins(root: Any, namespace: str, patches: dict[str, Any]) -> None:
    """Applies the patches of one distribution to the `Origins/Items/Origin` under `root` (a
    DistributionConfig or a DistributionSummary)."""
    for origin in root.findall(core.qualified(namespace, "Origins/Items/Origin")):
        origin_id = origin.findtext(core.qualified(namespace, "Id"))
        if origin_id in patches:
            core.patch_element(origin, namespace, patches[origin_id])


@cloudfront.overlay("GetDistribution", "GET", f"{API}/distribution/{{Id}}")
def get_distribution(request: core.Request, store: core.StoreView, response: core.Response) -> core.Response:
    distribution_id = request.params["Id"]
    if not _has_patches(store, distribution_id):
        return response

    def edit(root: Any, namespace: str) -> None:
        config = root.find(core.qualified(namespace, "DistributionConfig"))
        if config is not None:
            _patch_distribution(config, namespace, store, distribution_id)
            _set_tenant_config(config, namespace, store, distribution_id)

    return core.edit_xml(response, edit)


@cloudfront.overlay("GetDistributionConfig", "GET", f"{API}/distribution/{{Id}}/config")
def get_distribution_config(request: core.Request, store: core.StoreView, response: core.Response) -> core.Response:
    distribution_id = request.params["Id"]
    if not _has_patches(store, distribution_id):
        return response
    def edit(root: Any, namespace: str) -> None:
        _patch_distribution(root, namespace, store, distribution_id)
        _set_tenant_config(root, namespace, store, distribution_id)

    return core.edit_xml(response, edit)


@cloudfront.overlay("ListDistributions", "GET", f"{API}/distribution")
def list_distributions(request: core.Request, store: core.StoreView, response: core.Response) -> core.Response:
    if not _has_patches(store):
        return response

    def edit(root: Any, namespace: str) -> None:
        for summary in root.findall(core.qualified(namespace, "Items/DistributionSummary")):
            distribution_id = summary.findtext(core.qualified(namespace, "Id"))
            if distribution_id and _has_patches(store, distribution_id):
                _patch_distribution(summary, namespace, store, distribution_id)

    return core.edit_xml(response, edit)


def _request_xml(request: core.Request, field: str) -> str | None:
    """A field of a REST-XML request body (`<ListDistributionTenantsRequest><Marker>`)."""
    import xml.etree.ElementTree as ET

    if not request.body:
        return None
    root = ET.fromstring(request.body)
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == field:
            return element.text
    return None


TENANT_SUMMARY_FIELDS = ("Id", "DistributionId", "Name", "Arn", "Domains", "ConnectionGroupId", "Customizations",
                         "CreatedTime", "LastModifiedTime", "ETag", "Enabled", "Status")
TENANT_FIELDS = ("Id", "DistributionId", "Name", "Arn", "Domains", "Tags", "Customizations", "Parameters",
                 "ConnectionGroupId", "CreatedTime", "LastModifiedTime", "Enabled", "Status")


def _etag(tenant: dict[str, Any]) -> str:
    return tenant.get("ETag") or "E" + tenant["Id"].upper().replace("_", "")[:13]


@cloudfront.handler("ListDistributionTenants", "POST", f"{API}/distribution-tenants")
def list_distribution_tenants(request: core.Request, store: core.StoreView) -> core.Response:
    tenants = store.items("cloudfront", "distribution_tenants")
    try:
        requested = int(_request_xml(request, "MaxItems") or 0) or None
    except ValueError:
        requested = None
    size = store.page_size("cloudfront:ListDistributionTenants", requested, DEFAULT_MAX_ITEMS)
    page, following = core.paginate(tenants, _request_xml(request, "Marker"), size)
    summaries = []
    for tenant in page:
        summary = {**tenant, "ETag": _etag(tenant)}
        summaries.append({k: summary[k] for k in TENANT_SUMMARY_FIELDS if k in summary})
    document: dict[str, Any] = {}
    if following:
        document["NextMarker"] = following
    document["DistributionTenantList"] = {"DistributionTenantSummary": summaries}
    return _xml(200, "ListDistributionTenantsResult", document)


@cloudfront.handler("GetDistributionTenant", "GET", f"{API}/distribution-tenant/{{Identifier}}")
def get_distribution_tenant(request: core.Request, store: core.StoreView) -> core.Response:
    wanted = request.params["Identifier"]
    for tenant in store.items("cloudfront", "distribution_tenants"):
        if wanted in (tenant["Id"], tenant["Arn"]):
            document = {k: tenant[k] for k in TENANT_FIELDS if k in tenant}
            return _xml(200, "DistributionTenant", document, etag=_etag(tenant))
    return core.rest_xml_error("EntityNotFound", f"The distribution tenant {wanted} does not exist.", 404)
