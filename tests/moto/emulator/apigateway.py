"""API Gateway (REST-JSON, REST APIs' control plane): the custom domain name fields moto 5.2.5
drops (it does not store `mutualTlsAuthentication`).

Store (`"apigateway"`):
* `domain_names`: `{domain_name: {field: value}}`, the API reference's `DomainName` fields (e.g.
  `{"mutualTlsAuthentication": {"truststoreUri": "s3://bucket/key", "truststoreVersion": "1"}}`)
  set on that domain in GetDomainNames and GetDomainName.
"""

from __future__ import annotations

import json
from typing import Any

from . import core

apigateway = core.Service("apigateway", "rest", core.rest_json_error)


def _with_fields(response: core.Response, edit: Any) -> core.Response:
    document = json.loads(response.body or b"{}")
    edit(document)
    headers = [(k, v) for k, v in response.headers if k.lower() != "content-length"]
    return core.Response(response.status, json.dumps(document).encode(), headers)


@apigateway.overlay("GetDomainNames", "GET", "/domainnames")
def get_domain_names(request: core.Request, store: core.Store, response: core.Response) -> core.Response:
    fields = store.mapping("apigateway", "domain_names")
    if not fields:
        return response

    def edit(document: dict[str, Any]) -> None:
        for domain in document.get("item", []):
            domain.update(fields.get(domain.get("domainName"), {}))

    return _with_fields(response, edit)


@apigateway.overlay("GetDomainName", "GET", "/domainnames/{domain_name}")
def get_domain_name(request: core.Request, store: core.Store, response: core.Response) -> core.Response:
    fields = store.mapping("apigateway", "domain_names").get(request.params["domain_name"])
    if not fields:
        return response
    return _with_fields(response, lambda document: document.update(fields))
