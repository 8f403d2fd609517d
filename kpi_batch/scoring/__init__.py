"""The pure scoring core: results -> KPI scores, totals, deductions, ranks, bands.

`score_round.score_round` runs the stages; each module is one stage or rule."""
