"""kpi_batch: score performance agreements (คำรับรองการปฏิบัติราชการ) in one monthly batch."""

__version__ = "0.1.0"
