"""Attribution against ground truth: the data-driven models' channel shares compared with the
simulator's true incremental shares (``python -m benchmarks.attribution_truth --help``).

Not a timed benchmark: for each seed it generates a company with a causal model of conversion
(``channel_effects``, simulator/channel_effects.py), loads it, builds only what attribution
needs, and compares ``fct_attribution_channel_effects`` (scope marketing: Markov removal-effect
shares, Shapley shares) and ``kpi_channel_attribution_intervals`` (90% bootstrap intervals of
the credit shares) with ``ground_truth.json["channel_effects"]``. The truth comes from the
simulator's own state, never from the warehouse.
"""
