#!/usr/bin/env python3
"""A realistic-AWS simulator: a proxy in front of moto that adds latency and enforces AWS's
per-account API quotas.

On moto alone a tool's wall time is moto's CPU time. On AWS the bound is different: every
account has per-region quota buckets (token buckets) per operation or group of operations, and a
call that finds its bucket empty is throttled. This proxy forwards every request to moto after
`--latency` seconds, but first takes a token from each bucket the operation draws from (per
account, region and bucket); if one is empty, it answers with that service's real throttling
error (shape and status) instead, and moto never sees the call.

Operations are named as in opcount.py (botocore's service models); the account is that of the
request's access key (moto's AssumeRole credentials are learnt from its answers, so an `--org`
or multi-`--account` scan is served per account), the region that of the SigV4 credential scope.

Control endpoints (not forwarded): GET /__sim/stats (per bucket granted and throttled, the floor,
and the calls given up), POST /__sim/reset (full buckets, counters cleared).

Replay (opt-in, `Simulator.set_mode`): in mode "record" every answer moto gives is kept, keyed by
the request's account, region and operation and its canonical form (method, path, sorted query,
body, a form body's parameters sorted and its `Name.member.N` lists as sets; nothing of the
headers, so neither SigV4 signatures nor dates nor SDK invocation ids); in
mode "replay" a request with a recorded answer gets that answer (same status, headers and body)
without reaching moto, after the same latency and the same quota buckets as always (a throttled
call is answered with the throttling error, as in every mode, and is never recorded). A request
without one is forwarded to moto and counted (`replay.misses` in the stats). So a warm-up pass of
a command records what the measured pass of the same command then replays: moto's CPU is out of
the measured run, the quotas and the latency are in. moto's pagination tokens need not be
deterministic between runs: the measured pass receives the recorded tokens and so asks for the
recorded next pages. The recording survives `reset()`.

    python realistic.py --upstream 5000 [--port 0] [--latency 0.04]

or from the driver: Simulator(upstream_port, latency).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import re
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opcount import Matcher

DEFAULT_ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Quota:
    """A bucket: `rate` tokens per second, `burst` tokens at most."""
    name: str
    rate: float
    burst: float


# AWS's documented per-account, per-region quotas (rate/s, burst). Where AWS documents no burst,
# one second's worth. Where AWS documents nothing, an estimate (marked so).
APIGW_GET_RESOURCES = Quota("apigateway:GetResources", 2.5, 5)
# https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html: GetResources 2.5 rps,
# burst 5, cannot be raised; every management call also draws from the account's 10 rps, burst 40.
APIGW_ACCOUNT = Quota("apigateway:account", 10, 40)
# https://docs.aws.amazon.com/waf/latest/developerguide/limits.html: 5/s per Get/List action;
# ListResourcesForWebACL and GetWebACLForResource 1/s; CLOUDFRONT scope counts in us-east-1.
WAF_ACTION = (5, 5)
WAF_SLOW = {"ListResourcesForWebACL", "GetWebACLForResource"}
# https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html:
# Describe* 10/s, burst 40, per action, plus the account's 10/s, burst 40 over all of them.
ELB_ACTION = (10, 40)
ELB_ACCOUNT = Quota("elasticloadbalancing:account", 10, 40)
# https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html: non-mutating actions
# 20/s refill, bucket 100, per action; 10/s, 50 for calls with neither MaxResults nor a filter
# (unpaginated describes).
EC2_ACTION = (20, 100)
EC2_UNPAGINATED = (10, 50)
# https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html: 15/s shared by the
# control-plane reads; GetPolicy its own 15/s.
LAMBDA_CONTROL = Quota("lambda:control-plane", 15, 15)
LAMBDA_GET_POLICY = Quota("lambda:GetPolicy", 15, 15)
# Not documented; estimates: CloudFront 5/s, Shield 5/s, Tagging 5/s, Organizations 1/s.
ESTIMATED = {
    "cloudfront": Quota("cloudfront", 5, 5),
    "shield": Quota("shield", 5, 5),
    "resourcegroupstaggingapi": Quota("tagging", 5, 5),
    "organizations": Quota("organizations", 1, 1),
}


def buckets_of(service: str, op: str, body: bytes, query: str) -> list[Quota]:
    """The buckets `service:op` draws from (all must have a token)."""
    if service in ("apigateway", "apigatewayv2"):
        if service == "apigateway" and op == "GetResources":
            return [APIGW_GET_RESOURCES, APIGW_ACCOUNT]
        return [APIGW_ACCOUNT]
    if service == "wafv2":
        rate, burst = (1, 1) if op in WAF_SLOW else WAF_ACTION
        return [Quota(f"wafv2:{op}", rate, burst)]
    if service == "elbv2":
        return [Quota(f"elasticloadbalancing:{op}", *ELB_ACTION), ELB_ACCOUNT]
    if service == "ec2":
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace") + "&" + query)
        paginated = "MaxResults" in form or any(k.startswith("Filter.") for k in form)
        rate, burst = EC2_ACTION if paginated else EC2_UNPAGINATED
        suffix = "" if paginated else " (unpaginated)"
        return [Quota(f"ec2:{op}{suffix}", rate, burst)]
    if service == "lambda":
        return [LAMBDA_GET_POLICY if op == "GetPolicy" else LAMBDA_CONTROL]
    if service in ESTIMATED:
        return [ESTIMATED[service]]
    return []  # STS, IAM and the rest: not limited here


def throttle_response(service: str) -> tuple[int, dict[str, str], bytes]:
    """Each service's real throttling answer."""
    request_id = "00000000-0000-0000-0000-000000000000"
    if service == "ec2":
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>"
                "<Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>"
                f"</Error></Errors><RequestID>{request_id}</RequestID></Response>")
        return 503, {"Content-Type": "text/xml;charset=UTF-8"}, body.encode()
    if service in ("elbv2", "sts", "cloudfront"):
        xmlns = {"elbv2": "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
                 "sts": "https://sts.amazonaws.com/doc/2011-06-15/",
                 "cloudfront": "http://cloudfront.amazonaws.com/doc/2020-05-31/"}[service]
        body = (f"<ErrorResponse xmlns=\"{xmlns}\"><Error><Type>Sender</Type><Code>Throttling</Code>"
                f"<Message>Rate exceeded</Message></Error><RequestId>{request_id}</RequestId>"
                "</ErrorResponse>")
        return 400, {"Content-Type": "text/xml"}, body.encode()
    if service in ("apigateway", "apigatewayv2"):
        return 429, {"Content-Type": "application/json",
                     "x-amzn-ErrorType": "TooManyRequestsException"}, b'{"message":"Too Many Requests"}'
    if service in ("wafv2", "shield"):
        return 400, {"Content-Type": "application/x-amz-json-1.1"}, \
            b'{"__type":"ThrottlingException","message":"Rate exceeded"}'
    if service == "resourcegroupstaggingapi":
        return 400, {"Content-Type": "application/x-amz-json-1.1"}, \
            b'{"__type":"ThrottledException","Message":"Rate exceeded"}'
    if service == "lambda":
        return 429, {"Content-Type": "application/json", "x-amzn-ErrorType": "TooManyRequestsException",
                     "Retry-After": "1"}, \
            b'{"Type":"User","message":"Rate exceeded","reason":"CallerRateLimitExceeded"}'
    if service == "organizations":
        return 400, {"Content-Type": "application/x-amz-json-1.1"}, \
            b'{"__type":"TooManyRequestsException","Message":"Rate exceeded"}'
    return 400, {"Content-Type": "text/xml"}, b"<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>"


