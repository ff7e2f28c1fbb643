"""Time-series normalisation (DESIGN.md section 5)."""
