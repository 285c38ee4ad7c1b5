"""Reports: renderers of analysis results (terminal, JSON, SARIF, HTML); they only render."""
