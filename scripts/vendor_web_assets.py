"""Vendor the web app's front-end packages from the npm registry into static files (no CDN).

Runs `npm ci` in web-assets/ (versions pinned by its package-lock.json) and copies what the app
serves into src/cscperf/web/static/vendor/. GOV.UK's Transport font is licensed for GOV.UK services
only, so its @font-face rules are removed and the app falls back to Arial, as GOV.UK Frontend
advises for services outside GOV.UK.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "web-assets"
MODULES = ASSETS / "node_modules"
VENDOR = ROOT / "src" / "cscperf" / "web" / "static" / "vendor"
FONT_FACE = re.compile(r"@font-face\{[^}]*\}")


def main() -> int:
    if shutil.which("npm") is None:
        print("npm is needed to vendor GOV.UK Frontend and htmx (apt-get install npm)", file=sys.stderr)
        return 1
    if not (MODULES / "govuk-frontend").exists() or "--fresh" in sys.argv:
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=ASSETS, check=True)
    govuk = MODULES / "govuk-frontend" / "dist" / "govuk"
    VENDOR.mkdir(parents=True, exist_ok=True)
    css = (govuk / "govuk-frontend.min.css").read_text(encoding="utf-8")
    css = FONT_FACE.sub("", css).replace('"GDS Transport",', "")
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
    (VENDOR / "govuk-frontend.min.css").write_text(css, encoding="utf-8")
    js = (govuk / "govuk-frontend.min.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=.*", "", js)
    (VENDOR / "govuk-frontend.min.js").write_text(js, encoding="utf-8")
    images = VENDOR / "images"
    images.mkdir(exist_ok=True)
    for name in ("favicon.ico", "favicon.svg", "govuk-icon-mask.svg"):
        shutil.copyfile(govuk / "assets" / "images" / name, images / name)
    shutil.copyfile(MODULES / "htmx.org" / "dist" / "htmx.min.js", VENDOR / "htmx.min.js")
    print(f"vendored GOV.UK Frontend and htmx into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
