"""The ``hvdesign`` command: the group, its error handling and the lazy command registry
in :mod:`hvdesign.cli.main`, one module per command group, shared options in
:mod:`hvdesign.cli.common`."""