@dataclass
class Bucket:
    quota: Quota
    tokens: float
    at: float
    granted: int = 0
    throttled: int = 0
    # When the last granted request of the bucket reached the proxy, and when it took its token.
    last_received: float | None = None
    last_taken: float | None = None
    first_taken: float | None = None

    def refill(self, now: float) -> None:
        self.tokens = min(self.quota.burst, self.tokens + (now - self.at) * self.quota.rate)
        self.at = now


@dataclass
class State:
    buckets: dict[tuple[str, str, str], Bucket] = field(default_factory=dict)
    # The last answer per distinct request (account, region, op, body): throttled at the end =
    # a call the tool gave up on.
    last_throttled: dict[str, bool] = field(default_factory=dict)
    requests: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    # Per request, how much later than `latency` after it arrived it took its tokens: the
    # proxy's own delay (thread scheduling, the GIL), which moves a request in its bucket.
    delays: list[float] = field(default_factory=list)
    # Per throttled request: the gap since the bucket's last granted request, as sent (arrival at
    # the proxy) and as taken, to tell a client that sent too early from the proxy's jitter.
    throttle_gaps: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[tuple[str, str, str, float, float, bool]] = field(default_factory=list)


MEMBER = re.compile(r"^(.+)\.member\.(\d+)$")


