"""Run the command line as `python -m studiosync`."""

from studiosync.cli import main

main()
