"""What checking one uploaded lead image costs: `articles.images.clean_upload`, the
whole check an upload gets (decode in full, re-encode, renditions).

One picture per process, so its peak memory is its own: bench/images.py makes
each picture and runs this file once per picture (`--bench-image PATH`). Memory
is the process's peak resident size above what it held before the check (Python,
Django and the file's bytes). For JPEG a draft decode (libjpeg scaling by 1/2 to
1/8 while decoding) is timed too, for comparison.
"""

import resource
import time
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles import images


def peak_mb():
    """This process's peak resident memory (VmHWM: unlike getrusage's maxrss it
    does not inherit the parent's peak across exec)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture
def picture(request):
    path = request.config.getoption("--bench-image")
    if not path:
        pytest.skip("no --bench-image: run through bench/images.py, a process each")
    return Path(path)


def test_lead_image_check(benchmark, record, picture):
    benchmark.group = "lead images"
    data = picture.read_bytes()
    figures = {"file_mb": len(data) / 1e6}
    with Image.open(BytesIO(data)) as image:
        figures["format"], figures["size"] = image.format, image.size
        if image.format == "JPEG":
            started = time.perf_counter()
            image.draft("RGB", (1200, 1200))
            image.load()
            figures["draft_s"] = time.perf_counter() - started
            figures["draft_size"] = image.size
    base = peak_mb()
    upload = SimpleUploadedFile(picture.name, data)

    def check():
        try:
            return images.clean_upload(upload), None
        except ValidationError as error:
            return None, error.messages[0]

    clean, refused = benchmark.pedantic(check, rounds=1, iterations=1)
    if refused:
        figures["refused"] = refused
    else:
        figures["stored_mb"] = len(clean.content) / 1e6
    figures["check_s"] = benchmark.stats["median"]
    figures["peak_mb"] = peak_mb()
    figures["above_mb"] = figures["peak_mb"] - base
    record(**figures)
