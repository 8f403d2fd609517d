"""Render workbooks with LibreOffice, as the CI does, to prove they open and print.

    pdf = render_pdf(xlsx, tmp_path)          # skips the test when soffice is absent
    pngs = render_pngs(pdf, tmp_path, dpi=60)  # page images, for looking at by hand

Each conversion uses a private LibreOffice profile, so tests running in parallel (or next
to a desktop LibreOffice) do not fight over one. `.ci/run` installs LibreOffice, so in CI
these tests run rather than skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

TIMEOUT = 240  # seconds; a first start of LibreOffice builds its profile


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


requires_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")


def render_pdf(xlsx: Path, out_dir: Path) -> Path:
    """`xlsx` converted to `out_dir/<stem>.pdf`; the test is skipped without LibreOffice."""
    soffice = soffice_path()
    if soffice is None:
        if os.environ.get("CI"):  # .ci/run installs it: a missing soffice there is a failure
            pytest.fail("LibreOffice (soffice) not installed in CI")
        pytest.skip("LibreOffice (soffice) not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = (out_dir / ".lo-profile").resolve().as_uri()
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), str(xlsx)],
        capture_output=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    pdf = out_dir / (xlsx.stem + ".pdf")
    assert pdf.exists(), f"soffice made no PDF (exit {done.returncode}): {done.stderr!r}"
    return pdf


def pdf_page_count(pdf: Path) -> int:
    """Pages in a PDF, from pdfinfo when installed, else by counting page objects."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        out = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True)
        match = re.search(r"^Pages:\s+(\d+)", out.stdout, re.MULTILINE)
        if match:
            return int(match[1])
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def render_pngs(pdf: Path, out_dir: Path, dpi: int = 60) -> list[Path]:
    """One PNG per page (`p-1.png`, ...) with pdftoppm; the test is skipped without it."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    prefix = out_dir / pdf.stem
    subprocess.run([pdftoppm, "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True)
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))
