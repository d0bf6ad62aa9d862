"""What checking an uploaded lead image costs, by format and pixel count.

    python bench/images.py                       # the default cases, a minute or two
    python bench/images.py --cases JPEG:6000x4000,PNG-flat:7720x5142

Each case runs bench/timings/test_images.py (pytest-benchmark) in a fresh
process (so its peak memory is its own) on a picture of that size made beforehand:
photo-like (smooth shapes with fine grain; JPEG and WebP at quality 90), a graphic
(the shapes alone) or flat (one colour). It times
`articles.images.clean_upload`, the whole check an upload gets: decode in full,
re-encode, renditions. Memory is the process's peak resident size above what it
held before the check (Python, Django and the file's bytes). For JPEG it also times
a draft decode (libjpeg scaling by 1/2 to 1/8 while decoding), for comparison.
A case over the format's bound in `articles.images.MAX_PIXELS` shows what its
refusal costs instead. Last line: `images cases=<n> slowest_s=<s> peak_mb=<MB>`.

Timings depend on the machine and its load: read them as orders of magnitude.

Measured on the project's shared 2-core machine (load average 7 to 8), Pillow 12.3
with libjpeg-turbo 3.1, libwebp 1.6, zlib-ng:

    case                        pixels  file MB  check s  peak MB  above MB  result
    JPEG:4000x3000          4000×3000      2.01     1.51      140        70  stored
    JPEG:6000x4000          6000×4000      4.03     0.67      218       134  stored
    JPEG:8256x5504          8256×5504      7.63     2.27      287       212  stored
    JPEG:8640x5760          8640×5760      8.35     2.04      308       231  stored
    JPEG:9504x6336          9504×6336     10.10     0.00       82         0  refused
    PNG:3840x2160           3840×2160      6.74     2.68      114        51  stored
    PNG-graphic:4896x3264   4896×3264      8.40     3.49      159        94  stored
    PNG-flat:7720x5142      7720×5142      0.01     0.00       57         0  refused
    WEBP:3840x2160          3840×2160      0.92     3.05      206       144  stored
    WEBP:4896x3264          4896×3264      1.71     2.77      345       282  stored
    GIF:4896x3264           4896×3264      2.58     1.71      151        91  stored

Before the bounds, the flat 39.7 MP PNG (116 KB) passed the check and took about
2 s and 506 MB to make renditions. JPEG costs about 4.5 bytes a pixel at its peak
(decode, re-encode, renditions), WebP about 17 (Pillow decodes it through an RGBA
canvas), PNG and GIF about 6: hence 50 MP for JPEG, which admits every current
press camera but the 61 MP ones (and a 61 MP JPEG rarely fits in 10 MB anyway),
and 16 MP, more than a 4K screen, for the formats of graphics. A draft decode of a
JPEG (0.06 to 0.25 s) is ten times cheaper, but the stored copy is re-encoded at
full size, so the full decode is what must be bounded.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import run_pytest  # noqa: E402

# kind:width×height. Cameras: 24 MP (Nikon Z 6, Sony A7 IV), 45.4 MP (Nikon Z 8),
# 49.8 MP (Sony A1), 61 MP (Sony A7R V); 3840×2160 is a 4K screen.
DEFAULT_CASES = [
    "JPEG:4000x3000",
    "JPEG:6000x4000",
    "JPEG:8256x5504",
    "JPEG:8640x5760",
    "JPEG:9504x6336",
    "PNG:3840x2160",
    "PNG-graphic:4896x3264",
    "PNG-flat:7720x5142",
    "WEBP:3840x2160",
    "WEBP:4896x3264",
    "GIF:4896x3264",
]


def make_picture(kind, size, path):
    """Photo-like (smooth shapes with fine grain), or a graphic (the shapes
    alone), or flat (one colour: the smallest file for its pixels)."""
    from PIL import Image

    image_format, _, variant = kind.partition("-")
    width, height = size
    if variant == "flat":
        Image.new("1", size, 1).save(path, image_format)
        return
    shapes = Image.effect_noise((width // 16, height // 16), 60).convert("RGB")
    picture = shapes.resize(size, Image.Resampling.BICUBIC)
    if variant != "graphic":
        grain = Image.effect_noise(size, 12).convert("RGB")
        picture = Image.blend(picture, grain, 0.15)
    options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}}.get(image_format, {})
    if image_format == "GIF":
        picture = picture.convert("P")
    picture.save(path, image_format, **options)


def run_case(case, folder):
    """The figures of one case: its picture made in a process of its own, then
    checked in another (bench/timings/test_images.py), so the check's process
    starts small and its peak memory is its own."""
    kind, _, dimensions = case.partition(":")
    extension = kind.split("-")[0].lower().replace("jpeg", "jpg")
    path = Path(folder) / f"{kind}-{dimensions}.{extension}"
    if not path.exists():
        subprocess.run(
            [sys.executable, __file__, "--make", kind, dimensions, str(path)],
            check=True,
            cwd=ROOT,
        )
    (entry,) = run_pytest(
        "sqlite:///:memory:",  # the check reads no database
        ["test_images.py"],
        f"--bench-image={path}",
    )
    return entry["extra_info"]


def run_cases(cases, report=print):
    """[(case, figures)] of every case, a line each as they come."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for number, case in enumerate(cases, start=1):
            report(f"[{number}/{len(cases)}] {case} ...")
            rows.append((case, run_case(case, folder)))
    return rows


def outcome(figures):
    """Stored or refused, in words (and the draft decode of a JPEG)."""
    text = figures.get("refused") or f"stored {figures['stored_mb']:.1f} MB"
    if "draft_s" in figures:
        width, height = figures["draft_size"]
        text += f"; draft decode {figures['draft_s']:.2f} s to {width}×{height}"
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(DEFAULT_CASES))
    parser.add_argument("--make", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        kind, dimensions, path = args.make
        make_picture(kind, tuple(int(v) for v in dimensions.split("x")), path)
        return
    cases = [case for case in args.cases.split(",") if case]
    rows = run_cases(cases, report=lambda line: print(line, file=sys.stderr))
    print(
        f"{'case':<22} {'pixels':>11} {'file MB':>8} {'check s':>8} {'peak MB':>8} "
        f"{'above MB':>9}  result"
    )
    for case, r in rows:
        width, height = r["size"]
        print(
            f"{case:<22} {width:>5}×{height:<5} {r['file_mb']:>8.2f} "
            f"{r['check_s']:>8.2f} {r['peak_mb']:>8.0f} {r['above_mb']:>9.0f}  "
            f"{outcome(r)[:90]}"
        )
    slowest = max(r["check_s"] for _, r in rows)
    peak = max(r["peak_mb"] for _, r in rows)
    print(f"images cases={len(cases)} slowest_s={slowest:.2f} peak_mb={peak:.0f}")


if __name__ == "__main__":
    main()
