"""The one exception type the CLI turns into a one-line message and exit code 2.

Anything raised as :class:`PolicyError` is a problem with the user's input (a file, a reference,
an option). Anything else escaping to the CLI is a bug in this program.
"""

from __future__ import annotations


class PolicyError(Exception):
    """Bad input: the message is shown to the user as one line, the exit code is 2."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")

    def one_line(self) -> str:
        """The message folded onto a single line."""
        return " ".join(str(self).split())
