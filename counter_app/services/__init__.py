"""Use cases: the only entry points for the UI and the CLI.

Each takes a ServiceContext (store, clock, station, acting user), runs as one transaction
and returns what changed.
"""
