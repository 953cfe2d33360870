"""The web app manifest: what a phone needs to install BackTo, served to anyone."""

import json
from pathlib import Path

from django.contrib.staticfiles import finders
from PIL import Image

APP_ICONS = Path(__file__).parents[2] / "backto/capabilities/familyapp/static/familyapp"


def test_it_is_a_manifest_anyone_can_fetch(client, db):
    # Browsers fetch a manifest without cookies: it must not send them to sign in.
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "BackTo"
    assert manifest["short_name"] == "BackTo"
    assert manifest["start_url"] == "/?source=app"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#17467c"
    assert manifest["background_color"] == "#f3f5f9"
    # No orientation lock: the app turns with the phone (WCAG 1.3.4).
    assert "orientation" not in manifest


def test_its_colours_are_the_design_tokens(client, db):
    css = (Path(__file__).parents[2] / "backto/static/backto/backto.css").read_text()
    manifest = client.get("/manifest.webmanifest").json()
    assert f"--brand-dark: {manifest['theme_color']};" in css
    assert f"--wash: {manifest['background_color']};" in css


def test_its_icons_exist_at_the_sizes_it_names(client, db):
    icons = client.get("/manifest.webmanifest").json()["icons"]
    purposes = {(icon["sizes"], icon.get("purpose", "any")) for icon in icons}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable"), ("any", "any")} <= (
        purposes
    )
    for icon in icons:
        name = icon["src"].removeprefix("/static/")
        path = finders.find(name)
        assert path, f"{icon['src']} is not a static file"
        if icon["type"] == "image/png":
            width, height = icon["sizes"].split("x")
            with Image.open(path) as image:
                assert image.size == (int(width), int(height)), name
        else:
            assert Path(path).read_text().startswith("<svg")


def test_the_apple_touch_icon_is_180_pixels_without_transparency():
    with Image.open(APP_ICONS / "apple-touch-icon.png") as image:
        assert image.size == (180, 180)
        assert image.mode == "RGB"


def test_the_maskable_icon_fills_its_square():
    # A phone cuts its own shape out of a maskable icon: its corners must be painted.
    with Image.open(APP_ICONS / "icon-maskable-512.png") as image:
        assert image.convert("RGBA").getpixel((0, 0)) == (0x17, 0x46, 0x7C, 255)
    with Image.open(APP_ICONS / "icon-512.png") as image:
        corner = image.convert("RGBA").getpixel((0, 0))
        assert isinstance(corner, tuple) and corner[3] == 0  # the rounded square's corner


def test_every_page_links_it_with_the_theme_colour(as_user, gina):
    page = as_user(gina).get("/family/", follow=True).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#17467c">' in page
    assert 'rel="apple-touch-icon" href="/static/familyapp/apple-touch-icon.png"' in page
