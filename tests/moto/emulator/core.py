"""The emulator's core: an HTTP proxy in front of moto, the operation registry and the scenario store.

Every request is classified by service (the SigV4 credential scope of its `Authorization` header)
and operation (a REST route, the query protocol's `Action`, or the JSON protocol's `X-Amz-Target`).
Then, in this order:

1. an operation named in the store's `deny` list answers the service's AccessDenied error;
2. an operation with a *handler* (one moto 5.2.5 lacks) is answered from the scenario store;
3. everything else is forwarded to moto byte for byte; an operation with an *overlay* gets moto's
   answer edited (fields moto drops put back from the store) before it is returned, and one with
   a *fallback* gets moto's failed answer replaced (a moto bug on data it stores).

Every request is also attributed to an **account**: the access key of its credential scope is
looked up among the keys the emulator saw sts AssumeRole hand out (`sts.py` learns them from
moto's answers, as moto itself maps keys to accounts); any other key is moto's default account
`ACCOUNT_ID`. Handlers, overlays and the deny list read that account's scenario data only (a
`StoreView`), so two accounts seeded on one moto server answer from their own data.

Service modules (`cloudfront.py`, `elbv2.py`, ...) register with the decorators of a `Service`
and never touch this file; `load_services()` imports every module of the package.
"""

from __future__ import annotations

import copy
import http.client
import importlib
import json
import pkgutil
import re
import threading
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

ACCOUNT_ID = "123456789012"

CONTROL_PREFIX = "/_emulator/"
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "content-length",
}
CREDENTIAL_SCOPE = re.compile(r"Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")


@dataclass
class Request:
    """One request as the client sent it."""

    method: str
    path: str  # without the query string, percent-decoded
    raw_path: str  # as sent, with the query string
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    service: str | None
    region: str | None
    access_key: str | None = None  # of the SigV4 credential scope
    account: str = ACCOUNT_ID  # the account `access_key` belongs to (see `Store.account_of`)
    params: dict[str, str] = field(default_factory=dict)  # a REST route's path parameters
    form: dict[str, list[str]] = field(default_factory=dict)  # the query protocol's parameters

    def arg(self, name: str, default: str | None = None) -> str | None:
        """A query-string parameter (REST) or a form parameter (query protocol)."""
        values = self.query.get(name) or self.form.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        return json.loads(self.body or b"{}")


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


Handler = Callable[[Request, "StoreView"], Response]
Overlay = Callable[[Request, "StoreView", Response], Response]
ErrorFormatter = Callable[[str, str, int], Response]


class Store:
    """Scenario data, posted by the seeder to `/_emulator/scenario`, keyed by the ids moto assigned.

    The document is `{service: {kind: list | dict}, "deny": ["service:Operation"],
    "page_size": {"service:Operation": n}}` for moto's default account `ACCOUNT_ID`, and the same
    shape under `"accounts": {account_id: {...}}` for any other account (entered through sts
    AssumeRole). Posting merges: lists are appended, dicts merged key by key, so several
    scenarios can be posted one after the other.

    Beside the scenario data it holds the access keys sts AssumeRole handed out and their
    accounts (`learn_account`): not scenario data, so `/_emulator/reset` keeps them (moto still
    honours those keys) and only moto's own reset forgets them.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, Any] = {}
        self._accounts_by_key: dict[str, str] = {}

    def reset(self, credentials: bool = False) -> None:
        with self._lock:
            self._data = {}
            if credentials:
                self._accounts_by_key = {}

    def merge(self, document: dict[str, Any]) -> None:
        with self._lock:
            _merge(self._data, document)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._data)

    def learn_account(self, access_key: str, account: str) -> None:
        """Records that `access_key` (handed out by sts AssumeRole) acts in `account`."""
        with self._lock:
            self._accounts_by_key[access_key] = account

    def account_of(self, access_key: str | None) -> str:
        """The account of an access key: the one AssumeRole handed it out for, else moto's
        default account (moto does the same for any key it did not issue)."""
        with self._lock:
            return self._accounts_by_key.get(access_key or "", ACCOUNT_ID)

    def learned_accounts(self) -> dict[str, str]:
        with self._lock:
            return dict(self._accounts_by_key)

    def view(self, account: str) -> "StoreView":
        """What `account`'s requests see."""
        return StoreView(self, account)

    def _section(self, account: str) -> dict[str, Any]:
        """The part of the document for `account` (the caller holds the lock)."""
        if account == ACCOUNT_ID:
            return self._data
        return self._data.get("accounts", {}).get(account, {})


