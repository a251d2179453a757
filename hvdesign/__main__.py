"""``python -m hvdesign``: the same as the ``hvdesign`` command."""

from hvdesign.cli import main

main(prog_name="hvdesign")
