"""The contour map and the layers drawn over it."""
