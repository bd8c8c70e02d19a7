"""The one error a `candor` command reports to its user: a reason, on one line, without a traceback."""


class CommandError(Exception):
    """Bad input or a missing prerequisite, with what to do about it."""
