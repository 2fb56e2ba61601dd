"""The HTML report in a real browser: headless Chromium renders it, prints it, screenshots it.

Chromium comes from Debian's `chromium` package (`.ci/run` installs it when it can). Where it
is absent the test is skipped, saying why. ESPACE_TUI_UPDATE_SCREENSHOTS=1 also copies the
screenshot to screenshots/report.png for the README.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from espace_tui.report.export import export_bytes
from espace_tui.workspace import Workspace
from tests.report.demo_data import DEMO_COUNT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOT = Path(__file__).resolve().parents[2] / "screenshots" / "report.png"
WINDOW = (1100, 1400)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium absent: install Debian's package (apt-get install chromium) to render "
    "the HTML report; .ci/run does it when apt is available",
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",  # tests may run as root, where the sandbox refuses to start
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, timeout=120, check=True)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.fixture
def report_file(demo: Workspace, tmp_path: Path) -> Path:
    path = tmp_path / "rapport.html"
    path.write_bytes(export_bytes(demo, "html"))
    return path


def test_chromium_parses_the_report(report_file: Path, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", report_file.as_uri()).stdout.decode()
    assert dom.count('<section class="dossier"') == DEMO_COUNT
    assert "Cabinet Durand &amp; Associés" in dom


def test_printed_to_pdf_one_page_per_client(report_file: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "rapport.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report_file.as_uri())
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    # The cover page, then each client's section on a page of its own.
    assert pages == 1 + DEMO_COUNT


def test_screenshot(report_file: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium(
        tmp_path,
        f"--screenshot={shot}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--hide-scrollbars",
        report_file.as_uri(),
    )
    assert png_size(shot) == WINDOW
    assert shot.stat().st_size > 50_000  # a rendered page, not a blank one
    if os.environ.get("ESPACE_TUI_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
