#!/usr/bin/env python3
"""Benchmark driver: edge-audit vs Prowler on one large moto account.

Called by `bench/run` (which makes the venvs and builds edge-audit); run with
the moto venv's python (boto3 + matplotlib). For each scale: reset moto, seed
with seed_large.py (timed apart), then alternate the tools run by run, each
under /usr/bin/time -v, counting the HTTP requests moto served during the run
(its request log) as the tool-independent API-call count. Writes raw figures
to <out>/results.json, then RESULTS.md and time-vs-size.png.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from opcount import OpCounter

HERE = Path(__file__).resolve().parent
REGIONS = "us-east-1,eu-west-1"
PROWLER_SERVICES = ["cloudfront", "wafv2", "apigateway", "apigatewayv2", "ec2", "elbv2",
                    "awslambda", "shield"]
# A request line of werkzeug's log: 127.0.0.1 - - [date] "POST / HTTP/1.1" 200 -
REQUEST_LINE = re.compile(r'^127\.0\.0\.1 - - \[[^]]+\] "(?:\x1b\[[0-9;]*m)*([A-Z]+) (\S+) HTTP/')


def log(msg: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# moto server
# ---------------------------------------------------------------------------


class Moto:
    def __init__(self, moto_server: str, out: Path, name: str = "moto"):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log_path = out / f"{name}.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([moto_server, "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=self._log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{self.endpoint}/moto-api/data.json", timeout=1).read()
                break
            except OSError:
                if self.proc.poll() is not None:
                    raise SystemExit(f"moto_server exited ({self.proc.returncode}); see {self.log_path}")
                time.sleep(0.2)
        else:
            raise SystemExit("moto_server did not start in 60 s")
        log(f"moto_server pid {self.proc.pid} on {self.endpoint}, log {self.log_path}")

    def requests(self) -> int:
        """Requests served so far (lines of the request log, moto-api excluded)."""
        time.sleep(0.3)  # let the last log lines land
        n = 0
        with open(self.log_path, "rb") as f:
            for raw in f:
                m = REQUEST_LINE.match(raw.decode("utf-8", "replace"))
                if m and not m.group(2).startswith("/moto-api"):
                    n += 1
        return n

    def rss_kb(self) -> int:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def cpu_s(self) -> float:
        """CPU seconds (user+sys, all threads) moto_server has used so far."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return float("nan")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self._log.close()


# ---------------------------------------------------------------------------
# Running one tool
# ---------------------------------------------------------------------------


