"""The main window and what belongs to it as a whole: menus, placement on the screen, presentation mode, scene files."""
