"""kpi_batch: score performance agreements (คำรับรองการปฏิบัติราชการ) in one monthly batch."""

__version__ = "0.1.0"

TEMPLATE_VERSION = "1"
FRAMEWORK_FORMAT_VERSION = "1"
