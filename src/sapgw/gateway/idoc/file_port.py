"""Inbound file port: every file of a directory is read, stored, processed and moved away.

A file is first claimed by renaming it into `<dir>/work/` (atomic on one file system), so two
pollers (`sapgw serve` and `sapgw worker`) never read the same file. Then:
- it reads (IDoc-XML, or flat records when it does not start with `<`): its IDocs are stored
  and processed, whatever their status, and the file moves to `processed/`;
- it reads only in part (a record or an IDOC element is broken): the readable IDocs are
  stored, the broken one with status 56 and the reason, and the file moves to `error/`;
- it cannot be read at all (not well-formed XML, no control record, not UTF-8): nothing can
  be stored, so the file moves to `error/` with `<name>.reason.txt` saying why;
- its IDocs cannot be stored (the database is unavailable): the file goes back into the
  directory and is taken again at the next poll.
No file is deleted. Names starting with `.` and partial files (`*.part`, `*.tmp`) are left
alone: a sender may still be writing them.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sapgw.gateway.idoc.flat_format import parse_flat
from sapgw.gateway.idoc.inbound import IdocInbound
from sapgw.gateway.idoc.model import Idoc, IdocFormatError
from sapgw.gateway.idoc.xml_format import parse_idoc_xml
from sapgw.rfc.xml import XmlError

log = logging.getLogger("sapgw.idoc.file_port")

WORK, PROCESSED, ERROR = "work", "processed", "error"
SKIPPED_SUFFIXES = (".part", ".tmp", ".reason.txt")


@dataclass
class FileResult:
    file: str
    moved_to: str
    idocs: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "moved_to": self.moved_to, "idocs": self.idocs,
                "error": self.error}


def read_idocs(content: bytes, source: str) -> list[Idoc]:
    """The IDocs of a file or request body: IDoc-XML when it starts with `<`, else flat."""
    if content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return parse_idoc_xml(content, source)
    return parse_flat(content.decode("utf-8-sig"), source)


def receive_directory(inbound: IdocInbound, directory: Path) -> list[FileResult]:
    """Take in every waiting file of `directory`, oldest name first."""
    if not directory.is_dir():
        raise FileNotFoundError(f"inbound directory {directory} does not exist")
    results = []
    for path in sorted(p for p in directory.iterdir() if _waiting(p)):
        claimed = _claim(path, directory / WORK)
        if claimed is not None:
            results.append(_receive(inbound, claimed, directory))
    return results


def _waiting(path: Path) -> bool:
    return (path.is_file() and not path.name.startswith(".")
            and not path.name.endswith(SKIPPED_SUFFIXES))


def _claim(path: Path, work: Path) -> Path | None:
    work.mkdir(exist_ok=True)
    target = work / path.name
    try:
        os.rename(path, target)
    except FileNotFoundError:  # another poller was faster
        return None
    return target


def _receive(inbound: IdocInbound, path: Path, directory: Path) -> FileResult:
    source = str(directory / path.name)
    try:
        idocs = read_idocs(path.read_bytes(), path.name)
    except (XmlError, IdocFormatError, UnicodeDecodeError, OSError) as error:
        moved = _move(path, directory / ERROR)
        reason = f"{type(error).__name__}: {error}"
        moved.with_name(moved.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
        log.warning("inbound file %s not readable, moved to %s: %s", source, moved, reason)
        return FileResult(source, str(moved), error=reason)
    broken = any(idoc.problems for idoc in idocs)
    try:
        received = inbound.store_all(idocs)
    except Exception:  # nothing stored (one commit): back where it was, for the next poll
        os.replace(path, directory / path.name)
        raise
    results = inbound.process(received)
    moved = _move(path, directory / (ERROR if broken else PROCESSED))
    return FileResult(source, str(moved), results,
                      "some records could not be read (status 56)" if broken else "")


def _move(path: Path, target_dir: Path) -> Path:
    """Move into `target_dir`, never over an earlier file of the same name."""
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    number = 1
    while target.exists():
        target = target_dir / f"{path.stem}.{number}{path.suffix}"
        number += 1
    os.replace(path, target)
    return target
