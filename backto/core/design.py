"""The design system's facts, read from the stylesheet itself: its colour tokens and the contrast
of each pair of colours the pages put together, so the design page (/design/) cannot claim a
ratio the CSS does not have. docs/design.md describes the tokens and when to use each."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "backto" / "backto.css"
TOKEN = re.compile(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;")

AA_TEXT = 4.5  # WCAG 2.2 1.4.3, body text
AA_NON_TEXT = 3.0  # WCAG 2.2 1.4.11, borders of controls and focus rings


@cache
def colour_tokens() -> dict[str, str]:
    """Each colour custom property of the stylesheet's :root, name (without --) to #rrggbb."""
    root = STYLESHEET.read_text(encoding="utf-8").split(":root", 1)[1].split("}", 1)[0]
    return {name: value.lower() for name, value in TOKEN.findall(root)}


def relative_luminance(hex_colour: str) -> float:
    """WCAG's relative luminance of an sRGB colour written #rrggbb."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", hex_colour):
        raise ValueError(f"A colour must be written #rrggbb, not {hex_colour!r}.")

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG's contrast ratio, 1 (none) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(foreground), relative_luminance(background)))[::-1]
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Pairing:
    foreground: str  # a token name, or "white"
    background: str
    use: str
    needs: float  # the least ratio WCAG AA asks for this use

    def hex(self, name: str) -> str:
        return "#ffffff" if name == "white" else colour_tokens()[name]

    @property
    def foreground_hex(self) -> str:
        return self.hex(self.foreground)

    @property
    def background_hex(self) -> str:
        return self.hex(self.background)

    @property
    def ratio(self) -> float:
        return contrast_ratio(self.foreground_hex, self.background_hex)

    @property
    def passes(self) -> bool:
        return self.ratio >= self.needs


PAIRINGS = (
    Pairing("ink", "paper", "Body text on a card", AA_TEXT),
    Pairing("ink", "wash", "Body text on the page", AA_TEXT),
    Pairing("muted", "paper", "Secondary text, help text", AA_TEXT),
    Pairing("muted", "wash", "Secondary text on the page, table heads", AA_TEXT),
    Pairing("brand", "paper", "Links, secondary buttons", AA_TEXT),
    Pairing("brand", "wash", "Links on the page", AA_TEXT),
    Pairing("brand-dark", "brand-wash", "Info badges, hovered buttons", AA_TEXT),
    Pairing("white", "brand", "Main button text", AA_TEXT),
    Pairing("white", "brand-dark", "Header text and links", AA_TEXT),
    Pairing("good", "good-wash", "Done, active, improved", AA_TEXT),
    Pairing("warn", "warn-wash", "Waiting, due, intake", AA_TEXT),
    Pairing("bad", "bad-wash", "Overdue, flags, errors", AA_TEXT),
    Pairing("bad", "paper", "Error messages under a field", AA_TEXT),
    Pairing("star", "paper", "Stars beside a win", AA_TEXT),
    Pairing("line-strong", "paper", "Borders of inputs", AA_NON_TEXT),
    Pairing("focus", "wash", "Focus ring on the page", AA_NON_TEXT),
    Pairing("focus-on-dark", "brand-dark", "Focus ring in the header", AA_NON_TEXT),
)


@cache
def root_tokens() -> dict[str, str]:
    """Every custom property of the stylesheet's :root (colours, type, spacing, shape), as written."""
    root = STYLESHEET.read_text(encoding="utf-8").split(":root", 1)[1].split("}", 1)[0]
    root = re.sub(r"/\*.*?\*/", "", root, flags=re.DOTALL)
    return {name: value.strip() for name, value in re.findall(r"--([a-z0-9-]+):\s*([^;]+);", root)}
