"""`sapgw reset [STATE]` and `sapgw snapshot save|restore|list|delete`: docs/ISOLATION.md.

Without --url the command works on the databases of config.ini (as the administrator, audited
as `cli:<login>`); with --url on a running server, whose admin role it then needs. A refused
reset or restore (a worker holds a lease), an unknown snapshot or state exit 1, a bad name 2.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from sapgw.gateway.config import Settings


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    reset = sub.add_parser("reset", parents=[common], help="reset the gateway and the ERP stub "
                           "to the demo data set or a named state (admin; refused while a "
                           "worker holds a queue lease)")
    reset.add_argument("state", nargs="?", help="a folder of [gateway] states_dir, a path to "
                       "a folder of TOML files, or a snapshot's name (default: the demo)")
    snapshot = sub.add_parser("snapshot", parents=[common], help="named snapshots of both "
                              "databases: save, restore, list, delete")
    snapshot.add_argument("action", choices=["save", "restore", "list", "delete"])
    snapshot.add_argument("name", nargs="?", help="a-z, 0-9, _ and - (not for list)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    # here, not at the top: the parser imports this module for every command, and
    # sapgw.snapshots brings SQLAlchemy (0.2 s before `sapgw serve` listened, issue 15)
    from sapgw.gateway.cli import password_for
    from sapgw.snapshots import RestoreRefused, SnapshotError, UnknownSnapshot

    if args.url:
        from sapgw.gateway.isolation_remote import RemoteIsolation

        user = args.user or ""
        target: Any = RemoteIsolation(args.url, user, password_for(user) if user else "")
        audited = None
    else:
        from sapgw.gateway.audit import AuditedActions
        from sapgw.gateway.runtime import Gateway

        gateway = Gateway(settings)
        target, audited = gateway, AuditedActions(gateway)
    try:
        return _dispatch(args, target, audited)
    except RestoreRefused as exc:
        print(f"sapgw: {exc}", file=sys.stderr)
        return 1
    except UnknownSnapshot as exc:
        print(f"sapgw: {exc}", file=sys.stderr)
        return 1
    except SnapshotError as exc:
        print(f"sapgw: {exc}", file=sys.stderr)
        return 2
    finally:
        target.close()


def _dispatch(args: argparse.Namespace, target: Any, audited: Any) -> int:
    from sapgw.snapshots import SnapshotError

    def act(action: str, object_id: str, work: Any) -> Any:
        if audited is None:  # the server audits
            return work()
        return audited.system(f"cli:{getpass.getuser()}", action, object_id, work)

    if args.command == "reset":
        result = act("reset", args.state or "demo", lambda: target.reset(args.state))
        _show(args, result, f"reset to {result.get('state') or result.get('snapshot')}: "
              f"{_parts(result)}")
        return 0
    if args.action == "list":
        found = (target.isolation if audited is not None else target).snapshots()
        lines = [f"{s['name']:<24} {s.get('created_at', '')[:19]:<20} {_parts(s)}"
                 for s in found] or ["(no snapshots)"]
        _show(args, found, "\n".join(lines))
        return 0
    if not args.name:
        raise SnapshotError(f"snapshot {args.action} needs a NAME")
    if args.action == "save":
        result = act("snapshot", args.name, lambda: target.snapshot(args.name))
        _show(args, result, f"snapshot {args.name} saved: {_parts(result)}")
    elif args.action == "restore":
        result = act("restore", args.name, lambda: target.restore(args.name))
        _show(args, result, f"snapshot {args.name} restored: {_parts(result)}")
    else:
        isolation = target.isolation if audited is not None else target
        act("del-snapshot", args.name, lambda: isolation.delete(args.name))
        _show(args, {"deleted": True, "name": args.name}, f"snapshot {args.name} deleted")
    return 0


def _parts(result: dict[str, Any]) -> str:
    """`gateway … ; ERP … ; RAR …`: every system the action covered (other local systems
    answer under their destination's name, e.g. "RAR")."""
    def one(label: str, part: Any) -> str:
        if part is None:
            return f"{label} -"
        return f"{label} {part.get('tables')} tables, {part.get('rows')} rows"

    others = [key for key, value in result.items()
              if key.isupper() and isinstance(value, dict) and "tables" in value]
    return "; ".join([one("gateway", result.get("gateway")), one("ERP", result.get("erp")),
                      *(one(key, result[key]) for key in others)])


def _show(args: argparse.Namespace, data: Any, text: str) -> None:
    print(json.dumps(data, indent=2, default=str) if args.json else text)
