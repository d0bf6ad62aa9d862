"""The multi-server stack on loopback: `make stack` / `make stack-stop`.

    python deploy/stack.py start [--dir .stack] [--port 8100] [--database newsroom_stack]
    python deploy/stack.py stop  [--dir .stack]
    python deploy/stack.py status [--dir .stack]

What runs, each on 127.0.0.1:

    Varnish      :PORT     the readers' address; deploy/varnish/newsroom.vcl with
                           the two app servers behind a round-robin director
    app server 1 :PORT+1   gunicorn, production settings (debug off)
    app server 2 :PORT+2   the same code and settings
    purge clock            `manage.py send_purges --every 5`: scheduled stories
                           going live or expiring purge with nobody saving
    object store           SeaweedFS (deploy/objectstore.py) on free ports: uploads
                           and renditions in its public bucket, read from there
    PostgreSQL   :5432     the machine's server (started if it is down), its own
                           database
    Redis        :6379     the machine's server (started if it is down), its own
                           database number

Both app servers share the database, Redis (page cache, generation, login
throttles) and the object store, and purge Varnish after every change. The
demo is loaded and the demo accounts made, as `make run` does. Everything the
stack writes (logs, pids, media, collected static files, the secret key) stays
under --dir; `stop` stops what `start` started and nothing else.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

if __package__ in (None, ""):  # run as a script: `python deploy/stack.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deploy import objectstore  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"
PG = "postgres://postgres@127.0.0.1:5432"


def log(message):
    print(message, flush=True)


def answers(host, port):
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


def wait_for(what, check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise SystemExit(f"{what} did not come up within {seconds} s")


# -- the machine's servers -------------------------------------------------------


def ensure_postgresql():
    if answers("127.0.0.1", 5432):
        return
    log("PostgreSQL is down: starting it")
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
        check=True,
    )
    wait_for("PostgreSQL", lambda: answers("127.0.0.1", 5432))


def ensure_redis():
    if answers("127.0.0.1", 6379):
        return
    log("Redis is down: starting it")
    subprocess.run(
        ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1",
         "--port", "6379", "--save", "", "--appendonly", "no"],
        check=True,
    )  # fmt: skip
    wait_for("Redis", lambda: answers("127.0.0.1", 6379))


def create_database(name, *, fresh):
    """The stack's database; `fresh`: made anew (its media are in this stack's
    object store, so a database kept from another stack folder would point at
    files this one does not have)."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            log(f"created database {name}")


# -- the stack's own processes ---------------------------------------------------


