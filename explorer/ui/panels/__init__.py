"""Widgets a person types in or reads: the editor, the fit form, the runs table, the inspector, the display bar."""
