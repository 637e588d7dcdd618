"""The `accord` command: Django's management commands, with Accord's own among them."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "accord"
    if len(args) == 1:
        args.append("help")
    elif args[1] in ("--help", "-h"):
        args[1] = "help"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