def tool_env(endpoint: str, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"))}
    env.update({
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        # Anything not addressed to the endpoint goes to a dead loopback port.
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        "HOME": str(home),
    })
    return env


_STATS_FLAG: dict[str, bool] = {}


def edge_has_stats(binary: str) -> bool:
    """Whether this build knows `scan --stats` (older builds do not: then run without)."""
    if binary not in _STATS_FLAG:
        try:
            help_text = subprocess.run([binary, "scan", "--help"], capture_output=True,
                                       text=True, timeout=60).stdout
        except (OSError, subprocess.SubprocessError):
            help_text = ""
        _STATS_FLAG[binary] = "--stats" in help_text
        if not _STATS_FLAG[binary]:
            log(f"{binary} has no `scan --stats`: running without it (its own call count: n/a)")
    return _STATS_FLAG[binary]


def edge_cmd(binary: str, output: Path) -> list[str]:
    stats = ["--stats"] if edge_has_stats(binary) else []
    return [binary, "scan", "--no-probe", *stats, "--format", "json",
            "--regions", REGIONS, "--output", str(output)]


def prowler_cmd(prowler: str, outdir: Path) -> list[str]:
    return [prowler, "aws", "--service", *PROWLER_SERVICES,
            "--region", *REGIONS.split(","),
            "--output-formats", "json-ocsf", "--output-directory", str(outdir),
            "--output-filename", "prowler", "--no-banner", "--no-color",
            "--ignore-exit-code-3"]


def parse_time_v(path: Path) -> dict[str, float]:
    text = path.read_text()

    def grab(label: str) -> str:
        m = re.search(rf"^\s*{re.escape(label)}: (.+)$", text, re.M)
        return m.group(1).strip() if m else ""

    wall = grab("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    return {"wall_s": secs, "user_s": float(grab("User time (seconds)") or 0),
            "sys_s": float(grab("System time (seconds)") or 0),
            "max_rss_kb": float(grab("Maximum resident set size (kbytes)") or 0),
            "exit": int(grab("Exit status") or 0)}


def run_tool(name: str, cmd: list[str], env: dict[str, str], moto: Moto, tag: Path,
             strace: bool = False) -> dict[str, Any]:
    before = moto.requests()
    moto_cpu = moto.cpu_s()
    timing = tag.with_suffix(".time")
    prefix = ["/usr/bin/time", "-v", "-o", str(timing)]
    if strace:
        prefix += ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(tag.with_suffix(".strace"))]
    own = os.times()
    start = time.monotonic()
    with open(tag.with_suffix(".log"), "wb") as out:
        proc = subprocess.run(prefix + cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    wall = time.monotonic() - start
    # This process's own CPU (all threads, children apart) while the tool ran: with the realistic
    # simulator in-process, that is the simulator's.
    own_cpu = (os.times().user - own.user) + (os.times().system - own.system)
    after = moto.requests()
    res = parse_time_v(timing)
    res.update(tool=name, api_calls=after - before, driver_wall_s=round(wall, 3),
               returncode=proc.returncode, moto_cpu_s=round(moto.cpu_s() - moto_cpu, 2),
               driver_cpu_s=round(own_cpu, 2))
    res["cpu_s"] = round(res["user_s"] + res["sys_s"], 2)
    return res


def connect_targets(strace_file: Path) -> dict[str, int]:
    """Addresses the traced processes connect()ed to, with counts."""
    seen: dict[str, int] = {}
    for line in strace_file.read_text(errors="replace").splitlines():
        if "connect(" not in line:
            continue
        m = (re.search(r'sin_addr=inet_addr\("([^"]+)"\)', line)
             or re.search(r'inet_pton\(AF_INET6, "([^"]+)"', line)
             or re.search(r'sun_path="([^"]*)"', line))
        fam = re.search(r"sa_family=(AF_\w+)", line)
        port = re.search(r"sin6?_port=htons\((\d+)\)", line)
        key = f"{fam.group(1) if fam else '?'} {m.group(1) if m else '?'}"
        if port:
            key += f":{port.group(1)}"
        seen[key] = seen.get(key, 0) + 1
    return seen


def non_loopback(targets: dict[str, int]) -> list[str]:
    bad = []
    for key in targets:
        fam, _, addr = key.partition(" ")
        host = addr.rsplit(":", 1)[0] if fam in ("AF_INET", "AF_INET6") else addr
        if fam == "AF_INET" and host.startswith("127."):
            continue
        if fam == "AF_INET6" and host in ("::1", "::ffff:127.0.0.1"):
            continue
        if fam in ("AF_UNIX", "AF_NETLINK", "AF_UNSPEC"):
            continue
        bad.append(key)
    return bad


# ---------------------------------------------------------------------------
# edge-audit's own stats
# ---------------------------------------------------------------------------


def edge_stats(report: Path) -> dict[str, Any] | None:
    """`stats` from the JSON report, read defensively: {total, per_op} or None."""
    try:
        doc = json.loads(report.read_text())
    except (OSError, ValueError):
        return None
    stats = doc.get("stats") if isinstance(doc, dict) else None
    if not isinstance(stats, dict):
        return None
    calls = stats.get("api_calls")
    total: int | None = None
    per_op: dict[str, int] = {}

    def collect(obj: Any, prefix: str = "") -> None:
        if isinstance(obj, dict):
            n = obj.get("calls", obj.get("count"))
            if prefix and isinstance(n, (int, float)) and not isinstance(n, bool):
                per_op[prefix.rstrip(":")] = int(n)  # {"calls": 5, "attempts": 6, ...}
                return
            for k, v in obj.items():
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    per_op[f"{prefix}{k}"] = int(v)
                elif isinstance(v, dict):
                    collect(v, f"{prefix}{k}:")
                elif isinstance(v, list):
                    collect(v, prefix)
        elif isinstance(obj, list):
            for item in obj:
                if isinstance(item, dict):
                    op = item.get("operation") or item.get("op") or item.get("name")
                    svc = item.get("service")
                    n = item.get("calls", item.get("count"))
                    if op and isinstance(n, (int, float)):
                        per_op[f"{svc}:{op}" if svc else str(op)] = int(n)

    if isinstance(calls, (int, float)):
        total = int(calls)
    elif isinstance(calls, dict):
        t = calls.get("total")
        total = int(t) if isinstance(t, (int, float)) else None
        rest = {k: v for k, v in calls.items() if k != "total"}
        collect(rest.get("by_operation", rest.get("per_operation", rest)))
    for key in ("api_calls_by_operation", "by_operation", "per_operation", "operations"):
        if key in stats:
            collect(stats[key])
    if total is None and per_op:
        total = sum(per_op.values())
    extra = {k: v for k, v in stats.items() if k not in ("api_calls",)
             and (isinstance(v, (int, float, str)) or k == "phases_ms")}
    return {"total": total, "per_op": per_op, "other": extra}


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scales", default="1,2,4")
    p.add_argument("--runs", type=int, default=3, help="runs per tool at 1x")
    p.add_argument("--runs-large", type=int, default=None,
                   help="runs per tool above 1x (default: same as --runs)")
    p.add_argument("--skip-prowler", action="store_true")
    p.add_argument("--edge-audit", help="edge-audit binary (omit to skip edge-audit)")
    p.add_argument("--prowler", help="prowler executable")
    p.add_argument("--moto-server", required=True)
    p.add_argument("--python", default=sys.executable, help="python for seed_large.py")
    p.add_argument("--out", default=str(HERE / "out"))
    p.add_argument("--workers", type=int, default=8)
    p.add_argument("--no-report", action="store_true", help="only write results.json")
    p.add_argument("--no-prowler-ops", action="store_true",
                   help="skip Prowler's untimed calls-by-operation run at the first scale")
    args = p.parse_args()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    scales = [int(s) for s in args.scales.split(",") if s]
    runs_large = args.runs if args.runs_large is None else args.runs_large
    tools: list[str] = []
    if args.edge_audit:
        tools.append("edge-audit")
    if args.prowler and not args.skip_prowler:
        tools.append("prowler")
    if not tools:
        p.error("nothing to run: give --edge-audit and/or --prowler")

    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(), "versions": versions(args), "tools": tools,
        "scales": {}, "network_check": {},
    }
    home = out / "home"
    home.mkdir(exist_ok=True)
    moto: Moto | None = None
    try:
        for scale in scales:
            # A fresh emulator per scale: a moto_server process reset between scales keeps what
            # the earlier scales left in its heap and answers the later ones more slowly (the
            # same 4x collection took 42 s in the reused process, 36 s in a fresh one), which
            # made growth look superlinear.
            if moto is not None:
                moto.stop()
            moto = Moto(args.moto_server, out, f"moto-x{scale}")
            env = tool_env(moto.endpoint, home)
            log(f"scale {scale}: seeding")
            seed_out = out / f"seed-{scale}.json"
            t0 = time.monotonic()
            with open(seed_out, "wb") as f:
                subprocess.run([args.python, str(HERE / "seed_large.py"), "--endpoint",
                                moto.endpoint, "--scale", str(scale), "--reset",
                                "--workers", str(args.workers)], stdout=f, check=True)
            seed = json.loads(seed_out.read_text())
            seed["driver_seconds"] = round(time.monotonic() - t0, 2)
            seed["moto_rss_kb_after_seed"] = moto.rss_kb()
            log(f"scale {scale}: seeded {seed['calls']} calls in {seed['seconds']} s")
            entry: dict[str, Any] = {"seed": seed, "runs": []}
            results["scales"][str(scale)] = entry

            if scale == scales[0]:
                # Warm-up (page cache, .pyc files), traced: every connect() of
                # each tool and its children, to prove nothing leaves loopback.
                for tool in tools:
                    tag = out / f"warmup-{tool}"
                    res = run_tool(tool, command(tool, args, out, tag), env, moto, tag,
                                   strace=True)
                    targets = connect_targets(tag.with_suffix(".strace"))
                    results["network_check"][tool] = {
                        "connects": targets, "non_loopback": non_loopback(targets),
                        "api_calls": res["api_calls"], "exit": res["exit"]}
                    log(f"warm-up {tool}: exit {res['exit']}, {res['api_calls']} requests, "
                        f"connect targets {targets}")

            n_runs = args.runs if scale == 1 else runs_large
            for r in range(n_runs):
                order = tools if r % 2 == 0 else list(reversed(tools))
                for tool in order:
                    tag = out / f"{tool}-x{scale}-r{r}"
                    res = run_tool(tool, command(tool, args, out, tag), env, moto, tag)
                    res["run"] = r
                    if tool == "edge-audit":
                        res["stats"] = edge_stats(tag.with_suffix(".json"))
                    entry["runs"].append(res)
                    log(f"x{scale} run {r} {tool}: wall {res['wall_s']:.1f}s cpu {res['cpu_s']}s "
                        f"rss {res['max_rss_kb'] / 1024:.0f}MB requests {res['api_calls']} "
                        f"moto cpu {res['moto_cpu_s']}s "
                        f"exit {res['exit']}")
                    (out / "results.json").write_text(json.dumps(results, indent=2))
            # One more, untimed run per tool through the counting proxy: the
            # calls by operation (edge-audit at every scale, Prowler at 1x).
            entry["ops"] = {}
            for tool in tools:
                if tool == "prowler" and (scale != scales[0] or args.no_prowler_ops):
                    continue
                counter = OpCounter(moto.port)
                tag = out / f"ops-{tool}-x{scale}"
                try:
                    res = run_tool(tool, command(tool, args, out, tag),
                                   tool_env(counter.endpoint, home), moto, tag)
                finally:
                    ops = counter.stop()
                entry["ops"][tool] = ops
                log(f"x{scale} {tool} by operation: {sum(ops.values())} calls in {len(ops)} "
                    f"operations (exit {res['exit']})")
                (out / "results.json").write_text(json.dumps(results, indent=2))
            entry["moto_rss_kb_after_runs"] = moto.rss_kb()
    finally:
        if moto is not None:
            moto.stop()
    summarise(results)
    (out / "results.json").write_text(json.dumps(results, indent=2))
    if not args.no_report:
        import report  # bench/report.py

        report.write(results, HERE / "RESULTS.md", HERE / "time-vs-size.png")
    return 0


