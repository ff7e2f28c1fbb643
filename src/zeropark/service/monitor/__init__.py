"""The monitor (监测预警): evaluates alert rules on stored data, keeps the alert lifecycle and
sends notifications (docs/monitoring.md)."""
