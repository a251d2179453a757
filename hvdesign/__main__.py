"""``python -m hvdesign``: the same as the ``hvdesign`` command."""

from hvdesign.cli.main import main

main(prog_name="hvdesign")