def canonical_form(body: bytes) -> bytes:
    """A query-protocol (form) body with each list parameter (`Name.member.N`) keyed as the set of
    its values: edge-audit fills some lists in the order its concurrent reads finished (ELBv2
    DescribeTags' ARNs), and the order of the ARNs asked about does not change the answer."""
    pairs = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    lists: dict[str, list[str]] = {}
    rest = []
    for k, v in pairs:
        m = MEMBER.match(k)
        if m:
            lists.setdefault(m.group(1), []).append(v)
        else:
            rest.append((k, v))
    for name, values in lists.items():
        rest += [(f"{name}.member.{i}", v) for i, v in enumerate(sorted(values), 1)]
    return urllib.parse.urlencode(sorted(rest)).encode()


def canonical(method: str, path: str, body: bytes, form: bool = False) -> bytes:
    """A request as the replay keys it: method, path, query sorted, body (a form body as
    canonical_form says)."""
    bare, _, query = path.partition("?")
    pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
    return (f"{method} {bare}?{urllib.parse.urlencode(pairs)}\n".encode()
            + (canonical_form(body) if form else body))


@dataclass
class Replay:
    """Recorded answers, and how the measured pass used them."""
    mode: str = "off"  # off | record | replay
    answers: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    hits: int = 0
    misses: Counter[str] = field(default_factory=Counter)
    # record mode: a key answered again with another body (request ids masked): moto's answer is
    # not deterministic there (the first one recorded is kept).
    conflicts: Counter[str] = field(default_factory=Counter)
    conflict_examples: dict[str, str] = field(default_factory=dict)
    miss_examples: list[str] = field(default_factory=list)

    def counters(self) -> dict[str, Any]:
        return {"mode": self.mode, "recorded": len(self.answers), "hits": self.hits,
                "misses": sum(self.misses.values()),
                "misses_by_operation": dict(sorted(self.misses.items())),
                "miss_examples": list(self.miss_examples),
                "record_conflicts": dict(sorted(self.conflicts.items())),
                "record_conflict_examples": dict(sorted(self.conflict_examples.items()))}


# Request ids: UUIDs, moto's 52 random characters, XML <RequestId> elements.
VOLATILE = re.compile(rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
                      rb"|\b[A-Za-z0-9]{52}\b|<RequestId>[^<]*</RequestId>")


def first_difference(a: bytes, b: bytes) -> str:
    """Where two answers part (request ids masked), a little context of each."""
    a, b = VOLATILE.sub(b"", a), VOLATILE.sub(b"", b)
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    lo = max(0, i - 60)
    return (f"{a[lo:i + 60].decode('utf-8', 'replace')!r} / "
            f"{b[lo:i + 60].decode('utf-8', 'replace')!r}")


class Server(ThreadingHTTPServer):
    """The proxy's listening socket. Its accept queue must hold every connection a scan opens at
    once (10 accounts × 8 in flight, and more): `listen()` runs in the constructor, so the size is
    a class attribute (socketserver's default is 5, and a SYN the full queue drops is retried by
    the client only after 1 s, a stall of the whole call)."""
    daemon_threads = True
    request_queue_size = 1024


ACCESS_KEY = re.compile(r"Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")
ASSUMED_KEY = re.compile(r"<AccessKeyId>([^<]+)</AccessKeyId>")


