"""The demo is an app of its own: installed unless DJANGO_DEMO=0, which a
production site sets, and the site runs the same without it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["load_demo", "create_demo_editor", "seed_corpus"]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "k" * 20 + "-a-long-random-production-key-" + "z" * 20,
    "DJANGO_ALLOWED_HOSTS": "news.example",
    "DJANGO_SECURE_SSL": "1",
}


def manage(*args, tmp_path, **env):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))
    }
    clean.update(
        env,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def listed_commands(result):
    assert result.returncode == 0, result.stderr
    return {line.strip() for line in result.stdout.splitlines()}


def test_the_demo_commands_are_there_by_default(tmp_path):
    listed = listed_commands(manage("help", tmp_path=tmp_path))
    assert "[demo]" in listed
    assert set(COMMANDS) <= listed


def test_a_production_site_leaves_the_demo_out(tmp_path):
    env = {**PRODUCTION, "DJANGO_DEMO": "0"}
    listed = listed_commands(manage("help", tmp_path=tmp_path, **env))
    assert "[demo]" not in listed
    assert not set(COMMANDS) & listed
    refused = manage("load_demo", tmp_path=tmp_path, **env)
    assert refused.returncode != 0
    assert "Unknown command: 'load_demo'" in refused.stderr
    # The site itself needs nothing of it: the deployment checks stay clean.
    check = manage(
        "check", "--deploy", "--fail-level", "INFO", tmp_path=tmp_path, **env
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout
