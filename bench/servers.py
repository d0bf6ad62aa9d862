"""The server under load: gunicorn with production settings, started and stopped
by the benchmark alone, on a free port of 127.0.0.1."""

import http.client
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

from .corpus import ROOT, django_env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port, path, timeout=60):
    """(status, X-Page-Cache) of one GET."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("X-Page-Cache")
    finally:
        conn.close()


class Server:
    """gunicorn with production settings, started and stopped by us alone."""

    def __init__(
        self,
        database_url,
        *,
        redis_url=None,
        cache_seconds,
        workers,
        prefix=None,
        env=None,
    ):
        self.port = free_port()
        self.prefix = prefix or f"bench-{secrets.token_hex(4)}"
        extra = {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_PAGE_CACHE_SECONDS": str(cache_seconds),
            "DJANGO_CACHE_PREFIX": self.prefix,
            "NEWSROOM_BENCH_REFERENCE": "1",
        }
        if redis_url:
            extra["REDIS_URL"] = redis_url
        extra.update(env or {})
        self.environment = extra  # what another process needs to act as it
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=django_env(database_url, **extra),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if fetch(self.port, "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start; see its messages above.")
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 60 s.")

    def worker_pids(self):
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return sorted(int(pid) for pid in path.read_text().split())

    def worker_rss_mb(self):
        sizes = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:  # a worker gunicorn replaced meanwhile
                continue
            kb = re.search(r"VmRSS:\s+(\d+)", status)
            if kb:
                sizes[pid] = int(kb.group(1)) / 1024
        return sizes

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
