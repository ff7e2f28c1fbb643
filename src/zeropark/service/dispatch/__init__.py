"""Dispatch use cases: day-ahead plans from forecasts and the optimiser, stored and versioned,
setpoints out to the devices, the model-predictive loop and the replay of a past period."""
