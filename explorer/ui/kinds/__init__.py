"""Each problem kind's parts of the window: its pane in the bottom row, its menu, its formula and help;
the window installs them, presentation mode and the export stage go through them."""
