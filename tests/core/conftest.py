"""Fixtures of the Citus cluster tests (test_cluster.py, test_cluster_month.py)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from paritrana.core import cluster


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    """Citus built (or the build reused); the test is skipped only when it cannot be built here."""
    try:
        return cluster.build()
    except cluster.ClusterError as refused:
        if refused.code in ("citus_toolchain_missing", "citus_source_missing"):
            pytest.skip(f"Citus cannot be built on this machine: {refused.message}")
        raise


def free_ports(count: int) -> int:
    """A first port with ``count`` free ones from it on 127.0.0.1."""
    for base in range(19700, 29700, 10):
        sockets = []
        try:
            for offset in range(count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no free ports")
