"""Real faults for tests: a database that stops answering, a Redis that hangs.

Never the shared servers: a TCP relay of our own in front of PostgreSQL that we
cut, a SQLite database whose file can no longer be opened, and a redis-server of
our own on a port the OS picked, which we pause (SIGSTOP) or kill.
"""

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Relay:
    """A TCP relay between the app and a server, which a test cuts and restores.

    Cut: every open connection is closed and new ones are closed as soon as they
    are accepted, as when the database's host goes away.
    """

    def __init__(self, host, port):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cut_off = False
        self.accepted = 0
        self.open = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            with self.lock:
                self.accepted += 1
                if self.cut_off:
                    client.close()
                    continue
                upstream = socket.create_connection(self.target)
                self.open += [client, upstream]
            for source, sink in [(client, upstream), (upstream, client)]:
                threading.Thread(
                    target=self._pipe, args=(source, sink), daemon=True
                ).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cut(self):
        with self.lock:
            self.cut_off = True
            for sock in self.open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.open = []

    def restore(self):
        with self.lock:
            self.cut_off = False

    def close(self):
        self.cut()
        self.listener.close()


class DatabaseOutage:
    """Make the test database stop answering this process, then come back.

    PostgreSQL: the connection goes through a relay of ours, which is cut.
    SQLite: the database's path stops being a file SQLite can open (a directory),
    as when its volume goes away; a connection of ours keeps the in-memory test
    database alive meanwhile.
    """

    def __init__(self, connection, tmp_path):
        self.connection = connection
        self.settings = connection.settings_dict
        self.saved = dict(self.settings)
        connection.close()
        if connection.vendor == "postgresql":
            self.relay = Relay(self.settings["HOST"] or "127.0.0.1",
                               int(self.settings["PORT"] or 5432))  # fmt: skip
            self.settings.update(HOST="127.0.0.1", PORT=str(self.relay.port))
        else:
            self.keeper = sqlite3.connect(self.settings["NAME"], uri=True)
            self.unopenable = tmp_path / "database-volume-gone"
            self.unopenable.mkdir()

    @contextlib.contextmanager
    def down(self):
        if self.connection.vendor == "postgresql":
            self.relay.cut()
        else:
            self._drop_connection()
            self.settings["NAME"] = str(self.unopenable)
        try:
            yield
        finally:
            if self.connection.vendor == "postgresql":
                self.relay.restore()
            else:
                self.connection.close()
                self.settings["NAME"] = self.saved["NAME"]

    def _drop_connection(self):
        # Django keeps an in-memory SQLite connection open on close(): drop it.
        raw = self.connection.connection
        if raw is not None:
            raw.close()
            self.connection.connection = None

    def close(self):
        if self.connection.vendor == "postgresql":
            self.connection.close()
            self.relay.close()
        self.settings.update(self.saved)


class RedisServer:
    """A redis-server of our own, on a port the OS had free, that a test may pause
    (SIGSTOP: it hangs, connections stay open) or kill."""

    def __init__(self):
        if shutil.which("redis-server") is None:
            raise FileNotFoundError("redis-server is not installed")
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.url = f"redis://127.0.0.1:{self.port}/0"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def pause(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self):
        if self.process.poll() is None:
            self.resume()
            self.process.kill()
            self.process.wait()
