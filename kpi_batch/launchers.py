"""Double-click launchers of a working folder (`kpi-batch init`): `.cmd` for Windows, `.sh`
for Linux and macOS, one pair per step of the month.

Each launcher runs the Python that `init` was run with (its full path is written in the
file, so the launchers work without PATH or an activated venv; when that Python is gone,
`py -m kpi_batch` / `python3 -m kpi_batch`), from the launcher's own folder, asks what it
must (a round id, the as-of date, the SMTP user and password), shows the program's exit
code, opens the folder with the results and waits for a key, so that the window does not
vanish before it is read.

The `.cmd` text is ASCII only, CRLF: `cmd.exe` reads a batch file in the console's code page
(cp874 on a Thai PC) line by line, so anything else could be misread before `chcp 65001`
takes effect. The Thai guidance is in `อ่านก่อน.txt` and in what the program prints.
`PYTHONUTF8=1` makes Python use UTF-8 for files and pipes whatever the code page.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from kpi_batch.receipts.spec import WORKFOLDER_FILE as RECEIPTS

ASK_ROUND = "round"
ASK_AS_OF = "as_of"
ASK_LOGIN = "login"
TEMPLATES = "templates/{round}"


@dataclass(frozen=True)
class Launcher:
    stem: str  # file name without the extension: what the officer double-clicks
    title: str  # ASCII: the window's first line
    args: tuple[str, ...]  # kpi-batch arguments; {round} and {run} filled in
    asks: tuple[str, ...] = ()
    opens: str = "output"  # the folder opened at the end
    confirm: bool = False  # ask before doing something that cannot be undone


LAUNCHERS = (
    Launcher(
        "1_ตรวจกรอบตัวชี้วัด",
        "Check the framework (framework.xlsx)",
        ("check-framework", "framework.xlsx"),
        opens=".",
    ),
    Launcher(
        "2_สร้างแบบรายงาน",
        "Make the report templates for the units",
        (
            "templates",
            "--framework",
            "framework.xlsx",
            "--round",
            "{round}",
            "--out",
            TEMPLATES,
        ),
        asks=(ASK_ROUND,),
        opens="templates",
    ),
    Launcher(
        "3_ประมวลผล",
        "Score the month: read inbox, write output",
        ("run", "--framework", "framework.xlsx", "--inbox", "inbox", "--out", "output"),
        asks=(ASK_AS_OF,),
    ),
    Launcher(
        "4_ทดลองส่งอีเมล",
        "E-mail dry run: messages into the run's outbox folder, nothing sent",
        ("email", "--run", "{run}"),
        asks=(ASK_ROUND,),
    ),
    Launcher(
        "5_ส่งอีเมลจริง",
        "SEND the e-mails of the latest run",
        ("email", "--run", "{run}", "--send"),
        asks=(ASK_ROUND, ASK_LOGIN),
        confirm=True,
    ),
)
EXIT_CODES = "0 = done, 1 = done but see the report, 2 = fix and run again, 3 = program error"


def program() -> list[str]:
    """How a launcher starts this program: the running Python with `-m kpi_batch`, or the
    executable itself in a frozen build."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "kpi_batch"]


def cmd_text(launcher: Launcher, prog: list[str]) -> str:
    """The `.cmd` file, CRLF line endings."""
    exe, *rest = prog
    fallback = "py" if rest else exe
    lines = [
        "@echo off",
        "chcp 65001 >nul",
        "setlocal",
        "set PYTHONUTF8=1",
        'cd /d "%~dp0"',
        f'set "KPI_EXE={exe}"',
        f'if not exist "%KPI_EXE%" set "KPI_EXE={fallback}"',
        f"echo == {launcher.title} ==",
        "echo.",
        'set "CODE=2"',
    ]
    if ASK_ROUND in launcher.asks:
        lines += [
            'set "ROUND="',
            'set /p "ROUND=Round id, e.g. R1 [R1]: "',
            'if "%ROUND%"=="" set "ROUND=R1"',
        ]
    extra = ""
    if ASK_AS_OF in launcher.asks:
        lines += [
            'set "ASOF="',
            'set /p "ASOF=Date of the data, e.g. 15/3/2567 [today]: "',
            'set "ASOF_ARG="',
            'if not "%ASOF%"=="" set ASOF_ARG=--as-of "%ASOF%"',
            'set "ADJ_ARG="',
            "if exist adjustments.xlsx set ADJ_ARG=--adjustments adjustments.xlsx",
            'set "RCPT_ARG="',
            f"if exist {RECEIPTS} set RCPT_ARG=--receipts {RECEIPTS}",
        ]
        extra = " %ASOF_ARG% %ADJ_ARG% %RCPT_ARG%"
    if "{run}" in launcher.args:
        lines += [
            'set "RUN="',
            'for /d %%Y in (output\\*) do if exist "%%Y\\%ROUND%\\latest" '
            'set "RUN=%%Y\\%ROUND%\\latest"',
            "if not defined RUN (",
            "  echo No finished run of round %ROUND% in the output folder yet.",
            "  goto end",
            ")",
        ]
    if ASK_LOGIN in launcher.asks:
        lines += [
            'if not defined KPI_BATCH_SMTP_USER set /p "KPI_BATCH_SMTP_USER=SMTP user: "',
            'for /f "usebackq delims=" %%P in (`powershell -NoProfile -Command '
            "\"$s = Read-Host 'SMTP password (not shown)' -AsSecureString; "
            "[Runtime.InteropServices.Marshal]::PtrToStringBSTR("
            '[Runtime.InteropServices.Marshal]::SecureStringToBSTR($s))"`) '
            'do set "KPI_BATCH_SMTP_PASSWORD=%%P"',
        ]
    if launcher.confirm:
        lines += [
            'set "SURE="',
            'set /p "SURE=Type Y and Enter to send now: "',
            'if /i not "%SURE%"=="Y" (',
            "  echo Nothing was sent.",
            "  goto end",
            ")",
        ]
    args = " ".join(_cmd_arg(a) for a in launcher.args)
    lines += [
        f'"%KPI_EXE%"{"".join(f" {r}" for r in rest)} {args}{extra}',
        'set "CODE=%ERRORLEVEL%"',
        ":end",
        "echo.",
        f"echo Exit code %CODE%: {EXIT_CODES}",
        f'if exist "{_cmd_path(launcher.opens)}" start "" "{_cmd_path(launcher.opens)}"',
        "pause",
        "exit /b %CODE%",
    ]
    return "".join(f"{line}\r\n" for line in lines)


