"""What checking an uploaded lead image costs, by format and pixel count.

    python bench/images.py                       # the default cases, a minute or two
    python bench/images.py --cases JPEG:24,PNG:16

Each case runs in a fresh process (so its peak memory is its own): it makes a
photo-like picture of that many megapixels (smooth shapes with fine grain; JPEG at
quality 90, WebP at 90, PNG at Pillow's default), then times
`articles.images.clean_upload`, the whole check an upload gets: decode in full,
re-encode, renditions. Memory is the process's peak resident size above what it
held before the check (Python, Django and the file's bytes). For JPEG it also times
a draft decode (libjpeg scaling by 1/2 to 1/8 while decoding), for comparison.
A case over the format's bound in `articles.images.MAX_PIXELS` shows what its
refusal costs instead. Last line: `images cases=<n> slowest_s=<s> peak_mb=<MB>`.

Timings depend on the machine and its load: read them as orders of magnitude.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_CASES = [
    "JPEG:12",
    "JPEG:24",
    "JPEG:45.7",
    "JPEG:50",
    "JPEG:61",
    "PNG:8",
    "PNG:16",
    "PNG-flat:39.7",
    "WEBP:8",
    "WEBP:16",
    "GIF:16",
]


def make_picture(kind, megapixels, path):
    from PIL import Image

    image_format, _, variant = kind.partition("-")
    width = round((megapixels * 1e6 * 3 / 2) ** 0.5)
    height = round(megapixels * 1e6 / width)
    if variant == "flat":
        Image.new("1", (width, height), 1).save(path, image_format)
        return
    shapes = Image.effect_noise((width // 16, height // 16), 60).convert("RGB")
    picture = shapes.resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((width, height), 12).convert("RGB")
    picture = Image.blend(picture, grain, 0.15)
    options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}}.get(image_format, {})
    if image_format == "GIF":
        picture = picture.convert("P")
    picture.save(path, image_format, **options)


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path):
    """Run in a child process: the cost of checking one file."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from articles import images

    data = Path(path).read_bytes()
    result = {"file_mb": len(data) / 1e6}
    with Image.open(BytesIO(data)) as image:
        result["format"], result["size"] = image.format, image.size
        if image.format == "JPEG":
            started = time.perf_counter()
            image.draft("RGB", (1200, 1200))
            image.load()
            result["draft_s"] = time.perf_counter() - started
            result["draft_size"] = image.size
    base = peak_mb()
    upload = SimpleUploadedFile(Path(path).name, data)
    started = time.perf_counter()
    try:
        clean = images.clean_upload(upload)
    except ValidationError as error:
        result["refused"] = error.messages[0]
    else:
        result["stored_mb"] = len(clean.content) / 1e6
    result["check_s"] = time.perf_counter() - started
    result["peak_mb"] = peak_mb()
    result["above_mb"] = result["peak_mb"] - base
    print(json.dumps(result))


def run_case(case, folder):
    kind, _, megapixels = case.partition(":")
    megapixels = float(megapixels)
    extension = kind.split("-")[0].lower().replace("jpeg", "jpg")
    path = Path(folder) / f"{kind}-{megapixels}.{extension}"
    if not path.exists():
        make_picture(kind, megapixels, path)
    child = subprocess.run(
        [sys.executable, __file__, "--measure", str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(child.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(DEFAULT_CASES))
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    cases = [case for case in args.cases.split(",") if case]
    print(
        f"{'case':<15} {'pixels':>11} {'file MB':>8} {'check s':>8} {'peak MB':>8} "
        f"{'above MB':>9}  result"
    )
    slowest = peak = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for number, case in enumerate(cases, start=1):
            print(f"[{number}/{len(cases)}] {case} ...", file=sys.stderr, flush=True)
            r = run_case(case, folder)
            width, height = r["size"]
            outcome = r.get("refused") or f"stored {r['stored_mb']:.1f} MB"
            if "draft_s" in r:
                outcome += (
                    f"; draft decode {r['draft_s']:.2f} s to "
                    f"{r['draft_size'][0]}×{r['draft_size'][1]}"
                )
            print(
                f"{case:<15} {width:>5}×{height:<5} {r['file_mb']:>8.2f} "
                f"{r['check_s']:>8.2f} {r['peak_mb']:>8.0f} {r['above_mb']:>9.0f}  "
                f"{outcome[:90]}"
            )
            slowest = max(slowest, r["check_s"])
            peak = max(peak, r["peak_mb"])
    print(f"images cases={len(cases)} slowest_s={slowest:.2f} peak_mb={peak:.0f}")


if __name__ == "__main__":
    main()
