"""The e-mail policy our messages are written with: RFC 5322, CRLF, 7-bit headers.

`policy.SMTP` as it is, except for a non-ASCII Subject. Python 3.11's header folder drops
the space at a fold between two encoded words: of the subjects
'… ปีงบประมาณ 2567 เลยกำหนดส่งแล้ว — สถาบัน…' cut at each length, a third arrive with a
space missing ('แล้ว— สถาบัน'). `email.header.Header` encodes the whole subject, spaces
included, in base64 words of whole characters, which decode back exactly; the checks
(`checks.py`) read every subject back from the bytes.
"""

from __future__ import annotations

from email.header import Header
from email.policy import EmailPolicy
from typing import Any


class _SubjectSafePolicy(EmailPolicy):
    def fold(self, name: str, value: Any) -> str:
        if name.lower() == "subject" and not str(value).isascii():
            return self._subject(name, str(value))
        return super().fold(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        if name.lower() == "subject" and not str(value).isascii():
            return self._subject(name, str(value)).encode("ascii")
        return super().fold_binary(name, value)

    def _subject(self, name: str, value: str) -> str:
        encoded = Header(value, "utf-8", header_name=name).encode(linesep=self.linesep)
        return f"{name}: {encoded}{self.linesep}"


POLICY = _SubjectSafePolicy(linesep="\r\n")
