"""The self-contained HTML report: sections, build, compare."""
