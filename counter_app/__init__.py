"""counter-app: the offline-first counter program of a commune service center."""

__version__ = "0.1.0"
