"""`python -m ketluan` runs the CLI."""

from .cli import main

main()
