"""Varnish for real: `varnishd` in the foreground, on its own port and working
directory, with the repository's VCL (deploy/varnish/newsroom.vcl) pointed at
the given origin."""

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "newsroom.vcl"
VMODS = Path("/usr/lib/x86_64-linux-gnu/varnish/vmods")


def missing():
    """Why Varnish cannot run here, or None."""
    if shutil.which("varnishd") is None:
        return "varnishd is not installed (apt-get install varnish varnish-modules)"
    if not list(VMODS.glob("libvmod_xkey.so")) and not list(
        Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so")
    ):
        return "the xkey vmod is not installed (apt-get install varnish-modules)"
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Varnish:
    def __init__(self, workdir, origin_port):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = Path(workdir)
        vcl = VCL.read_text().replace('.port = "8000";', f'.port = "{origin_port}";')
        self.vcl = self.workdir / "newsroom.vcl"
        self.vcl.write_text(vcl)
        self.log = open(self.workdir / "varnishd.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            ["varnishd", "-F", "-j", "none", "-n", str(self.workdir / "n"),
             "-a", f"127.0.0.1:{self.port}", "-f", str(self.vcl),
             "-s", "malloc,32m", "-T", "none"],
            stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError((self.workdir / "varnishd.log").read_text())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def get(self, path):
        """(status, headers, body) of a GET through Varnish."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
