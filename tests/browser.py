"""Draw an HTML mail part in headless Chromium: a screenshot, and whether anything overflows.

Used by the template tests; they skip where no Chromium is installed
(scripts/ci-system-deps.sh installs Debian's).
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

# After layout: is the page wider than the window, or does any element's content spill out of it?
_PROBE = """<script>
window.addEventListener('load', () => {
  const wide = document.documentElement.scrollWidth > window.innerWidth + 1;
  const spill = [...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1
      && getComputedStyle(e).overflowX !== 'visible' && e.clientWidth > 0).length;
  document.title = 'probe:' + (wide ? 'wide' : 'fits') + ':' + spill;
});
</script>"""


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                           "--hide-scrollbars", *args], check=True, capture_output=True, timeout=120)


def draw(html: str, folder: Path, *, width: int, height: int, name: str = "page") -> tuple[bytes, bool]:
    """(the PNG of the page at width × height, whether its text fits the width)."""
    page = folder / f"{name}.html"
    page.write_text(html.replace("</body>", _PROBE + "</body>") if "</body>" in html else html + _PROBE, encoding="utf-8")
    png = folder / f"{name}.png"
    _chromium(f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri(), profile=folder / "profile")
    dom = _chromium(f"--window-size={width},{height}", "--virtual-time-budget=2000", "--dump-dom", page.as_uri(),
                    profile=folder / "profile").stdout.decode("utf-8", "replace")
    probe = re.search(r"<title>probe:(\w+):(\d+)</title>", dom)
    fits = probe is not None and probe.group(1) == "fits" and probe.group(2) == "0"
    return png.read_bytes(), fits


def png_size(raw: bytes) -> tuple[int, int]:
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", raw[16:24])
    return int(width), int(height)
