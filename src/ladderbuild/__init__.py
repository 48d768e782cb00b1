"""ladderbuild: career frameworks in YAML and Markdown → an HTML handbook and PDF forms."""

__version__ = "0.1.0"
