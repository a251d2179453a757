"""Figures and HTML fragments: what the notebooks, the app, the report and the CLI show."""
