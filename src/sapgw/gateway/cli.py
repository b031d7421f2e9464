"""The `sapgw` command."""

from __future__ import annotations

import argparse
import sys

from sapgw.gateway.config import ConfigError, default_config_path, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sapgw", description=__doc__)
    parser.add_argument("--config", default=None,
                        help="config.ini to use (default: $SAPGW_CONFIG or ./config.ini)")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the HTTP server with the queue schedulers")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    sub.add_parser("init", help="create the databases with the demo customizing")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config or default_config_path())
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.command == "init":
        return 0
    if args.command == "serve":
        import uvicorn

        from sapgw.gateway.api.app import create_app

        uvicorn.run(create_app(), host=args.host or settings.host, port=args.port or settings.port,
                    log_level="info")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
