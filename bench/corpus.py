"""The corpora: a seeded database per vendor and size, reused while the code that
built it is unchanged, and the environment every child process gets for one."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"  # `--data` moves it (the smoke test's tmp_path)


def log(message):
    print(message, flush=True)


def use_data(folder):
    """Keep corpora, their markers and collected static files in `folder`."""
    global DATA
    DATA = Path(folder)
    DATA.mkdir(parents=True, exist_ok=True)


def code_signature():
    """Rebuild a corpus when the schema or the seeding code changes."""
    digest = hashlib.sha256()
    files = sorted((ROOT / "articles" / "migrations").glob("*.py"))
    files.append(ROOT / "demo" / "management" / "commands" / "seed_corpus.py")
    for path in files:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


class Database:
    """One vendor's corpora: SQLite files under DATA, or PostgreSQL databases
    named after `base_url` (`<name>_<size>`)."""

    def __init__(self, vendor, base_url=None):
        self.vendor = vendor
        self.base_url = base_url

    def url(self, size):
        if self.vendor == "sqlite":
            return f"sqlite:///{self.sqlite_file(size)}"
        return f"{self.base_url}_{size}"

    def sqlite_file(self, size):
        return DATA / f"corpus-{size}.sqlite3"

    def marker(self, size):
        return DATA / f"{self.vendor}-{size}.json"

    def recreate(self, size):
        if self.vendor == "sqlite":
            for path in DATA.glob(f"corpus-{size}.sqlite3*"):
                path.unlink()
            # Migrate once, copy for every corpus.
            empty = DATA / f"empty-{code_signature()}.sqlite3"
            if not empty.exists():
                manage(f"sqlite:///{empty}", "migrate", "--noinput", "-v0")
            shutil.copyfile(empty, self.sqlite_file(size))
            return
        import psycopg

        name = urlsplit(self.url(size)).path.lstrip("/")
        with psycopg.connect(maintenance_dsn(self.base_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')


def maintenance_dsn(url):
    parts = urlsplit(url)
    return parts._replace(path="/postgres").geturl()


def postgres_answers(url):
    try:
        import psycopg

        with psycopg.connect(maintenance_dsn(url), connect_timeout=3):
            return True
    except Exception as error:  # any failure means: skip PostgreSQL, say why
        log(f"PostgreSQL at {url} does not answer ({error}); SQLite only.")
        return False


def redis_answers(url):
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return True
    except Exception as error:
        log(f"Redis at {url} does not answer ({error}); runs without Redis only.")
        return False


def django_env(database_url, **extra):
    """The environment of a child process working on `database_url`, with none of
    the caller's Django, Redis or database settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "REDIS_", "DATABASE_URL"))
    }
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="newsroom.settings")
    # Collected files of our own: a manifest in ./staticfiles would change what
    # the test suite's live server serves.
    env["DJANGO_STATIC_ROOT"] = str(DATA / "static")
    env.update(extra)
    return env


def manage(database_url, *args, quiet=False):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=django_env(database_url),
        capture_output=quiet,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr or ''}")
    return result.stdout


def ensure_corpus(database, size, tags):
    marker = database.marker(size)
    wanted = {
        "url": database.url(size),
        "size": size,
        "tags": tags,
        "code": code_signature(),
    }
    built = json.loads(marker.read_text()) if marker.exists() else {}
    if {key: built.get(key) for key in wanted} == wanted:
        log(f"  {database.vendor} {size:,}: reusing the corpus")
        manage(database.url(size), "migrate", "--noinput", "-v0")
        return
    log(f"  {database.vendor} {size:,}: building the corpus")
    marker.unlink(missing_ok=True)
    database.recreate(size)
    if database.vendor != "sqlite":
        manage(database.url(size), "migrate", "--noinput", "-v0")
    started = time.monotonic()
    manage(
        database.url(size), "seed_corpus", "--articles", str(size), "--tags", str(tags)
    )
    wanted["seed_seconds"] = round(time.monotonic() - started, 1)
    marker.write_text(json.dumps(wanted))


def seed_seconds(database, size):
    return json.loads(database.marker(size).read_text()).get("seed_seconds")
