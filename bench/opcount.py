#!/usr/bin/env python3
"""A counting reverse proxy in front of moto: which AWS operations a tool calls.

The driver points a tool's AWS_ENDPOINT_URL at this proxy for one extra,
untimed run per scale. Each request is forwarded unchanged to moto and named
by botocore's service models, whatever the tool:

* JSON protocol (WAFv2, Shield): the `X-Amz-Target` header;
* query protocol (EC2, ELBv2, STS, IAM): `Action=` in the form body;
* REST protocols (CloudFront, API Gateway v1/v2, Lambda): the HTTP method and
  path matched against the operations' `requestUri` templates, the service
  taken from the SigV4 credential scope.
"""

from __future__ import annotations

import http.client
import re
import threading
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import botocore.session

# SigV4 signing name -> botocore service models that sign with it.
SIGNING = {
    "apigateway": ["apigateway", "apigatewayv2"],
    "cloudfront": ["cloudfront"],
    "lambda": ["lambda"],
    "wafv2": ["wafv2"],
    "shield": ["shield"],
    "ec2": ["ec2"],
    "elasticloadbalancing": ["elbv2"],
    "sts": ["sts"],
    "tagging": ["resourcegroupstaggingapi"],
    "iam": ["iam"],
    "organizations": ["organizations"],
    "s3": ["s3"],
    "logs": ["logs"],
    "acm": ["acm"],
}
SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


class Matcher:
    def __init__(self) -> None:
        session = botocore.session.get_session()
        self.rest: dict[str, list[tuple[str, re.Pattern[str], list[str], int, str]]] = {}
        self.targets: dict[str, str] = {}
        for signing, services in SIGNING.items():
            for service in services:
                model = session.get_service_model(service)
                proto = model.metadata.get("protocol")
                prefix = model.metadata.get("targetPrefix")
                if prefix:  # JSON (X-Amz-Target) or Smithy RPC v2 (/service/S/operation/Op)
                    for op in model.operation_names:
                        self.targets[f"{prefix}.{op}"] = f"{service}:{op}"
                    self.targets[f"sig:{signing}"] = service
                    continue
                if proto not in ("rest-json", "rest-xml"):
                    continue
                for op in model.operation_names:
                    http = model.operation_model(op).http
                    uri = http.get("requestUri", "/")
                    path, _, query = uri.partition("?")
                    literal = len(re.sub(r"\{[^}]+\}", "", path))
                    regex = re.sub(r"\\\{[^}]+?\\\+\\\}", ".+",
                                   re.sub(r"\\\{[^}+]+\\\}", "[^/]+", re.escape(path)))
                    keys = [q.split("=", 1)[0] for q in query.split("&") if q]
                    self.rest.setdefault(signing, []).append(
                        (http.get("method", "GET"), re.compile(f"^{regex.rstrip('/')}/?$"),
                         keys, literal, f"{service}:{op}"))

    def name(self, method: str, raw_path: str, headers: Any, body: bytes) -> str:
        target = headers.get("X-Amz-Target")
        if target:
            return self.targets.get(target, f"?:{target}")
        auth = headers.get("Authorization", "")
        m = SCOPE.search(auth)
        signing = m.group(2) if m else "?"
        path, _, query = raw_path.partition("?")
        rpc = re.match(r"^/service/[^/]+/operation/([^/?]+)$", path)
        if rpc and f"sig:{signing}" in self.targets:
            return f"{self.targets[f'sig:{signing}']}:{rpc.group(1)}"
        if method == "POST" and path in ("", "/") and body:
            action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action")
            if action:
                return f"{SIGNING.get(signing, [signing])[0]}:{action[0]}"
        qkeys = set(urllib.parse.parse_qs(query, keep_blank_values=True))
        best: tuple[int, str] | None = None
        for verb, regex, keys, literal, name in self.rest.get(signing, []):
            if verb != method or not regex.match(urllib.parse.unquote(path)):
                continue
            if any(k not in qkeys for k in keys):
                continue
            score = literal * 10 + len(keys)
            if best is None or score > best[0]:
                best = (score, name)
        return best[1] if best else f"{signing}:{method} {path}"


class Server(ThreadingHTTPServer):
    """`listen()` runs in the constructor, so the accept queue's size is a class attribute
    (socketserver's default, 5, drops the SYNs of a tool opening many connections at once: each
    retried after 1 s)."""
    daemon_threads = True
    request_queue_size = 1024


class OpCounter:
    """Start with OpCounter(upstream_port); .endpoint for the tool; .counts after."""

    def __init__(self, upstream_port: int):
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        matcher = Matcher()
        counter = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                op = matcher.name(self.command, self.path, self.headers, body)
                with counter._lock:
                    counter.counts[op] += 1
                conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=600)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("connection", "keep-alive")}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response_only(resp.status, resp.reason)
                for k, v in resp.getheaders():
                    if k.lower() not in ("connection", "keep-alive", "transfer-encoding",
                                         "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _forward

        self.server = Server(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> dict[str, int]:
        self.server.shutdown()
        self.server.server_close()
        return dict(sorted(self.counts.items()))