class Stack:
    def __init__(self, folder, port, database, redis_db):
        self.dir = Path(folder).resolve()
        self.port = port
        self.database = database
        self.redis_db = redis_db
        self.state = self.dir / "stack.json"
        self.store_dir = self.dir / "objectstore"

    @property
    def app_ports(self):
        return [self.port + 1, self.port + 2]

    def env(self):
        secret = self.dir / "secret-key"
        if not secret.exists():
            secret.write_text(secrets.token_urlsafe(50))
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "REDIS_", "DATABASE_URL", "MEDIA_ROOT"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            DATABASE_URL=f"{PG}/{self.database}",
            REDIS_URL=f"redis://127.0.0.1:6379/{self.redis_db}",
            DJANGO_CACHE_PREFIX=f"stack-{self.database}",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secret.read_text(),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            MEDIA_ROOT=str(self.dir / "media"),
            DJANGO_STATIC_ROOT=str(self.dir / "static"),
            DJANGO_EDGE_PURGE_BACKEND="varnish",
            DJANGO_EDGE_VARNISH_URLS=f"http://127.0.0.1:{self.port}/",
        )
        store = objectstore.running(self.store_dir)
        if store is not None:
            env.update(store.env())
        return env

    def manage(self, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise SystemExit(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
            )
        return result.stdout

    def spawn(self, name, argv, env=None):
        out = open(self.dir / f"{name}.log", "ab")  # noqa: SIM115
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env or self.env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives this command; stopped by `stop`
        )
        return process.pid

    def app_server(self, port):
        return self.spawn(
            f"app-{port}",
            [sys.executable, "-m", "gunicorn", "newsroom.wsgi",
             "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
             "--access-logfile", str(self.dir / f"access-{port}.log")],
        )  # fmt: skip

    def vcl(self):
        """The repository's VCL with both app servers behind a director."""
        text = VCL.read_text()
        start = text.index("backend default {")
        end = text.index("}", start) + 1
        backends = "\n".join(
            f'backend app{i} {{\n    .host = "127.0.0.1";\n    .port = "{port}";\n'
            f"    .probe = origin_alive;\n}}\n"
            for i, port in enumerate(self.app_ports, 1)
        )
        init = (
            "sub vcl_init {\n    new origins = directors.round_robin();\n"
            + "".join(f"    origins.add_backend(app{i});\n" for i in (1, 2))
            + "}\n"
        )
        text = text[:start] + backends + "\n" + init + text[end:]
        text = text.replace("import xkey;", "import xkey;\nimport directors;")
        return text.replace(
            "sub vcl_recv {",
            "sub vcl_recv {\n    set req.backend_hint = origins.backend();",
            1,
        )

    def varnish(self):
        vcl = self.dir / "newsroom.vcl"
        vcl.write_text(self.vcl())
        return self.spawn(
            "varnish",
            ["varnishd", "-F", "-j", "none", "-n", str(self.dir / "varnish"),
             "-a", f"127.0.0.1:{self.port}", "-f", str(vcl),
             "-s", "malloc,256m", "-T", "none"],
            env=dict(os.environ),
        )  # fmt: skip

    def start(self):
        if self.state.exists():
            raise SystemExit(f"a stack is running from {self.dir} (stop it first)")
        for port in [self.port, *self.app_ports]:
            if answers("127.0.0.1", port):
                raise SystemExit(f"port {port} is taken; choose another with --port")
        if shutil.which("varnishd") is None:
            raise SystemExit(
                "varnishd is missing: apt-get install varnish varnish-modules"
            )
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            self.bring_up()
        except BaseException:
            log("the stack did not come up: stopping what had started")
            self.stop()
            raise

    def bring_up(self):
        started = time.monotonic()
        log("[1/6] PostgreSQL and Redis")
        ensure_postgresql()
        ensure_redis()
        marker = self.dir / "database"
        create_database(self.database, fresh=marker.read_text() != self.database
                        if marker.exists() else True)  # fmt: skip
        marker.write_text(self.database)
        log("[2/6] the object store")
        try:
            store = objectstore.start(self.store_dir)
        except objectstore.ObjectStoreUnavailableError as error:
            raise SystemExit(f"object store: {error}") from error
        log("[3/6] migrating, loading the demo, collecting static files")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_demo")
        accounts = self.manage("create_demo_editor")
        self.manage("collectstatic", "--noinput", "-v0")
        pids = {}
        log("[4/6] two app servers")
        for port in self.app_ports:
            pids[f"app-{port}"] = self.app_server(port)
        self.state.write_text(json.dumps(pids))
        for port in self.app_ports:
            wait_for(f"app server :{port}", lambda p=port: healthy(p))
        log("[5/6] Varnish in front")
        pids["varnish"] = self.varnish()
        self.state.write_text(json.dumps(pids))
        wait_for("Varnish", lambda: healthy(self.port))
        log("[6/6] the purge clock (scheduled stories)")
        pids["purge-clock"] = self.spawn(
            "purge-clock", [sys.executable, "manage.py", "send_purges", "--every", "5"]
        )
        self.state.write_text(json.dumps(pids))
        log(f"\nThe stack is up in {time.monotonic() - started:.0f} s:")
        log(f"  readers (Varnish)   http://127.0.0.1:{self.port}/")
        log(f"  the desk            http://127.0.0.1:{self.port}/admin/")
        for port in self.app_ports:
            log(f"  app server          http://127.0.0.1:{port}/")
        log(f"  PostgreSQL          {PG}/{self.database}")
        log(f"  Redis               redis://127.0.0.1:6379/{self.redis_db}")
        log(f"  object store (S3)   {store.endpoint} (media: {store.public_url()})")
        log(f"  logs and state      {self.dir}")
        log(accounts.strip())
        log("Stop it with: make stack-stop")

    def stop(self):
        store = objectstore.running(self.store_dir)
        if store is not None:
            store.stop()
            log("stopped the object store")
        if not self.state.exists():
            log(f"no stack is running from {self.dir}")
            return
        pids = json.loads(self.state.read_text())
        for name, pid in reversed(list(pids.items())):
            stop_process(pid)
            log(f"stopped {name} (pid {pid})")
        self.state.unlink()

    def status(self):
        if not self.state.exists():
            log(f"no stack is running from {self.dir}")
            return 1
        for name, pid in json.loads(self.state.read_text()).items():
            alive = Path(f"/proc/{pid}").exists()
            log(f"{name:12} pid {pid:<8} {'running' if alive else 'stopped'}")
        return 0


def healthy(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            return r.status == 200
    except (OSError, urllib.error.URLError):
        return False


def stop_process(pid, seconds=20):
    """SIGTERM the process's group, then SIGKILL what is left after `seconds`."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(pid, signal.SIGKILL)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--dir", default=str(ROOT / ".stack"))
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--database", default="newsroom_stack")
    parser.add_argument("--redis-db", type=int, default=3)
    args = parser.parse_args(argv)
    stack = Stack(args.dir, args.port, args.database, args.redis_db)
    return getattr(stack, args.command)() or 0


if __name__ == "__main__":
    sys.exit(main())
