"""One module per workbook kind the tool writes and reads back: names spelled once."""
