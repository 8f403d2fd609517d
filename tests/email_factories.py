"""A real run folder to send from, and a real SMTP server to send to, for the e-mail tests.

`base_run(tmp_path_factory)` runs the pipeline once per session on the small framework
(tests/factories.py) with e-mail settings added; `copy_run` gives each test its own copy.
What the run holds, as-of 10 Mar 2024, round R1:
- U01 scored, its file flagged (no submission date): result + returned workbook;
- U02 scored; two addresses (finance@, chief.finance@);
- U03 rejected (it filled the R2 template): returned workbook only;
- U04 missing: a reminder.

`SmtpServer` is aiosmtpd on 127.0.0.1 and a free port, with a handler that collects every
accepted message and can refuse recipients (550 / 450), answer DATA with 421 or drop the
connection, to inject failures.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import shutil
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from kpi_batch.framework.load import load_framework
from kpi_batch.pipeline import RunRequest, run
from kpi_batch.templates.fill import fill_template
from kpi_batch.templates.workbook import write_unit_template
from tests.factories import Row, small_framework_rows, write_small_framework

AS_OF = dt.date(2024, 3, 10)
SENDER = "kpr@dept.example"
ADDRESSES = {
    "U01": ["plan@dept.example"],
    "U02": ["finance@dept.example", "chief.finance@dept.example"],
    "U03": ["nutri@dept.example"],
    "U04": ["hpc1@dept.example"],
    "hr": ["hr@dept.example"],
    "executive": ["director@dept.example"],
}
EMAIL_SETTINGS = {
    "smtp_from": f"กลุ่มพัฒนาระบบบริหาร <{SENDER}>",
    "appeal_deadline": "20 มี.ค. 2567",
    "smtp_tls": "none",
}
_CACHE: dict[str, Path] = {}


def email_framework_rows(**settings: str) -> dict[str, list[Row]]:
    rows = small_framework_rows()
    for key, value in {**EMAIL_SETTINGS, **settings}.items():
        rows["settings"] = [r for r in rows["settings"] if r["key"] != key]
        if value:
            rows["settings"].append({"key": key, "value": value})
    return rows


def base_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The work folder (framework.xlsx, out/) of one pipeline run, built once."""
    if "base" not in _CACHE:
        work = tmp_path_factory.mktemp("email_run")
        fw_path = write_small_framework(work / "framework.xlsx", email_framework_rows())
        fw = load_framework(fw_path)
        inbox = work / "inbox"
        inbox.mkdir()
        sent = dt.date(2024, 3, 5)
        filled: dict[str, tuple[dict[str, Any], Any, dict[str, Any]]] = {
            "U01": ({"1.1.1": 46, "1.1.2": 55, "2.1": (70, 100), "3.1": 2}, None, {}),
            "U02": ({"1.1.1": 50, "2.1": (75, 100), "3.1": 3, "4.1": 4}, sent, {}),
            "U03": ({"1.1.2": 52, "2.1": (60, 100), "4.1": 2}, sent, {"round_id": "R2"}),
        }
        for unit_id, (values, submitted, names) in filled.items():
            path = write_unit_template(fw, unit_id, "R1", inbox / f"2567_R1_{unit_id}.xlsx")
            fill_template(path, values, submitted_on=submitted, names=names)
        run(RunRequest(fw_path, inbox, work / "out", AS_OF, "R1"))
        _CACHE["base"] = work
    return _CACHE["base"]


def copy_run(base: Path, target: Path) -> Path:
    """A private copy of the output tree; returns the run folder. The framework is shared."""
    shutil.copytree(base / "out", target / "out")
    (run_dir,) = (target / "out" / "2567" / "R1").glob("2024-03-10_*")
    return run_dir


def parse(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


# --- SMTP server -------------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self) -> EmailMessage:
        return parse(self.content)

    @property
    def key(self) -> str:
        return str(self.message["X-KPI-Batch-Message"])


@dataclass
class Handler:
    """Accepts everything unless told otherwise; `received` holds what was accepted."""

    refuse: dict[str, str] = field(default_factory=dict)  # address -> reply, e.g. "550 ..."
    refuse_once: dict[str, str] = field(default_factory=dict)  # the first RCPT only
    on_data: Callable[[int], str | None] | None = None  # DATA number -> "drop" / reply / None
    received: list[Received] = field(default_factory=list)
    data_count: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse_once:
            return self.refuse_once.pop(address)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_count += 1
        action = self.on_data(self.data_count) if self.on_data else None
        if action == "drop":
            server.transport.close()
            return "451 dropped"
        if action:
            if action.startswith("421"):
                server.transport.close()
            return action
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server(handler: Handler, **kwargs: Any) -> Iterator[int]:
    """Run aiosmtpd for the block; yields its port."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
        asyncio.set_event_loop(None)
