"""Reading a -wal file's frame headers, to tell a WAL that SQLite cannot replay in full.

SQLite replays a WAL up to its first frame whose checksum fails and silently drops everything after it: committed
rows of a store whose -wal was damaged after a crash (a bad sector, a sync client) would vanish without a word.
This reads the WAL's own structure (https://www.sqlite.org/fileformat.html#the_write_ahead_log): frame headers
and checksums are plain, computed over the encrypted pages, so no key is needed and nothing is written.
"""

from __future__ import annotations

import struct
from pathlib import Path

_HEADER_BYTES = 32
_FRAME_HEADER_BYTES = 24
_MAGIC = (0x377F0682, 0x377F0683)  # the low bit says the checksums are big-endian


def _checksum(data: bytes, s0: int, s1: int, big_endian: bool) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def verloren_transacties(wal: Path) -> int:
    """How many committed transactions in `wal` lie beyond a damaged frame, where SQLite's replay stops.

    0 for a WAL that replays in full, a missing or empty one, and one whose only bad frame is its very last (a
    write torn by the crash itself, never committed: a commit is acknowledged only after the WAL is synced).
    Frames of an older WAL generation (other salts) are left-overs SQLite ignores by design and count not.
    """
    try:
        data = wal.read_bytes()
    except FileNotFoundError:
        return 0
    if len(data) < _HEADER_BYTES:
        return 0
    magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", data[:_HEADER_BYTES])
    if magic not in _MAGIC or page_size < 512 or page_size & (page_size - 1):
        return 0  # no WAL header SQLite would use: it replays nothing either way, and says so itself
    big_endian = bool(magic & 1)
    if _checksum(data[:24], 0, 0, big_endian) != (c0, c1):
        return 0
    frame_bytes = _FRAME_HEADER_BYTES + page_size
    frames = (len(data) - _HEADER_BYTES) // frame_bytes
    s0, s1 = c0, c1
    broken_at: int | None = None
    lost = 0
    for index in range(frames):
        start = _HEADER_BYTES + index * frame_bytes
        header = data[start : start + _FRAME_HEADER_BYTES]
        _page, commit, f_salt1, f_salt2, f0, f1 = struct.unpack(">6I", header)
        if (f_salt1, f_salt2) != (salt1, salt2):
            if broken_at is None:
                break  # the end of this generation: what follows is an older one's
            continue
        if broken_at is None:
            page = data[start + _FRAME_HEADER_BYTES : start + frame_bytes]
            s0, s1 = _checksum(header[:8] + page, s0, s1, big_endian)
            if (s0, s1) != (f0, f1):
                broken_at = index
        elif commit:
            lost += 1
    if broken_at is not None and lost == 0 and broken_at < frames - 1:
        # A damaged frame in the middle, the transaction it belonged to committed later in a frame that the
        # damage also hit, or the commit frame itself damaged with frames after it: count it as lost too.
        first = _HEADER_BYTES + broken_at * frame_bytes
        commit = struct.unpack(">I", data[first + 4 : first + 8])[0]
        lost = 1 if commit else 0
    return lost


__all__ = ["verloren_transacties"]
