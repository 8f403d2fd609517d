"""Sending a run's results by e-mail (`kpi-batch email`); see docs/email.md.

source    run folder + its framework -> RunSource (reads; checks the fingerprint)
texts     the editable Thai wording (resources/email/*.txt, or an override folder)
messages  RunSource -> MessagePlan of EmailMessages, one per unit, hr and executive (pure)
checks    every message read back: recipients and attachments belong together (pure)
outbox    dry run: .eml files and an index in <run>/outbox/
smtp      one SMTP session, retries with backoff, a Delivery per message
log       delivery_log.jsonl / .csv in the run folder: what is sent again, what not
store     a copy of the log in <out>/history.sqlite when there is one
batch     the order of the above, for the CLI
"""