def command(tool: str, args: argparse.Namespace, out: Path, tag: Path) -> list[str]:
    if tool == "edge-audit":
        return edge_cmd(args.edge_audit, tag.with_suffix(".json"))
    outdir = out / f"{tag.name}-prowler"
    shutil.rmtree(outdir, ignore_errors=True)
    return prowler_cmd(args.prowler, outdir)


def summarise(results: dict[str, Any]) -> None:
    for entry in results["scales"].values():
        summary = {}
        for tool in results["tools"]:
            runs = [r for r in entry["runs"] if r["tool"] == tool]
            if not runs:
                continue
            summary[tool] = {
                "runs": len(runs),
                "wall_s": median([r["wall_s"] for r in runs]),
                "cpu_s": median([r["cpu_s"] for r in runs]),
                "max_rss_mb": median([r["max_rss_kb"] / 1024 for r in runs]),
                "api_calls": median([r["api_calls"] for r in runs]),
                "moto_cpu_s": median([r.get("moto_cpu_s") for r in runs]),
                "exit": sorted({r["exit"] for r in runs}),
            }
            if tool == "edge-audit":
                totals = [r["stats"]["total"] for r in runs
                          if r.get("stats") and r["stats"].get("total") is not None]
                summary[tool]["stats_api_calls"] = median(totals)
        entry["summary"] = summary


def machine_info() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"nproc": os.cpu_count(), "memory": mem, "cpu": cpu,
            "kernel": platform.release(), "loadavg_at_start": os.getloadavg()}


def versions(args: argparse.Namespace) -> dict[str, str]:
    def out(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                                  env={**os.environ, "HOME": "/tmp"}).stdout.strip().splitlines()[-1]
        except (OSError, subprocess.SubprocessError, IndexError):
            return "n/a"

    v = {"python": platform.python_version()}
    try:
        import boto3
        import moto

        v["moto"], v["boto3"] = moto.__version__, boto3.__version__
    except ImportError:
        pass
    if args.edge_audit:
        v["edge-audit"] = out([args.edge_audit, "--version"])
    if args.prowler and not args.skip_prowler:
        # Not `prowler --version`: that asks GitHub for the latest release.
        py = str(Path(args.prowler).parent / "python")
        v["prowler"] = out([py, "-c", "import importlib.metadata as m; print(m.version('prowler'))"])
        v["prowler boto3"] = out([py, "-c", "import boto3; print(boto3.__version__)"])
    return v


if __name__ == "__main__":
    sys.exit(main())