class Simulator:
    """Start with Simulator(upstream_port, latency); .endpoint for the tools; .stats(), .reset()."""

    def __init__(self, upstream_port: int, latency: float = 0.04, port: int = 0):
        self.latency = latency
        self.state = State()
        self.lock = threading.Lock()
        self.accounts: dict[str, str] = {}  # access key id -> account id (AssumeRole answers)
        self.replay = Replay()
        matcher = Matcher()
        sim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, headers: dict[str, str], data: bytes) -> None:
                self.send_response_only(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                received = time.monotonic()
                if self.path.startswith("/__sim/"):
                    if self.path.startswith("/__sim/reset"):
                        sim.reset()
                        return self._send(200, {"Content-Type": "application/json"}, b"{}")
                    data = json.dumps(sim.stats()).encode()
                    return self._send(200, {"Content-Type": "application/json"}, data)
                name = matcher.name(self.command, self.path, self.headers, body)
                service, _, op = name.partition(":")
                m = ACCESS_KEY.search(self.headers.get("Authorization", ""))
                key, region = (m.group(1), m.group(2)) if m else ("", "us-east-1")
                account = sim.accounts.get(key, DEFAULT_ACCOUNT)
                query = self.path.partition("?")[2]
                signature = hashlib.sha256(
                    f"{account}|{region}|{name}|{self.path}|".encode() + body).hexdigest()
                time.sleep(sim.latency)
                granted = sim.take(account, region, buckets_of(service, op, body, query), name,
                                   received)
                with sim.lock:
                    sim.state.last_throttled[signature] = not granted
                if not granted:
                    self._send(*throttle_response(service))
                    return sim.note(account, region, name, received, False)
                status, headers, data = sim.answer(upstream_port, self.command, self.path,
                                                   self.headers, body, f"{account}|{region}|{name}",
                                                   name)
                if service == "sts" and op == "AssumeRole" and status == 200:  # replayed too
                    sim.learn_account(body, data)
                self._send(status, headers, data)
                return sim.note(account, region, name, received, True)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle

        self.server = Server(("127.0.0.1", port), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def note(self, account: str, region: str, name: str, received: float, granted: bool) -> None:
        """One answered request in the run's timeline (arrival and answer, seconds since reset)."""
        with self.lock:
            t0 = self.state.started
            self.state.timeline.append((account, region, name, round(received - t0, 4),
                                        round(time.monotonic() - t0, 4), granted))

    def timeline(self) -> list[tuple[str, str, str, float, float, bool]]:
        """(account, region, operation, arrived_s, answered_s, granted) per request since reset."""
        with self.lock:
            return list(self.state.timeline)

    def take(self, account: str, region: str, quotas: list[Quota], name: str,
             received: float | None = None) -> bool:
        """A token from every bucket of the call, or none (throttled)."""
        now = time.monotonic()
        with self.lock:
            self.state.requests[name] += 1
            if received is not None:
                self.state.delays.append(now - received - self.latency)
            buckets = []
            for quota in quotas:
                k = (account, region, quota.name)
                b = self.state.buckets.get(k)
                if b is None:
                    b = self.state.buckets[k] = Bucket(quota, quota.burst, now)
                b.refill(now)
                buckets.append(b)
            if all(b.tokens >= 1 for b in buckets):
                for b in buckets:
                    b.tokens -= 1
                    b.granted += 1
                    b.last_received, b.last_taken = received, now
                    if b.first_taken is None:
                        b.first_taken = now
                return True
            for b in buckets:
                if b.tokens < 1:
                    b.throttled += 1
                    if len(self.state.throttle_gaps) < 500:
                        self.state.throttle_gaps.append({
                            "account": account, "region": region, "bucket": b.quota.name,
                            "at_s": round(now - self.state.started, 3),
                            "sent_gap_ms": (round((received - b.last_received) * 1000)
                                            if received is not None and b.last_received is not None
                                            else None),
                            "taken_gap_ms": (round((now - b.last_taken) * 1000)
                                             if b.last_taken is not None else None),
                            # Sent within one token's time of the bucket's last granted request.
                            "sent_early": (received is not None and b.last_received is not None
                                           and received - b.last_received < 1 / b.quota.rate)})
            return False

    def set_mode(self, mode: str) -> None:
        """off (forward everything), record (forward and keep the answers) or replay."""
        assert mode in ("off", "record", "replay"), mode
        with self.lock:
            self.replay.mode = mode
            self.replay.hits = 0
            self.replay.misses = Counter()
            self.replay.conflicts = Counter()
            self.replay.conflict_examples = {}
            self.replay.miss_examples = []

    def answer(self, port: int, method: str, path: str, headers: Any, body: bytes, scope: str,
               name: str) -> tuple[int, dict[str, str], bytes]:
        """moto's answer to a granted call: forwarded, recorded or replayed as the mode says."""
        rep = self.replay
        form = "x-www-form-urlencoded" in (headers.get("Content-Type") or "")
        request = canonical(method, path, body, form)
        key = hashlib.sha256(scope.encode() + b"\n" + request).hexdigest()
        if rep.mode == "replay":
            with self.lock:
                found = rep.answers.get(key)
                if found is not None:
                    rep.hits += 1
                else:
                    rep.misses[name] += 1
                    if len(rep.miss_examples) < 5:
                        rep.miss_examples.append(f"{scope} {request[:300].decode('utf-8', 'replace')}")
            if found is not None:
                return found[0], dict(found[1]), found[2]
        answer = self.forward(port, method, path, headers, body)
        if rep.mode == "record":
            with self.lock:
                earlier = rep.answers.get(key)
                if earlier is None:
                    rep.answers[key] = answer
                elif VOLATILE.sub(b"", earlier[2]) != VOLATILE.sub(b"", answer[2]):
                    rep.conflicts[name] += 1
                    rep.conflict_examples.setdefault(name, first_difference(earlier[2], answer[2]))
        return answer

    def forward(self, port: int, method: str, path: str, headers: Any, body: bytes
                ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        out = {k: v for k, v in headers.items() if k.lower() not in ("connection", "keep-alive")}
        conn.request(method, path, body=body or None, headers=out)
        resp = conn.getresponse()
        data = resp.read()
        kept = {k: v for k, v in resp.getheaders()
                if k.lower() not in ("connection", "keep-alive", "transfer-encoding", "content-length")}
        conn.close()
        return resp.status, kept, data

    def learn_account(self, request: bytes, response: bytes) -> None:
        form = urllib.parse.parse_qs(request.decode("utf-8", "replace"))
        role = (form.get("RoleArn") or [""])[0]
        parts = role.split(":")
        key = ASSUMED_KEY.search(response.decode("utf-8", "replace"))
        if key and len(parts) > 4 and parts[4]:
            with self.lock:
                self.accounts[key.group(1)] = parts[4]

    def reset(self) -> None:
        with self.lock:
            self.state = State()

    def stats(self) -> dict[str, Any]:
        with self.lock:
            rows = []
            for (account, region, name), b in sorted(self.state.buckets.items()):
                floor = max(0.0, (b.granted - b.quota.burst) / b.quota.rate)
                first, last = ((round(b.first_taken - self.state.started, 3),
                                round(b.last_taken - self.state.started, 3))
                               if b.last_taken is not None and b.first_taken is not None
                               else (None, None))
                rows.append({"account": account, "region": region, "bucket": name,
                             "rate": b.quota.rate, "burst": b.quota.burst, "granted": b.granted,
                             "throttled": b.throttled, "floor_s": round(floor, 3),
                             "first_granted_at_s": first, "last_granted_at_s": last})
            given_up = sum(1 for t in self.state.last_throttled.values() if t)
            requests = dict(sorted(self.state.requests.items()))
            replay = self.replay.counters()
            delays = sorted(self.state.delays)
            gaps = list(self.state.throttle_gaps)

        def quantile(q: float) -> float | None:
            return round(delays[min(len(delays) - 1, int(q * len(delays)))] * 1000, 1) if delays else None
        rows.sort(key=lambda r: -r["floor_s"])
        per_account: dict[str, float] = {}
        for r in rows:
            per_account[r["account"]] = max(per_account.get(r["account"], 0.0), r["floor_s"])
        throttled = sum(r["throttled"] for r in rows)
        return {"floor_s": rows[0]["floor_s"] if rows else 0.0,
                "bound": rows[0] if rows else None, "floor_s_by_account": per_account,
                "requests": sum(requests.values()), "throttled": throttled,
                "given_up": given_up, "buckets": rows, "requests_by_operation": requests,
                "replay": replay,
                "proxy_delay_ms": {"p50": quantile(0.5), "p90": quantile(0.9), "p99": quantile(0.99),
                                   "max": quantile(1.0)},
                "throttle_gaps": gaps}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--upstream", type=int, required=True, help="moto_server port")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--latency", type=float, default=0.04, help="seconds added to every call")
    args = p.parse_args()
    sim = Simulator(args.upstream, args.latency, args.port)
    print(sim.endpoint, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sim.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
