"""Tools the benchmark suites share: a real server on loopback, an HTTP load generator, timings."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from accord.platform.models import ApiToken, User
from accord.platform.services.tokens import token_create


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(*, workers: int = 2, threads: int = 4, timeout: float = 60.0) -> Iterator[str]:
    """Start `accord serve` on a free loopback port with this process's settings; yield its URL."""
    port = free_port()
    env = os.environ.copy()
    command = [
        sys.executable,
        "-m",
        "accord.config.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--no-jobs",
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"accord serve exited early: {error[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/health")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("accord serve did not answer /health in time")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def http_load(
    base_url: str,
    paths: list[str],
    *,
    headers: dict[str, str],
    concurrency: int,
    requests_per_client: int,
) -> tuple[float, list[float], int]:
    """Send GET requests from `concurrency` keep-alive clients; return (req/s, latencies in ms, errors)."""
    parts = urlsplit(base_url)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30)
        local: list[float] = []
        bad = 0
        for i in range(requests_per_client):
            path = paths[(offset + i) % len(paths)]
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except OSError:
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30)
            local.append((time.perf_counter() - start) * 1000)
        conn.close()
        with lock:
            latencies.extend(local)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(n * 7,)) for n in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return len(latencies) / elapsed, latencies, errors[0]


def repeat(runs: int, fn: Callable[[], float]) -> list[float]:
    return [fn() for _ in range(runs)]


@contextmanager
def api_token(user: User) -> Iterator[str]:
    """A bearer token of the user for the run; its row is deleted afterwards."""
    token, raw = token_create(user=user, name=f"bench {time.time():.0f}")
    try:
        yield raw
    finally:
        ApiToken.objects.filter(pk=token.pk).delete()
