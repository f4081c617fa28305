"""Store benchmarks: a generator for a two-year store and latency figures measured on it.

`python -m bench` prints ratios measured in one run on one machine (a service call against
a bare INSERT + COMMIT on the same file), so the figures compare across machines and disks.
"""