class StoreView:
    """One account's scenario data: what handlers, overlays and the deny list read."""

    def __init__(self, store: Store, account: str) -> None:
        self._store = store
        self.account = account

    def items(self, service: str, kind: str) -> list[Any]:
        """A list kind of a service (a copy)."""
        with self._store._lock:
            return copy.deepcopy(self._store._section(self.account).get(service, {}).get(kind, []))

    def mapping(self, service: str, kind: str) -> dict[str, Any]:
        """A dict kind of a service (a copy)."""
        with self._store._lock:
            return copy.deepcopy(self._store._section(self.account).get(service, {}).get(kind, {}))

    def denied(self, operation: str) -> bool:
        with self._store._lock:
            return operation in self._store._section(self.account).get("deny", [])

    def page_size(self, operation: str, requested: int | None, default: int) -> int:
        """The page size an operation answers with: the client's, capped by the scenario's."""
        with self._store._lock:
            cap = self._store._section(self.account).get("page_size", {}).get(operation)
        size = requested if requested and requested > 0 else default
        return min(size, cap) if cap else size

    def learn_account(self, access_key: str, account: str) -> None:
        self._store.learn_account(access_key, account)


def _merge(into: dict[str, Any], document: dict[str, Any]) -> None:
    for key, value in document.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, list) and isinstance(into.get(key), list):
            into[key].extend(v for v in value if v not in into[key])
        else:
            into[key] = copy.deepcopy(value)


def paginate(items: list[Any], marker: str | None, size: int) -> tuple[list[Any], str | None]:
    """One page of `items` from the opaque `marker` (an index), and the next page's marker."""
    try:
        start = int(marker) if marker else 0
    except ValueError:
        start = 0
    page = items[start : start + size]
    following = start + size
    return page, (str(following) if following < len(items) else None)


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------


@dataclass
class Route:
    operation: str
    method: str
    pattern: re.Pattern[str]


class Service:
    """One AWS service's operations: handlers (answered here) and overlays (moto's answer edited).

    `protocol` is `rest` (routes by method and path), `query` (the `Action` form parameter) or
    `json` (the `X-Amz-Target` header). `signing_name` is the SigV4 service name the client
    signs with. `error` formats the service's error answer (code, message, status).
    """

    def __init__(self, signing_name: str, protocol: str, error: ErrorFormatter):
        self.signing_name = signing_name
        self.protocol = protocol
        self.error = error
        self.routes: list[Route] = []
        self.handlers: dict[str, Handler] = {}
        self.overlays: dict[str, list[Overlay]] = {}
        self.fallbacks: dict[str, Overlay] = {}
        REGISTRY[signing_name] = self

    def route(self, operation: str, method: str, path: str) -> None:
        """Names a REST operation: `path` with `{Param}` placeholders (one segment each)."""
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path))
        self.routes.append(Route(operation, method, re.compile(f"^{regex}/?$")))

    def handler(self, operation: str, method: str | None = None, path: str | None = None) -> Callable[[Handler], Handler]:
        """Answers `operation` from the store (moto never sees it)."""

        def register(function: Handler) -> Handler:
            if method and path:
                self.route(operation, method, path)
            self.handlers[operation] = function
            return function

        return register

    def overlay(self, operation: str, method: str | None = None, path: str | None = None) -> Callable[[Overlay], Overlay]:
        """Edits moto's successful answer to `operation` before the client gets it."""

        def register(function: Overlay) -> Overlay:
            if method and path:
                self.route(operation, method, path)
            self.overlays.setdefault(operation, []).append(function)
            return function

        return register

    def fallback(self, operation: str, method: str | None = None, path: str | None = None) -> Callable[[Overlay], Overlay]:
        """Replaces moto's *failed* answer to `operation` (a moto bug on data it stores, e.g. a
        500 where AWS answers an empty list) before the client gets it."""

        def register(function: Overlay) -> Overlay:
            if method and path:
                self.route(operation, method, path)
            self.fallbacks[operation] = function
            return function

        return register

    def operation_of(self, request: Request) -> str | None:
        if self.protocol == "query":
            return request.arg("Action")
        if self.protocol == "json":
            target = request.headers.get("x-amz-target", "")
            return target.rsplit(".", 1)[-1] or None
        for route in self.routes:
            if route.method != request.method:
                continue
            matched = route.pattern.match(request.path)
            if matched:
                request.params = {k: urllib.parse.unquote(v) for k, v in matched.groupdict().items()}
                return route.operation
        return None


REGISTRY: dict[str, Service] = {}


def load_services() -> None:
    """Imports every module of this package, so each registers its `Service`."""
    package = __name__.rsplit(".", 1)[0]
    for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
        if module.name not in ("core", "__main__"):
            importlib.import_module(f"{package}.{module.name}")


