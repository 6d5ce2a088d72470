"""``python -m warraq``: the command line."""

from warraq.cli import main

main()
