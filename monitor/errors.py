"""Errors an operator can act on: each says what is wrong and how to fix it."""


class MonitorError(Exception):
    """A problem reported to the operator as one line, without a traceback."""