# --------------------------------------------------------------------------
# The proxy
# --------------------------------------------------------------------------


class Emulator(ThreadingHTTPServer):
    """The emulator's listening socket. `listen()` runs in the constructor, so the accept queue's
    size is a class attribute: socketserver's default of 5 drops the SYNs of a scan that opens
    more connections at once (several accounts, 8 calls in flight each), and the client retries a
    dropped SYN only after 1 s, which stalls the call it carries."""

    daemon_threads = True
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], upstream: str):
        super().__init__(address, ProxyHandler)
        parsed = urllib.parse.urlsplit(upstream)
        self.upstream_host = parsed.hostname or "127.0.0.1"
        self.upstream_port = parsed.port or 80
        self.store = Store()


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Emulator

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        body = self._read_body()
        split = urllib.parse.urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        scope = CREDENTIAL_SCOPE.search(headers.get("authorization", ""))
        request = Request(
            method=self.command,
            path=urllib.parse.unquote(split.path),
            raw_path=self.path,
            query=urllib.parse.parse_qs(split.query, keep_blank_values=True),
            headers=headers,
            body=body,
            access_key=scope.group(1) if scope else None,
            region=scope.group(2) if scope else None,
            service=scope.group(3) if scope else None,
        )
        request.account = self.server.store.account_of(request.access_key)
        try:
            response = self._dispatch(request)
        except Exception as error:  # an emulator bug must reach the test, not hang the client
            response = Response(500, f"emulator error: {type(error).__name__}: {error}".encode(),
                                [("Content-Type", "text/plain")])
        self._send(response)

    def _dispatch(self, request: Request) -> Response:
        if request.path.startswith(CONTROL_PREFIX):
            return self._control(request)
        if request.path.rstrip("/") == "/moto-api/reset":
            self.server.store.reset(credentials=True)
            return self._forward(request)
        store = self.server.store.view(request.account)
        service = REGISTRY.get(request.service or "")
        if service is None:
            return self._forward(request)
        if service.protocol == "query" and request.method == "POST":
            request.form = urllib.parse.parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        operation = service.operation_of(request)
        if operation is None:
            return self._forward(request)
        qualified = f"{service.signing_name}:{operation}"
        if store.denied(qualified):
            return service.error("AccessDenied", f"User is not authorized to perform: {qualified}", 403)
        if operation in service.handlers:
            return service.handlers[operation](request, store)
        response = self._forward(request)
        if 200 <= response.status < 300:
            for overlay in service.overlays.get(operation, []):
                response = overlay(request, store, response)
        elif operation in service.fallbacks:
            response = service.fallbacks[operation](request, store, response)
        return response

    def _control(self, request: Request) -> Response:
        store = self.server.store
        action = request.path[len(CONTROL_PREFIX) :].strip("/")
        if action == "scenario" and request.method == "POST":
            store.merge(request.json())
            return _json(200, {"ok": True})
        if action == "reset" and request.method == "POST":
            store.reset()
            return _json(200, {"ok": True})
        if action == "state" and request.method == "GET":
            return _json(200, store.snapshot())
        if action == "accounts" and request.method == "GET":
            return _json(200, store.learned_accounts())
        if action == "health":
            return _json(200, {"ok": True, "services": sorted(REGISTRY)})
        return _json(404, {"error": f"no control action {request.method} {action}"})

    def _forward(self, request: Request) -> Response:
        connection = http.client.HTTPConnection(self.server.upstream_host, self.server.upstream_port, timeout=120)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["Content-Length"] = str(len(request.body))
            connection.request(request.method, request.raw_path, body=request.body, headers=headers)
            upstream = connection.getresponse()
            body = upstream.read()
            kept = [(k, v) for k, v in upstream.getheaders() if k.lower() not in HOP_BY_HOP]
            return Response(upstream.status, body, kept)
        finally:
            connection.close()

    def _send(self, response: Response) -> None:
        self.send_response_only(response.status)
        for key, value in response.headers:
            if key.lower() not in HOP_BY_HOP and key.lower() not in ("server", "date"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)
        self.wfile.flush()


def _json(status: int, document: Any) -> Response:
    return Response(status, json.dumps(document).encode(), [("Content-Type", "application/json")])


def request_id() -> str:
    return str(uuid.uuid4())


# --------------------------------------------------------------------------
# Error formats shared by the service modules
# --------------------------------------------------------------------------


