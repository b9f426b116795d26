"""cscperf: performance management for children's social care in an English council."""

__version__ = "0.1.0"
