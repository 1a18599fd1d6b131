"""Files the program ships besides code: the lecture presets and the icons (read with importlib.resources)."""
