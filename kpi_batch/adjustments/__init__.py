"""Reviews and appeals: the adjustments workbook (read and checked by cell) and its blank
template."""
