"""User-facing errors: one line naming the file, line and field."""

from __future__ import annotations


class PagesetterError(Exception):
    """Bad input. ``str(err)`` is the one-line message shown to the user."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 column: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.field = field

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class OversetError(PagesetterError):
    """Text that did not fit its frames."""

    exit_code = 3
