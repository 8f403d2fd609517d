"""The framework workbook (format v1): read and check it (`load.load_framework`), write it,
and the FY2567 example."""
