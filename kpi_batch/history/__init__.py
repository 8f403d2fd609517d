"""History of runs in SQLite (store, schema) and the pure run-to-run diff."""
