"""What stops a backup or a restore: a refusal in words, or an interrupt."""

import contextlib
import signal


class BackupError(Exception):
    """Something the operator must hear about, in words they can act on."""


@contextlib.contextmanager
def interrupted_by_sigterm():
    """Let SIGTERM (a cron timeout, a shutdown) unwind like Ctrl-C, so temporary
    files are removed on the way out."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
