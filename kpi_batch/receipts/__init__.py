"""The receipts register (`--receipts FILE`): the office's e-saraban receipt dates.

A receipt charges lateness before any other date (DOMAIN §3.6): the e-mail's date and the
workbook's `submitted_on` come after it, the file's modification date never. `spec.py` names
the columns, `load.py` reads and checks the file cell by cell.
"""

from kpi_batch.receipts.spec import Receipt

__all__ = ["Receipt"]
