"""``python -m thematic.cli``."""

from thematic.cli import main

main()
