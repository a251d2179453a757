"""The ``hvdesign`` command: one module per command group, shared options and error handling in :mod:`hvdesign.cli.common`."""
