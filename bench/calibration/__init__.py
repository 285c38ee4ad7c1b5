"""Helpers of the cost calibration bench (``bench/bench_cost.py``): real services only."""
