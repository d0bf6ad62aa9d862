"""Clients of a running stack (deploy/stack.py), shared by its end-to-end test
and the edge benchmark (bench/edge.py): anonymous reads, the desk driven over
HTTP as a browser would, the stack's database and Varnish's counters."""

import contextlib
import http.client
import http.cookiejar
import json
import random
import socket
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import lxml.html

from deploy import stack

EDITOR = ("editor", "sahel-desk-editor")  # the demo editor `make stack` makes


def free_base_port():
    """A port with the next two free as well, below the kernel's ephemeral range:
    the object store and every client socket take ports from that range while
    the stack starts, and one of them took an app server's port once."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for _ in range(200):
        base = random.randrange(max(1024, low - 12000), low - 3)
        if not any(stack.answers("127.0.0.1", base + i) for i in range(3)):
            with contextlib.suppress(OSError), socket.socket() as sock:
                sock.bind(("127.0.0.1", base))  # nothing listening, nor bound
                return base
    raise RuntimeError("no three free ports in a row")


def sql(the_stack, query, *params):
    import psycopg

    with psycopg.connect(f"{stack.PG}/{the_stack.database}") as conn:
        return conn.execute(query, params).fetchall()


def drop_database(name):
    import psycopg

    with psycopg.connect(f"{stack.PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def read(port, path):
    """(status, headers, text) of one anonymous GET."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response, response.read().decode()
    finally:
        conn.close()


def varnish_stat(the_stack, *fields):
    """The value of one varnishstat counter, or {field: value} for several."""
    command = ["varnishstat", "-n", str(the_stack.dir / "varnish"), "-1", "-j"]
    for field in fields:
        command += ["-f", field]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    counters = data.get("counters", data)
    values = {field: counters[field]["value"] for field in fields}
    return values[fields[0]] if len(fields) == 1 else values


class DeskSession:
    """The demo editor at the desk, over HTTP through Varnish."""

    def __init__(self, port, credentials=EDITOR):
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )
        username, password = credentials
        page = self.get("/admin/login/")
        self.submit("/admin/login/", page, username=username, password=password)
        if not any(c.name == "sessionid" for c in self.jar):
            raise AssertionError(f"{username} could not log in at the desk")

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def submit(self, path, page, **changes):
        """Post back the page's main form (the one with the most fields, not the
        header's log-out form) as a browser would, with `changes`."""
        forms = [f for f in lxml.html.fromstring(page).forms if f.method == "POST"]
        form = max(forms, key=lambda f: len(f.inputs))
        # Pairs, not a dict: a multiple choice (the story's topics) sends each.
        values = [(k, v) for k, v in form.form_values() if k not in changes]
        values += list(changes.items())
        body = urllib.parse.urlencode(values).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()


def form_errors(page):
    """What the desk said was wrong, for a failing assertion's message."""
    doc = lxml.html.fromstring(page)
    found = doc.xpath(
        "//*[contains(@class, 'errornote') or contains(@class, 'errorlist')]"
    )
    return [" ".join(node.text_content().split()) for node in found]
