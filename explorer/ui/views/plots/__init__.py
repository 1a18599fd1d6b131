"""The small plots: loss, learning rate, the slice along a step, the fit, the Jacobian lens, stability."""
