"""What a lecture hall sees: presentation mode, and the large-type caption, formula and note that it and
the exported pictures show."""
