"""Draw BackTo's app icon: a "B" whose lower stroke runs on into an arrow pointing back.

One drawing, written twice from the same strokes: as SVG (the manifest's scalable icon) and as
PNGs through Pillow (192 and 512 pixels, a maskable 512 whose mark sits inside the safe circle,
and the 180-pixel apple-touch-icon). Run `python scripts/make_app_icons.py` after changing the
drawing, and commit what it writes into backto/capabilities/familyapp/static/familyapp/;
tests/familyapp/test_manifest.py checks the sizes.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "backto/capabilities/familyapp/static/familyapp"
BRAND_DARK = "#17467c"  # --brand-dark in backto.css
WHITE = "#ffffff"
GRID = 512  # the drawing's units
STROKE = 44
CORNER = 112  # the rounded square's corner radius (not used by the maskable icon, which is full)

# The mark's centre line, in grid units: the stem, two bowls (each a straight run and a half
# circle), and the arrow's head at the end of the lower stroke.
SHIFT = (18, -22)  # centres the mark's bounding box on the square
STEM = ((184, 132), (184, 380))
UPPER = {"top": 132, "bottom": 252, "left": 184, "turn": 284}  # half circle r = 60
LOWER = {"top": 252, "bottom": 380, "left": 184, "turn": 300, "tip": 112}  # r = 64
HEAD = ((160, 336), (112, 380), (160, 424))


def strokes() -> list[tuple[str, tuple]]:
    """The mark as lines and half circles: ("line", (x1, y1, x2, y2)) and ("arc", (cx, cy, r))
    for a half circle opening to the left."""
    upper_r = (UPPER["bottom"] - UPPER["top"]) / 2
    lower_r = (LOWER["bottom"] - LOWER["top"]) / 2
    parts: list[tuple[str, tuple]] = [
        ("line", (*STEM[0], *STEM[1])),
        ("line", (UPPER["left"], UPPER["top"], UPPER["turn"], UPPER["top"])),
        ("arc", (UPPER["turn"], UPPER["top"] + upper_r, upper_r)),
        ("line", (UPPER["turn"], UPPER["bottom"], UPPER["left"], UPPER["bottom"])),
        ("line", (LOWER["left"], LOWER["top"], LOWER["turn"], LOWER["top"])),
        ("arc", (LOWER["turn"], LOWER["top"] + lower_r, lower_r)),
        ("line", (LOWER["turn"], LOWER["bottom"], LOWER["tip"], LOWER["bottom"])),
        ("line", (*HEAD[0], *HEAD[1])),
        ("line", (*HEAD[1], *HEAD[2])),
    ]
    return parts


def svg() -> str:
    dx, dy = SHIFT
    path = []
    for kind, values in strokes():
        if kind == "line":
            x1, y1, x2, y2 = values
            path.append(f"M{x1 + dx:g} {y1 + dy:g}L{x2 + dx:g} {y2 + dy:g}")
        else:
            cx, cy, r = values
            path.append(
                f"M{cx + dx:g} {cy - r + dy:g}A{r:g} {r:g} 0 0 1 {cx + dx:g} {cy + r + dy:g}"
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
        f'<rect width="{GRID}" height="{GRID}" rx="{CORNER}" fill="{BRAND_DARK}"/>'
        f'<path d="{"".join(path)}" fill="none" stroke="{WHITE}" stroke-width="{STROKE}" '
        'stroke-linecap="round" stroke-linejoin="round"/></svg>\n'
    )


def png(size: int, *, maskable: bool = False) -> Image.Image:
    """Drawn four times larger and scaled down, for smooth edges. A maskable icon fills the
    square (the phone cuts its own shape) and shrinks the mark into the safe circle (80%)."""
    big = size * 4
    unit = big / GRID
    scale = 0.8 if maskable else 1.0
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=BRAND_DARK)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=CORNER * unit, fill=BRAND_DARK)

    def at(x: float, y: float) -> tuple[float, float]:
        x, y = x + SHIFT[0], y + SHIFT[1]
        return (
            (GRID / 2 + (x - GRID / 2) * scale) * unit,
            (GRID / 2 + (y - GRID / 2) * scale) * unit,
        )

    width = STROKE * scale * unit
    half = width / 2

    def dot(x: float, y: float) -> None:  # round caps and joins
        draw.ellipse((x - half, y - half, x + half, y + half), fill=WHITE)

    for kind, values in strokes():
        if kind == "line":
            a, b = at(values[0], values[1]), at(values[2], values[3])
            draw.line((a, b), fill=WHITE, width=round(width))
            dot(*a)
            dot(*b)
        else:
            cx, cy, r = values
            x, y = at(cx, cy)
            outer = r * scale * unit + half
            draw.arc(
                (x - outer, y - outer, x + outer, y + outer),
                270,
                90,
                fill=WHITE,
                width=round(width),
            )
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg())
    png(192).save(OUT / "icon-192.png", optimize=True)
    png(512).save(OUT / "icon-512.png", optimize=True)
    png(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    # iOS draws its own rounded corners over a full square.
    png(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    print(f"Icons written to {OUT}")


if __name__ == "__main__":
    main()
