"""Command line: arguments -> stage functions -> exit code. The only module that prints."""

from __future__ import annotations

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="kpi-batch: ประมวลผลคะแนนคำรับรองการปฏิบัติราชการ / score performance agreements",
)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
