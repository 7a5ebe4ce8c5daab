"""Bounded reading of what arrives from outside: local files and ZIP containers (xlsx, hwpx,
docx, zip).

A small compressed file can stand for gigabytes: a 2 MB .hwpx whose `mimetype` entry inflates
to 2 GiB, a 2.4 MB .xlsx of three million rows. So a file's size is checked before it is read,
and a ZIP container's entries are checked twice before any reader opens them: by the sizes
their headers declare, then by inflating each one as a stream, counting, up to the cap (a
header can lie; the stream cannot). A refusal is `ExtractionRejected` with a reason —
`too_large` or `archive_bomb` — and the caller goes on with the next input.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from twinwatch.errors import ExtractionRejected

ZIP_MAGIC = b"PK\x03\x04"
READ_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """What one ZIP container may hold once inflated. A press-release .hwpx holds a few MB
    (photos included), a registry .xlsx of every Korean tie under 5 MB; these leave room."""

    max_entries: int = 5_000
    max_entry_bytes: int = 48 * 1024 * 1024
    max_total_bytes: int = 96 * 1024 * 1024


DEFAULT_LIMITS = ArchiveLimits()


def read_local_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, its size checked before reading (a 3 GB sparse file costs nothing);
    at most `max_bytes + 1` are ever read, so a file growing meanwhile is caught too.
    Raises ExtractionRejected('too_large') or OSError."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ExtractionRejected("too_large", f"{path}: {size} bytes > max_bytes {max_bytes}")
    with path.open("rb") as handle:
        body = handle.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise ExtractionRejected("too_large", f"{path}: grew past max_bytes {max_bytes}")
    return body


def is_zip(body: bytes) -> bool:
    return body.startswith(ZIP_MAGIC)


def check_archive(body: bytes, limits: ArchiveLimits = DEFAULT_LIMITS, *,
                  unreadable: str = "unreadable_archive") -> None:
    """Refuse a ZIP container whose entries inflate past `limits`, by declared or actual size.

    Raises ExtractionRejected('archive_bomb: …') for a bomb, (`unreadable`) for a container
    zipfile cannot read (bad CRC, truncated, encrypted)."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            entries = archive.infolist()
            _check_declared(entries, limits)
            inflated = 0
            for entry in entries:
                inflated += _inflated_size(archive, entry, limits, inflated)
    except ExtractionRejected as exc:
        if exc.reason == "unreadable_archive":
            raise ExtractionRejected(unreadable, str(exc)) from exc
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, OSError, ValueError) as exc:
        # RuntimeError: an encrypted entry; NotImplementedError: an unknown compression method.
        raise ExtractionRejected(unreadable, f"unreadable ZIP container: {exc}") from exc


def _check_declared(entries: list[zipfile.ZipInfo], limits: ArchiveLimits) -> None:
    if len(entries) > limits.max_entries:
        raise ExtractionRejected("archive_bomb: entries",
                                 f"{len(entries)} entries > {limits.max_entries}")
    for entry in entries:
        if entry.file_size > limits.max_entry_bytes:
            raise ExtractionRejected("archive_bomb: entry",
                                     f"{entry.filename} declares {entry.file_size} bytes "
                                     f"> {limits.max_entry_bytes}")
    declared = sum(entry.file_size for entry in entries)
    if declared > limits.max_total_bytes:
        raise ExtractionRejected("archive_bomb: total",
                                 f"entries declare {declared} bytes > {limits.max_total_bytes}")


def _inflated_size(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limits: ArchiveLimits,
                   inflated_so_far: int) -> int:
    """The entry's real inflated size, read as a stream and cut one byte past the cap.

    zipfile stops an entry at its declared size, so a header declaring 100 bytes over a
    2 GiB stream would pass a plain read unseen (and its CRC can be forged to match); the
    entry is therefore opened with the declared size replaced by the cap, so the stream
    itself says where it ends."""
    cap = min(limits.max_entry_bytes, limits.max_total_bytes - inflated_so_far)
    probe = copy.copy(entry)
    # Well past the cap: zipfile inflates ahead of what is asked for, and reading to the cap
    # must not reach the end where it checks the CRC (the bomb would pass as 'unreadable').
    probe.file_size = cap + 2 * READ_CHUNK
    size = 0
    with archive.open(probe) as stream:
        while chunk := _read_some(stream, min(READ_CHUNK, cap + 1 - size)):
            size += len(chunk)
            if size > cap:
                raise ExtractionRejected("archive_bomb: inflates",
                                         f"{entry.filename} inflates past {cap} bytes "
                                         f"(declares {entry.file_size})")
    if size != entry.file_size:
        raise ExtractionRejected("archive_bomb: size header",
                                 f"{entry.filename} declares {entry.file_size} bytes, holds {size}")
    return size


def _read_some(stream: IO[bytes], count: int) -> bytes:
    if count <= 0:
        return b""
    try:
        return stream.read(count)
    except zipfile.BadZipFile as exc:
        # The CRC was computed over the whole stream; with the size replaced it is only
        # checked at the stream's real end, so a mismatch here is a damaged entry.
        raise ExtractionRejected("unreadable_archive", str(exc)) from exc


def first_bytes(body: bytes, name: str, count: int) -> bytes | None:
    """The first `count` bytes of one entry (streamed: never more inflated), or None when the
    container has no such entry or cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            if name not in archive.NameToInfo:
                return None
            with archive.open(name) as stream:
                return stream.read(count)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError, ValueError):
        return None

