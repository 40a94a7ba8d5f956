"""EC2 (query protocol, API version 2016-11-15): the AWS-managed prefix lists moto 5.2.5 lacks
(it has CloudFront's IPv4 origin-facing list, not the IPv6 one AWS has in every region).

Store (`"ec2"`):
* `managed_prefix_lists`: `{region: {prefix_list_id: {"prefixListId", "addressFamily", "state",
  "prefixListArn", "prefixListName", "maxEntries", "version", "ownerId"}}}` (the API's XML
  element names), added to moto's DescribeManagedPrefixLists answer in that region when the
  request's `PrefixListId.N` and `Filter.N` (prefix-list-id, prefix-list-name, owner-id) select it.
"""

from __future__ import annotations

from typing import Any

from . import core

NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/"

ec2 = core.Service("ec2", "query", core.query_error(NAMESPACE))

FILTER_FIELDS = {"prefix-list-id": "prefixListId", "prefix-list-name": "prefixListName", "owner-id": "ownerId"}


def _indexed(request: core.Request, prefix: str) -> list[str]:
    """`Prefix.1`, `Prefix.2`, ... in order."""
    found = []
    index = 1
    while (value := request.arg(f"{prefix}.{index}")) is not None:
        found.append(value)
        index += 1
    return found


def _selected(request: core.Request, prefix_list: dict[str, Any]) -> bool:
    ids = _indexed(request, "PrefixListId")
    if ids and prefix_list["prefixListId"] not in ids:
        return False
    index = 1
    while (name := request.arg(f"Filter.{index}.Name")) is not None:
        values = _indexed(request, f"Filter.{index}.Value")
        field = FILTER_FIELDS.get(name)
        # A filter this overlay does not know selects nothing it adds (fail closed).
        if field is None or str(prefix_list.get(field)) not in values:
            return False
        index += 1
    return True


@ec2.overlay("DescribeManagedPrefixLists")
def describe_managed_prefix_lists(request: core.Request, store: core.StoreView, response: core.Response) -> core.Response:
    lists = store.mapping("ec2", "managed_prefix_lists").get(request.region or "", {})
    added = [pl for pl in lists.values() if _selected(request, pl)]
    if not added:
        return response

    def edit(root: Any, namespace: str) -> None:
        container = root.find(core.qualified(namespace, "prefixListSet"))
        if container is None:
            container = core.element_from(namespace, "prefixListSet", None)
            root.append(container)
        present = {item.findtext(core.qualified(namespace, "prefixListId")) for item in container}
        for prefix_list in added:
            if prefix_list["prefixListId"] not in present:
                container.append(core.element_from(namespace, "item", prefix_list))

    return core.edit_xml(response, edit)
