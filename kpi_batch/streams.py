"""Console streams that never crash on Thai text.

Output redirected to a file, or written by a scheduled task, is encoded in the ANSI code page
on Windows (cp874 on a Thai PC, cp1252 on an English one), which has no "→", "·" or box
characters, and cp1252 has no Thai at all: Python then raises `UnicodeEncodeError` in the
middle of a summary. So a stream that is not a terminal is switched to UTF-8 (what Notepad,
Excel and `type` on a `chcp 65001` console read), and any stream that still cannot encode a
character writes a replacement instead of failing. A terminal keeps its encoding: on Windows
Python writes to the console in UTF-16 whatever the code page, and rich draws ASCII boxes on
a console that cannot show its own.
"""

from __future__ import annotations

import io
import sys


def safe_streams() -> None:
    """Reconfigure `sys.stdout` and `sys.stderr` (the entry point calls this once)."""
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):
            continue  # replaced by a test runner or an embedding program: theirs to decide
        try:
            if stream.isatty():
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8", errors="replace")
        except (OSError, ValueError):
            continue  # a closed or detached stream: nothing will be written to it
