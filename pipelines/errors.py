"""Errors that end a run with exit 2 and a one-line message naming the file."""


class RxqaError(Exception):
    """A run that cannot be done: bad arguments, unreadable reference, no content."""


class ReferenceInvalid(RxqaError):
    """The reference breaks its schema (SC002)."""


class ConfigInvalid(RxqaError):
    """A settings, waiver or baseline file is malformed."""
