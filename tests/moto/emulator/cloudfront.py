"""CloudFront (REST-XML, API version 2020-05-31): VPC origins, and the origin fields moto drops.

Store (`"cloudfront"`):
* `vpc_origins`: a list of VPC origins as the API reference's `VpcOrigin` (JSON spelling of the
  XML: `{"Id", "Arn", "AccountId", "Status", "CreatedTime", "LastModifiedTime",
  "VpcOriginEndpointConfig": {"Name", "Arn", "HTTPPort", "HTTPSPort", "OriginProtocolPolicy",
  "OriginSslProtocols": {"Quantity": 1, "Items": {"SslProtocol": ["TLSv1.2"]}}}}`).
* `origins`: `{distribution_id: {origin_id: patch}}`, a `core.patch_element` patch applied to that
  origin in GetDistribution, GetDistributionConfig and ListDistributions (e.g. set
  `VpcOriginConfig`, `CustomOriginConfig/OriginMtlsConfig`, `OriginAccessControlId`; remove
  `CustomOriginConfig`).
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
def list_vpc_origins(request: core.Request, store: core.Store) -> core.Response:
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
            "AccountId": origin.get("AccountId", core.ACCOUNT_ID),
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
def get_vpc_origin(request: core.Request, store: core.Store) -> core.Response:
    wanted = request.params["Id"]
    for origin in store.items("cloudfront", "vpc_origins"):
        if origin["Id"] == wanted:
            return _xml(200, "VpcOrigin", origin, etag=origin.get("ETag", "E" + wanted.upper()[:13]))
    return core.rest_xml_error("EntityNotFound", f"The VPC origin {wanted} does not exist.", 404)


def _patch_origins(root: Any, namespace: str, patches: dict[str, Any]) -> None:
    """Applies the patches of one distribution to the `Origins/Items/Origin` under `root` (a
    DistributionConfig or a DistributionSummary)."""
    for origin in root.findall(core.qualified(namespace, "Origins/Items/Origin")):
        origin_id = origin.findtext(core.qualified(namespace, "Id"))
        if origin_id in patches:
            core.patch_element(origin, namespace, patches[origin_id])


@cloudfront.overlay("GetDistribution", "GET", f"{API}/distribution/{{Id}}")
def get_distribution(request: core.Request, store: core.Store, response: core.Response) -> core.Response:
    patches = store.mapping("cloudfront", "origins").get(request.params["Id"])
    if not patches:
        return response

    def edit(root: Any, namespace: str) -> None:
        config = root.find(core.qualified(namespace, "DistributionConfig"))
        if config is not None:
            _patch_origins(config, namespace, patches)

    return core.edit_xml(response, edit)


@cloudfront.overlay("GetDistributionConfig", "GET", f"{API}/distribution/{{Id}}/config")
def get_distribution_config(request: core.Request, store: core.Store, response: core.Response) -> core.Response:
    patches = store.mapping("cloudfront", "origins").get(request.params["Id"])
    if not patches:
        return response
    return core.edit_xml(response, lambda root, namespace: _patch_origins(root, namespace, patches))


@cloudfront.overlay("ListDistributions", "GET", f"{API}/distribution")
def list_distributions(request: core.Request, store: core.Store, response: core.Response) -> core.Response:
    patches = store.mapping("cloudfront", "origins")
    if not patches:
        return response

    def edit(root: Any, namespace: str) -> None:
        for summary in root.findall(core.qualified(namespace, "Items/DistributionSummary")):
            distribution_id = summary.findtext(core.qualified(namespace, "Id"))
            if distribution_id in patches:
                _patch_origins(summary, namespace, patches[distribution_id])

    return core.edit_xml(response, edit)
