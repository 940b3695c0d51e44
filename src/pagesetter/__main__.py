"""``python -m pagesetter`` and the ``pagesetter`` command."""

import sys


def main() -> None:
    # Ctrl-C while the command is still importing its modules, or before the command's own
    # handler is in place: exit 130 quietly, as later on
    try:
        from pagesetter.app.cli import run
        run()
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        sys.exit(130)


if __name__ == "__main__":
    main()
