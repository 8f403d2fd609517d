"""`python -m kpi_batch …` (or `py -m kpi_batch` on Windows): the same as `kpi-batch …`,
for when the script folder is not on PATH, and the entry point of a frozen build."""

from kpi_batch.cli import main

if __name__ == "__main__":
    main()
