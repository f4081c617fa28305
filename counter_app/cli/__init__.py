"""The command line: a thin shell over the services, Vietnamese by default.

Each command opens the store, calls one service and prints the result. A rule's refusal
prints its message in the chosen language; bad input exits 2 with nothing written.
"""

from counter_app.cli.app import main

__all__ = ["main"]
