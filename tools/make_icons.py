"""Draw Waypost's icons: a signpost with two boards, one pointing on, one pointing back.

Writes, into src/waypost/core/static/waypost/:
- icon.svg: the mark on a rounded square (the header, the browser tab, the manifest);
- icon-192.png and icon-512.png: the same as pictures (home screens, the manifest);
- icon-maskable-512.png: the mark smaller, on a full square, for Android's masks
  (everything that matters stays inside the middle 80 %).

The shapes are drawn once, on a 32 × 32 grid, and written both ways. The PNGs are
drawn four times larger and scaled down, for smooth edges. Run it again after
changing a shape or a colour, and commit what it writes:

    uv run python tools/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "src" / "waypost" / "core" / "static" / "waypost"
GRID = 32
# The site's colours (app.css): --accent for the ground, --bg for the post.
GROUND = "#2f5f5a"
POST = "#f6f4ef"
BACK_BOARD = "#bcd8d3"
CORNER = 8  # rounded-square radius, in grid units

POLE = ((16, 6), (16, 27))  # from, to
POLE_WIDTH = 2.4
# The board pointing on (right) and the one pointing back (left).
BOARD_ON = ((16, 8), (24, 8), (27.5, 10.75), (24, 13.5), (16, 13.5))
BOARD_BACK = ((16, 16), (8, 16), (4.5, 18.75), (8, 21.5), (16, 21.5))


def svg() -> str:
    def points(shape: tuple[tuple[float, float], ...]) -> str:
        return " ".join(f"{x:g},{y:g}" for x, y in shape)

    (x1, y1), (x2, y2) = POLE
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
        f'<rect width="{GRID}" height="{GRID}" rx="{CORNER}" fill="{GROUND}"/>'
        f'<polygon points="{points(BOARD_ON)}" fill="{POST}" stroke="{POST}" '
        'stroke-width="1" stroke-linejoin="round"/>'
        f'<polygon points="{points(BOARD_BACK)}" fill="{BACK_BOARD}" stroke="{BACK_BOARD}" '
        'stroke-width="1" stroke-linejoin="round"/>'
        f'<path d="M{x1:g} {y1:g}V{y2:g}" stroke="{POST}" stroke-width="{POLE_WIDTH:g}" '
        'stroke-linecap="round"/>'
        "</svg>\n"
    )


def png(size: int, *, maskable: bool = False) -> Image.Image:
    big = size * 4
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = big / GRID
    if maskable:
        draw.rectangle((0, 0, big, big), fill=GROUND)
        scale, offset = 0.72, GRID * 0.14  # the mark inside the safe middle
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=CORNER * unit, fill=GROUND)
        scale, offset = 1.0, 0.0

    def at(x: float, y: float) -> tuple[float, float]:
        return ((x * scale + offset) * unit, (y * scale + offset) * unit)

    for shape, colour in ((BOARD_ON, POST), (BOARD_BACK, BACK_BOARD)):
        draw.polygon([at(x, y) for x, y in shape], fill=colour)
    # The post in front of both boards, with round ends.
    half = POLE_WIDTH * scale * unit / 2
    (x1, y1), (x2, y2) = POLE
    (left, top), (_, bottom) = at(x1, y1), at(x2, y2)
    draw.rounded_rectangle(
        (left - half, top - half, left + half, bottom + half), radius=half, fill=POST
    )
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg(), encoding="utf-8")
    png(192).save(OUT / "icon-192.png", optimize=True)
    png(512).save(OUT / "icon-512.png", optimize=True)
    png(512, maskable=True).convert("RGB").save(OUT / "icon-maskable-512.png", optimize=True)
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()