def rest_xml_error(code: str, message: str, status: int) -> Response:
    """CloudFront (REST-XML) errors: `<ErrorResponse><Error><Type/><Code/><Message/>`."""
    body = (
        '<?xml version="1.0"?>\n<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">'
        f"<Error><Type>Sender</Type><Code>{xml_escape(code)}</Code><Message>{xml_escape(message)}</Message></Error>"
        f"<RequestId>{request_id()}</RequestId></ErrorResponse>"
    )
    return Response(status, body.encode(), [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id())])


def query_error(namespace: str) -> ErrorFormatter:
    """Query-protocol errors (ELBv2, EC2-like): `<ErrorResponse xmlns=...><Error>...`."""

    def error(code: str, message: str, status: int) -> Response:
        body = (
            f'<ErrorResponse xmlns="{namespace}"><Error><Type>Sender</Type><Code>{xml_escape(code)}</Code>'
            f"<Message>{xml_escape(message)}</Message></Error><RequestId>{request_id()}</RequestId></ErrorResponse>"
        )
        return Response(status, body.encode(), [("Content-Type", "text/xml")])

    return error


def rest_json_error(code: str, message: str, status: int) -> Response:
    """REST-JSON errors (Lambda, API Gateway): `x-amzn-ErrorType` and `{"message": ...}`.

    AWS calls the code `AccessDeniedException` in these services.
    """
    if code == "AccessDenied":
        code = "AccessDeniedException"
    body = json.dumps({"Type": "User", "message": message, "Message": message}).encode()
    return Response(
        status,
        body,
        [("Content-Type", "application/json"), ("x-amzn-ErrorType", code), ("x-amzn-RequestId", request_id())],
    )


def xml_escape(text: Any) -> str:
    return (
        str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def xml_value(value: Any) -> str:
    """A scalar as XML text (booleans lower-case, as AWS writes them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return xml_escape(value)


def to_xml(name: str, value: Any) -> str:
    """`<name>` from a JSON value: dicts become child elements, a list repeats `name`'s children as
    given by a `{"member": [...]}` or `{"Items": {"X": [...]}}` dict (the caller spells AWS's shape),
    scalars become text."""
    if isinstance(value, dict):
        return f"<{name}>" + "".join(to_xml(k, v) for k, v in value.items()) + f"</{name}>"
    if isinstance(value, list):
        return "".join(to_xml(name, v) for v in value)
    if value is None:
        return ""
    return f"<{name}>{xml_value(value)}</{name}>"


# --------------------------------------------------------------------------
# Editing moto's XML answers
# --------------------------------------------------------------------------


def edit_xml(response: Response, edit: Callable[[Any, str], None]) -> Response:
    """Parses an XML answer, lets `edit(root, namespace)` change it in place and re-serialises it
    with the same default namespace (no `ns0:` prefixes: the SDKs match local names, but AWS
    never writes prefixes, so neither do we)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(response.body)
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if namespace:
        ET.register_namespace("", namespace)
    edit(root, namespace)
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
    headers = [(k, v) for k, v in response.headers if k.lower() != "content-length"]
    return Response(response.status, body, headers)


def qualified(namespace: str, path: str) -> str:
    """An ElementTree path (`A/B`) in `namespace`."""
    if not namespace:
        return path
    return "/".join(f"{{{namespace}}}{part}" if part not in (".", "..") else part for part in path.split("/"))


def element_from(namespace: str, name: str, value: Any) -> Any:
    """An element `name` (in `namespace`) from a JSON value, as `to_xml` spells it."""
    import xml.etree.ElementTree as ET

    element = ET.Element(qualified(namespace, name))
    if isinstance(value, dict):
        for key, child in value.items():
            for item in child if isinstance(child, list) else [child]:
                element.append(element_from(namespace, key, item))
    elif value is not None:
        element.text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return element


def patch_element(element: Any, namespace: str, patch: dict[str, Any]) -> None:
    """Applies `{"remove": ["A/B", ...], "set": {"A/B": value, ...}}` to `element`: removes those
    children, then sets each path (the parents must exist; the last step is replaced or added)."""
    for path in patch.get("remove", []):
        parent_path, _, name = path.rpartition("/")
        parent = element.find(qualified(namespace, parent_path)) if parent_path else element
        if parent is None:
            continue
        for child in parent.findall(qualified(namespace, name)):
            parent.remove(child)
    for path, value in patch.get("set", {}).items():
        parent_path, _, name = path.rpartition("/")
        parent = element.find(qualified(namespace, parent_path)) if parent_path else element
        if parent is None:
            raise ValueError(f"cannot set {path}: no {parent_path} in {element.tag}")
        for child in parent.findall(qualified(namespace, name)):
            parent.remove(child)
        parent.append(element_from(namespace, name, value))
