"""Progress lines and the one-line summaries' words: files and bytes done."""

import time

# Counts named in the one-line summaries, in the words a newsroom uses.
HEADLINE_COUNTS = [
    ("articles.article", "stories"),
    ("articles.topic", "topics"),
    ("articles.storynote", "notes"),
    ("auth.user", "users"),
    ("reversion.version", "versions"),
]


class Progress:
    """Files and bytes done of a known total: a line at every tenth, counted when
    a file completes, and at least every `every` seconds (a large file takes a
    while), so the last line always reads N/N files (100%)."""

    def __init__(self, report, label, *, files, size, every=5.0):
        self.report, self.label = report, label
        self.files_total, self.bytes_total = files, size
        self.files = self.bytes = 0
        self.every = every
        self.next_step = 1
        self.last = time.monotonic()

    def advance(self, size=0, files=0):
        self.bytes += size
        self.files += files
        now = time.monotonic()
        due = now - self.last >= self.every
        if files:
            if self.bytes_total:
                step = self.bytes * 10 // self.bytes_total
            else:
                step = self.files * 10 // max(self.files_total, 1)
            if step >= self.next_step:
                due, self.next_step = True, step + 1
        if due:
            self.last = now
            self.report(self.line())

    def line(self):
        percent = self.bytes * 100 // self.bytes_total if self.bytes_total else 100
        return (
            f"  {self.label}: {self.files:,}/{self.files_total:,} files, "
            f"{human_size(self.bytes)}/{human_size(self.bytes_total)} ({percent}%)"
        )


def human_size(size):
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def headline_counts(counts):
    return ", ".join(
        f"{counts.get(label, 0):,} {words}" for label, words in HEADLINE_COUNTS
    )
