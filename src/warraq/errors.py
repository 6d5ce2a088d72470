"""The one exception type that carries a user mistake to the command line."""


class WarraqError(Exception):
    """A problem the user can fix; its message is one line naming where and how.

    The command line prints the message as ``warraq: error: <message>`` and exits
    non-zero, with no traceback.
    """

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message
