"""STS (query protocol, API version 2011-06-15): which account each assumed-role access key acts in.

moto 5.2.5 implements AssumeRole and itself maps the keys it hands out to the role's account;
the emulator has to do the same to answer its own operations per account (a VPC origin listed
in the account that owns it, not in every account). Nothing is answered here: AssumeRole is
forwarded to moto, and its successful answer is read (not changed) for
`Credentials/AccessKeyId` and the account of `AssumedRoleUser/Arn`
(`arn:aws:sts::ACCOUNT:assumed-role/...`; the requested `RoleArn`'s account when the answer
has none), recorded with `Store.learn_account`. Any other key belongs to moto's default
account (`core.ACCOUNT_ID`), as in moto.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from . import core

NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"

sts = core.Service("sts", "query", core.query_error(NAMESPACE))


def _text(root: ET.Element, *path: str) -> str | None:
    """The text of the first element at `path` (local names, any namespace)."""
    elements = [root]
    for name in path:
        elements = [child for element in elements for child in element if child.tag.rsplit("}", 1)[-1] == name]
    return elements[0].text if elements and elements[0].text else None


def _account_of_arn(arn: str | None) -> str | None:
    parts = (arn or "").split(":")
    return parts[4] if len(parts) > 5 and parts[4].isdigit() and len(parts[4]) == 12 else None


@sts.overlay("AssumeRole")
def assume_role(request: core.Request, store: core.StoreView, response: core.Response) -> core.Response:
    root = ET.fromstring(response.body)
    access_key = _text(root, "AssumeRoleResult", "Credentials", "AccessKeyId")
    account = _account_of_arn(_text(root, "AssumeRoleResult", "AssumedRoleUser", "Arn")) or _account_of_arn(
        request.arg("RoleArn")
    )
    if access_key and account:
        store.learn_account(access_key, account)
    return response
