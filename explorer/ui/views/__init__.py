"""What draws: the 3D surface, the contour map, the small plots, and the drawing helpers they share."""
