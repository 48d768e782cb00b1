"""`python -m ladderbuild`: the same as the `ladderbuild` command."""

from .cli import main

main(prog_name="ladderbuild")
