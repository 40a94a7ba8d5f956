"""Runs the emulator: `python tests/moto/emulator --upstream http://127.0.0.1:MOTO [--port 0]`.

Prints `listening on http://127.0.0.1:PORT` (one line, flushed) once it accepts connections, so
the caller can start it on port 0 and read the port it got.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from emulator import core  # noqa: E402 - needs the path above


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--upstream", required=True, help="moto's endpoint, e.g. http://127.0.0.1:5055")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    core.load_services()
    server = core.Emulator((args.host, args.port), args.upstream)
    host, port = server.server_address[:2]
    print(f"listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
