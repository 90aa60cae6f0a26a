"""`python -m bot.web [--host 127.0.0.1] [--port 8000]`: runs the gateway."""

from __future__ import annotations

import argparse
import logging
import sys

import uvicorn

from bot.web.app import create_app
from bot.web.centres import CentreConfigError
from bot.web.config import ProxySettingError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.web", description="DoeMee web gateway and chat widget.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        app = create_app()
    except CentreConfigError as error:
        print(f"centres.yml: {error}", file=sys.stderr)
        return 2
    except ProxySettingError as error:
        print(error, file=sys.stderr)
        return 2
    # No access log: it would record residents' IP addresses. Proxy headers are
    # read by the app itself, from DOEMEE_TRUSTED_PROXIES only (see create_app).
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, proxy_headers=False, log_level="info")
    return 0


if __name__ == "__main__":
    sys.exit(main())
