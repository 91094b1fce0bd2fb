"""Screenshots of each role's home page at 1,366 px and at a 390 px phone, for docs/screens/
(issue 27). Run against the demo (`make demo` in another terminal):

    .venv/bin/python scripts/screens.py [http://127.0.0.1:8000]

Signs in as each demo user (passwords as `paritrana demo` prints them) and writes
docs/screens/<role>-<width>.jpg: the first screen a person of that role sees.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROLES = {
    "national_admin": "admin",
    "coordination_viewer": "koordinasi",
    "branch_officer": "cabang.samarinda",
    "province_officer": "prov.kaltim",
    "regency_officer": "kab.kukar",
    "employer_hr": "hr.kemenko",
    "sponsor_operator": "apbd.kukar",
    "participant": "peserta",
    "award_jury": "juri",
}
WIDTHS = {1366: 900, 390: 844}
OUT = Path(__file__).resolve().parents[1] / "docs" / "screens"


def main() -> None:
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for role, username in ROLES.items():
            for width, height in WIDTHS.items():
                context = browser.new_context(locale="id-ID", viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(f"{base}/masuk/")
                page.fill("#id_username", username)
                page.fill("#id_password", f"demo-{username}-2021")
                page.click("button[type=submit]")
                page.wait_for_url(f"{base}/")
                path = OUT / f"{role}-{width}.jpg"
                page.screenshot(path=str(path), type="jpeg", quality=70)
                print(path.relative_to(OUT.parents[1]))
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
