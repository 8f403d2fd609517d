"""Unit submission workbooks (template v1): writing them, their Thai text, filling them."""
