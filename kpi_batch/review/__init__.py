"""KPI owners' review workbooks (DOMAIN §6b): written from a finished run, one per owner,
and read back by `kpi-batch run --reviews DIR` as review- or appeal-stage adjustments."""
