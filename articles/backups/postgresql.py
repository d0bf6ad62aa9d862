"""PostgreSQL through its own tools: `pg_dump -Fc` of one exported snapshot, and
`pg_restore | psql --single-transaction` over a cleared schema."""

import os
import re
import secrets
import shutil
import subprocess
import tempfile

from django.db import transaction

from .contents import database_facts
from .errors import BackupError

_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def libpq_environment(settings_dict):
    """Django's connection settings as libpq environment variables, so no value
    (the password least of all) ever appears on a command line or in a shell."""
    env = dict(os.environ)
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for key, variable in _LIBPQ_OPTIONS.items():
        value = settings_dict.get("OPTIONS", {}).get(key)
        if value:
            env[variable] = str(value)
    env["PGAPPNAME"] = env.get("PGAPPNAME", "newsroom-backup")
    return env


def tool_version(tool):
    """(major, "15.20") of a PostgreSQL client tool on PATH."""
    path = shutil.which(tool)
    if path is None:
        raise BackupError(
            f"{tool} is not on PATH: install the PostgreSQL client tools of the "
            "server's version (Debian: postgresql-client-15)."
        )
    result = subprocess.run([path, "--version"], capture_output=True, text=True)
    match = re.search(r"(\d+)(?:\.(\d+))?", result.stdout)
    if result.returncode or not match:
        raise BackupError(f"{path} --version failed: {result.stderr.strip()}")
    return int(match[1]), match[0]


def _server_version(connection):
    number = connection.pg_version  # e.g. 150020
    major = number // 10000
    return major, f"{major}.{number % 10000}"


def _last_lines(text, lines=6):
    return " | ".join(text.strip().splitlines()[-lines:]) or "(no message)"


def dump_postgresql(connection, target):
    tool_major, tool = tool_version("pg_dump")
    connection.ensure_connection()
    server_major, server = _server_version(connection)
    if tool_major < server_major:
        raise BackupError(
            f"pg_dump {tool} cannot dump a PostgreSQL {server} server: install "
            f"postgresql-client-{server_major} and put its pg_dump first on PATH."
        )
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # One snapshot for the counts and the dump: pg_dump imports this one.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        migrations, counts = database_facts(connection)
        result = subprocess.run(
            [
                shutil.which("pg_dump"),
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=libpq_environment(connection.settings_dict),
            capture_output=True,
            text=True,
        )
    if result.returncode:
        raise BackupError(f"pg_dump failed: {_last_lines(result.stderr)}")
    return (
        {
            "vendor": "postgresql",
            "server_version": server,
            "dump_tool": f"pg_dump {tool}",
        },
        migrations,
        counts,
    )


# Everything in the target schema that is not part of an extension goes, in the
# same transaction as the restore, so an older archive's schema is not mixed with
# tables a newer `migrate` made, and a failure changes nothing.
_CLEAR_SCHEMA = """
DO $clear$
DECLARE
    kind record;
    names text;
BEGIN
    FOR kind IN
        SELECT * FROM (VALUES (1, '{r,p,f}'::"char"[], 'TABLE'), (2, '{v}', 'VIEW'),
            (3, '{m}', 'MATERIALIZED VIEW'), (4, '{S}', 'SEQUENCE')
        ) AS kinds(position, relkinds, command) ORDER BY position
    LOOP
        SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ') INTO names
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = ANY (kind.relkinds)
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.deptype = 'e'
              AND d.classid = 'pg_class'::regclass AND d.objid = c.oid);
        IF names IS NOT NULL THEN
            EXECUTE format('DROP %s IF EXISTS %s CASCADE', kind.command, names);
        END IF;
    END LOOP;
    SELECT string_agg(p.oid::regprocedure::text, ', ') INTO names
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = current_schema() AND p.prokind IN ('f', 'p')
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.deptype = 'e'
          AND d.classid = 'pg_proc'::regclass AND d.objid = p.oid);
    IF names IS NOT NULL THEN
        EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', names);
    END IF;
END
$clear$;
"""


# An extension a DBA installed ahead belongs to them, and so does its comment: the
# site's role may not set it, so that one entry of the dump is left out.
_EXTENSION_COMMENT = re.compile(r"^\d+; \d+ \d+ COMMENT - EXTENSION ")


def restore_postgresql(connection, dump, manifest):
    connection.close()
    env = libpq_environment(connection.settings_dict)
    listing = subprocess.run(
        [shutil.which("pg_restore"), "--list", str(dump)],
        capture_output=True,
        text=True,
        env=env,
    )
    if listing.returncode:
        raise BackupError(f"pg_restore cannot read the dump: {listing.stderr.strip()}")
    contents = dump.with_name("contents.list")
    contents.write_text(
        "".join(
            f";{line}" if _EXTENSION_COMMENT.match(line) else line
            for line in listing.stdout.splitlines(keepends=True)
        )
    )
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        # pg_restore turns the dump into SQL; psql runs the clearing statement and
        # all of it in one transaction that stops at the first error.
        reader = subprocess.Popen(
            [
                shutil.which("pg_restore"),
                "--no-owner",
                "--no-privileges",
                # psql runs no backslash command from the dump's text, whatever it
                # holds (the key only needs to be unguessable).
                f"--restrict-key={secrets.token_hex(16)}",
                f"--use-list={contents}",
                "--file=-",
                str(dump),
            ],
            stdout=subprocess.PIPE,
            stderr=restore_err,
            env=env,
        )
        writer = subprocess.Popen(
            [
                shutil.which("psql"),
                "--no-psqlrc",
                "--quiet",
                "--no-password",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--command={_CLEAR_SCHEMA}",
                "--file=-",
            ],
            stdin=reader.stdout,
            stdout=subprocess.DEVNULL,
            stderr=psql_err,
            env=env,
        )
        reader.stdout.close()
        writer_code, reader_code = writer.wait(), reader.wait()
        if reader_code or writer_code:
            restore_err.seek(0)
            psql_err.seek(0)
            message = _last_lines(
                restore_err.read().decode(errors="replace")
                + psql_err.read().decode(errors="replace")
            )
            raise BackupError(
                "Restoring the PostgreSQL database failed and was rolled back; the "
                f"database is as it was: {message}"
            )


def check_restore_tools(manifest, vendor):
    """PostgreSQL's client tools can read this archive, safely."""
    if vendor != "postgresql":
        return
    restore_major, restore_tool = tool_version("pg_restore")
    tool_version("psql")
    help_text = subprocess.run(
        [shutil.which("pg_restore"), "--help"], capture_output=True, text=True
    ).stdout
    if "--restrict-key" not in help_text:
        raise BackupError(
            f"pg_restore {restore_tool} predates the \\restrict safeguard "
            "(CVE-2025-8714) that keeps a dump from running psql commands: update "
            "postgresql-client. Nothing was changed."
        )
    dumped_by = manifest["database"].get("dump_tool", "")
    match = re.search(r"(\d+)", dumped_by)
    if match and int(match[1]) > restore_major:
        raise BackupError(
            f"The archive was written by {dumped_by}; pg_restore {restore_tool} "
            f"cannot read it. Install postgresql-client-{match[1]}. Nothing was "
            "changed."
        )