def sh_text(launcher: Launcher, prog: list[str]) -> str:
    """The `.sh` twin (bash), LF line endings."""
    exe, *rest = prog
    fallback = "python3 -m kpi_batch" if rest else _sh_quote(exe)
    lines = [
        "#!/usr/bin/env bash",
        f"# {launcher.title} (made by kpi-batch init)",
        'cd "$(dirname "$0")" || exit 2',
        "export PYTHONUTF8=1",
        f"KPI_EXE={_sh_quote(exe)}",
        f'if [ -x "$KPI_EXE" ]; then KPI=("$KPI_EXE" {" ".join(rest)}); else KPI=({fallback}); fi',
        f'echo "== {launcher.title} =="',
        "echo",
        "code=2",
        "main() {",
    ]
    if ASK_ROUND in launcher.asks:
        lines += ['  read -r -p "Round id, e.g. R1 [R1]: " ROUND || true', '  ROUND="${ROUND:-R1}"']
    extra = ""
    if ASK_AS_OF in launcher.asks:
        lines += [
            '  read -r -p "Date of the data, e.g. 15/3/2567 [today]: " ASOF || true',
            "  extra=()",
            '  if [ -n "${ASOF:-}" ]; then extra+=(--as-of "$ASOF"); fi',
            "  if [ -f adjustments.xlsx ]; then extra+=(--adjustments adjustments.xlsx); fi",
            f"  if [ -f {RECEIPTS} ]; then extra+=(--receipts {RECEIPTS}); fi",
        ]
        extra = ' "${extra[@]}"'
    if "{run}" in launcher.args:
        lines += [
            '  RUN=""',
            '  for y in output/*/; do [ -f "$y$ROUND/latest" ] && RUN="$y$ROUND/latest"; done',
            '  if [ -z "$RUN" ]; then',
            '    echo "No finished run of round $ROUND in the output folder yet."',
            "    return",
            "  fi",
        ]
    if ASK_LOGIN in launcher.asks:
        lines += [
            '  if [ -z "${KPI_BATCH_SMTP_USER:-}" ]; then',
            '    read -r -p "SMTP user: " KPI_BATCH_SMTP_USER || true',
            "  fi",
            '  read -rs -p "SMTP password (not shown): " KPI_BATCH_SMTP_PASSWORD || true',
            "  echo",
            "  export KPI_BATCH_SMTP_USER KPI_BATCH_SMTP_PASSWORD",
        ]
    if launcher.confirm:
        lines += [
            '  read -r -p "Type Y and Enter to send now: " SURE || true',
            '  if [ "${SURE:-}" != "Y" ] && [ "${SURE:-}" != "y" ]; then',
            '    echo "Nothing was sent."',
            "    return",
            "  fi",
        ]
    args = " ".join(_sh_arg(a) for a in launcher.args)
    lines += [
        f'  "${{KPI[@]}}" {args}{extra}',
        "  code=$?",
        "}",
        "main",
        "echo",
        f'echo "Exit code $code: {EXIT_CODES}"',
        'if [ -z "${KPI_BATCH_NO_OPEN:-}" ]; then',
        f'  (xdg-open "{launcher.opens}" || open "{launcher.opens}") >/dev/null 2>&1 &',
        "fi",
        'read -r -p "Press Enter to close " _ || true',
        'exit "$code"',
    ]
    return "".join(f"{line}\n" for line in lines)


def _cmd_path(path: str) -> str:
    return path.replace("/", "\\")


def _cmd_arg(arg: str) -> str:
    text = _cmd_path(arg).replace("{round}", "%ROUND%").replace("{run}", "%RUN%")
    return f'"{text}"' if "%RUN%" in text else text


def _sh_arg(arg: str) -> str:
    return f'"{arg.replace("{round}", "$ROUND").replace("{run}", "$RUN")}"'


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
