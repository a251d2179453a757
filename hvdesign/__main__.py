"""``python -m hvdesign``: the same as the ``hvdesign`` command."""

from hvdesign.cli.main import main

if __name__ == "__main__":
    main(prog_name="hvdesign")
