"""Send prepared messages over one SMTP session, with retries, logging each as it finishes.

    SmtpConfig.resolve(options, settings, environ) -> SmtpConfig
    send_all(config, outgoing, record) -> list[Delivery]

- One connection for the batch, opened when the first message needs it; a dropped
  connection (or a server's 421) is reopened and the message tried again.
- Temporary failures (4xx replies, disconnects, timeouts) are retried up to `attempts`
  times per message, waiting `backoff`, 2×`backoff`, 4×`backoff`… seconds between tries;
  only the recipients still missing are retried.
- Permanent failures (5xx) are recorded at once and not retried: a refused address stays
  refused until someone corrects the framework.
- If the server cannot be reached at all after the retries, or refuses the login or TLS,
  the rest of the batch is recorded as not sent instead of trying each message in turn.
- `record(delivery)` is called after every message, so the log is written as we go.
A message accepted by the server but whose reply was lost (the line dropped after DATA)
is retried, so such a message may arrive twice; SMTP has no way to ask. The password is
read from the environment only, never printed, logged or put in an exception message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage

from kpi_batch.deliver.log import Delivery, scrub
from kpi_batch.errors import UsageError

ENV_USER = "KPI_BATCH_SMTP_USER"
ENV_PASSWORD = "KPI_BATCH_SMTP_PASSWORD"
TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    tls: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    attempts: int = 4
    backoff: float = 2.0

    @classmethod
    def resolve(
        cls,
        *,
        host: str | None,
        port: int | None,
        tls: str | None,
        settings: Mapping[str, str],
        environ: Mapping[str, str],
        attempts: int = 4,
        backoff: float = 2.0,
    ) -> SmtpConfig:
        """Command line first, then the framework's settings; credentials only from the
        environment."""
        host = host or settings.get("smtp_host") or ""
        if not host:
            raise UsageError(
                "ไม่ได้ระบุเครื่องแม่ข่ายอีเมล ให้ใส่ --smtp-host หรือ smtp_host ในแผ่นงาน settings / "
                "no SMTP host: pass --smtp-host or set smtp_host"
            )
        mode = (tls or settings.get("smtp_tls") or "starttls").strip().lower()
        if mode not in TLS_MODES:
            raise UsageError(
                f"smtp_tls ต้องเป็น {', '.join(TLS_MODES)} / smtp_tls must be one of "
                f"{', '.join(TLS_MODES)}: {mode!r}"
            )
        raw_port = port if port is not None else settings.get("smtp_port")
        try:
            number = int(str(raw_port)) if raw_port not in (None, "") else DEFAULT_PORTS[mode]
        except ValueError:
            raise UsageError(f"smtp_port ต้องเป็นตัวเลข / must be a number: {raw_port!r}") from None
        user = environ.get(ENV_USER) or None
        password = environ.get(ENV_PASSWORD) or None
        if (user is None) != (password is None):
            raise UsageError(
                f"ต้องตั้งทั้ง {ENV_USER} และ {ENV_PASSWORD} หรือไม่ตั้งทั้งคู่ / set both or neither"
            )
        if (user and not user.isascii()) or (password and not password.isascii()):
            # smtplib sends AUTH as ASCII; say so without echoing either value.
            raise UsageError(
                f"{ENV_USER} และ {ENV_PASSWORD} ต้องเป็นอักขระภาษาอังกฤษ (ASCII) เท่านั้น / "
                "user and password must be ASCII"
            )
        if user and mode == "none" and not _is_loopback(host):
            raise UsageError(
                "จะไม่ส่งรหัสผ่านผ่านการเชื่อมต่อที่ไม่เข้ารหัส ให้ใช้ --smtp-tls starttls หรือ ssl / "
                "refusing to send a password without TLS (use starttls or ssl)"
            )
        return cls(host, number, mode, user, password, attempts=attempts, backoff=backoff)

    def describe(self) -> str:
        auth = f", ผู้ใช้ / user {self.user}" if self.user else ""
        return f"{self.host}:{self.port} ({self.tls}{auth})"


@dataclass(frozen=True)
class Outgoing:
    key: str
    unit_id: str
    message: EmailMessage
    recipients: tuple[str, ...]  # the ones still to deliver
    envelope_from: str
    attachments: tuple[dict[str, str], ...] = ()


class _Abort(Exception):
    """The session cannot go on (server unreachable, login or TLS refused)."""


class _Session:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.conn: smtplib.SMTP | None = None

    def ensure(self) -> smtplib.SMTP:
        if self.conn is not None and self.conn.sock is not None:
            return self.conn
        self.drop()
        c = self.config
        try:
            if c.tls == "ssl":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(
                    c.host, c.port, timeout=c.timeout, context=ssl.create_default_context()
                )
            else:
                conn = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
            conn.ehlo()
            if c.tls == "starttls":
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            if c.user and c.password:
                conn.login(c.user, c.password)
        except (smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError) as exc:
            raise _Abort(_describe(exc)) from None
        except ssl.SSLError as exc:
            raise _Abort(f"TLS: {exc}") from None
        except UnicodeError:  # never show the exception: it holds the credentials
            raise _Abort("ชื่อผู้ใช้หรือรหัสผ่านไม่ใช่ ASCII / user or password not ASCII") from None
        self.conn = conn
        return conn

    def drop(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(OSError):
                self.conn.close()
        self.conn = None

    def quit(self) -> None:
        if self.conn is not None and self.conn.sock is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.conn.quit()
        self.drop()


def send_all(
    config: SmtpConfig,
    outgoing: Sequence[Outgoing],
    record: Callable[[Delivery], None],
    *,
    run_id: str,
    clock: Callable[[], dt.datetime],
    sleep: Callable[[float], None] = time.sleep,
) -> list[Delivery]:
    session = _Session(config)
    results: list[Delivery] = []
    aborted = ""
    try:
        for item in outgoing:
            delivery = Delivery(
                time="",
                run_id=run_id,
                key=item.key,
                unit_id=item.unit_id,
                message_id=str(item.message["Message-ID"] or ""),
                subject=str(item.message["Subject"] or ""),
                recipients=list(item.recipients),
                attachments=[dict(a) for a in item.attachments],
            )
            if aborted:
                delivery.status, delivery.error = "not_sent", aborted
            else:
                try:
                    _send_one(session, config, item, delivery, sleep)
                except _Abort as exc:
                    aborted = scrub(f"ไม่ได้ส่ง / not sent: {exc}", config.password)
                    delivery.error = aborted
                    missing = [a for a in item.recipients if a not in delivery.delivered]
                    if delivery.delivered:  # part went out before the session broke
                        delivery.failed.update(dict.fromkeys(missing, aborted))
                    else:
                        delivery.status = "not_sent"
            delivery.time = clock().isoformat(timespec="seconds")
            delivery.error = scrub(delivery.error, config.password)
            delivery.failed = {a: scrub(e, config.password) for a, e in delivery.failed.items()}
            results.append(delivery.settle())
            record(delivery)
    finally:
        session.quit()
    return results


def _send_one(
    session: _Session,
    config: SmtpConfig,
    item: Outgoing,
    delivery: Delivery,
    sleep: Callable[[float], None],
) -> None:
    pending = list(item.recipients)
    last_error = ""
    unreachable = 0  # attempts that could not even open a session
    for attempt in range(1, config.attempts + 1):
        delivery.attempts = attempt
        try:
            conn = session.ensure()
        except OSError as exc:  # smtplib's errors are OSErrors too
            session.drop()
            unreachable += 1
            last_error = _describe(exc)
        else:
            try:
                refused = conn.send_message(item.message, item.envelope_from, pending)
                pending = _settle(pending, refused, delivery)
            except smtplib.SMTPRecipientsRefused as exc:
                pending = _settle(pending, exc.recipients, delivery, all_refused=True)
                last_error = _describe_refused(exc.recipients)
            except smtplib.SMTPResponseException as exc:  # MAIL FROM, DATA, ...
                last_error = _describe(exc)
                if not 400 <= exc.smtp_code < 500:
                    delivery.failed.update(dict.fromkeys(pending, last_error))
                    pending = []
                elif exc.smtp_code == 421:
                    session.drop()
            except OSError as exc:  # disconnected, reset, timed out
                session.drop()
                last_error = _describe(exc)
            except (ValueError, UnicodeError) as exc:  # the message itself cannot be sent
                last_error = _describe(exc)
                delivery.failed.update(dict.fromkeys(pending, last_error))
                pending = []
        if not pending:
            break
        if attempt < config.attempts:
            sleep(config.backoff * 2 ** (attempt - 1))
    if pending and unreachable == config.attempts:
        raise _Abort(f"เชื่อมต่อ {config.host}:{config.port} ไม่ได้ / cannot connect: {last_error}")
    retried = f"{last_error} (ลอง {config.attempts} ครั้งแล้ว / after {config.attempts} attempts)"
    delivery.failed.update(dict.fromkeys(pending, retried))
    delivery.error = last_error if delivery.failed else ""


def _settle(
    pending: list[str],
    refused: Mapping[str, tuple[int, bytes]],
    delivery: Delivery,
    all_refused: bool = False,
) -> list[str]:
    """Sort recipients into delivered, refused for good, and still to try.

    With SMTPRecipientsRefused nothing was delivered; addresses the server never got to
    (it closed with 421 part way) stay pending."""
    still = []
    for address in pending:
        if address not in refused:
            if all_refused:
                still.append(address)
            else:
                delivery.delivered.append(address)
            continue
        code, reply = refused[address]
        text = f"{code} {_decode(reply)}"
        if 400 <= code < 500:
            still.append(address)
            delivery.failed.pop(address, None)
        else:
            delivery.failed[address] = text
    return still


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_decode(exc.smtp_error)}"
    if isinstance(exc, socket.timeout | TimeoutError):
        return "หมดเวลารอ / timed out"
    return f"{type(exc).__name__}: {exc}"


def _describe_refused(refused: Mapping[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{a}: {code} {_decode(reply)}" for a, (code, reply) in refused.items())


def _decode(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
