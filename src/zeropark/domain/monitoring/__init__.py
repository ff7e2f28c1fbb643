"""Monitoring (监测预警): alert rules and their lifecycle, waste detection (DESIGN.md section 2)."""
