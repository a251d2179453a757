"""The interactive explorers (ipywidgets + plotly) and the Voila app."""
