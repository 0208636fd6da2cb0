"""CPU time per process group, read from the kernel (psutil): what a creation costs each part.

Throughput on a shared machine moves with the neighbours' load; the CPU seconds each of our
processes spent during a round move much less, so they show where the time goes and whether a
change made a part cheaper. Groups are process trees (a root and its children, e.g. uvicorn's
workers or the postmaster's backends), read at the start and end of every round.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psutil


def _tree_cpu(root: psutil.Process, children: bool) -> float:
    total = 0.0
    for proc in [root, *(root.children(recursive=True) if children else ())]:
        try:
            t = proc.cpu_times()
        except psutil.Error:
            continue  # ended since it was listed
        total += t.user + t.system
    return total


class CpuMeter:
    """`roots`: each group's root process; `alone`: the groups whose children are not theirs
    (the bench itself, whose children are the servers it measures)."""

    def __init__(self, roots: dict[str, int], alone: frozenset[str] = frozenset()) -> None:
        self.roots = {name: psutil.Process(pid) for name, pid in roots.items()}
        self.alone = alone

    def read(self) -> dict[str, float]:
        return {
            name: _tree_cpu(proc, children=name not in self.alone)
            for name, proc in self.roots.items()
        }


def postmaster_pid(database_url: str) -> int | None:
    """The embedded server's postmaster (its data directory is the URL's socket host)."""
    host = parse_qs(urlsplit(database_url).query).get("host", [""])[0]
    pid_file = Path(host) / "postmaster.pid"
    if not host or not pid_file.exists():
        return None  # a server of its own elsewhere: not ours to measure
    return int(pid_file.read_text().split()[0])


def listener_pid(port: int) -> int | None:
    """The local process listening on `port` (the embedded broker)."""
    for conn in psutil.net_connections("tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
            return conn.pid
    return None


def this_process() -> int:
    return os.getpid()
