"""The window: PySide6 and pyqtgraph views that read the core and never compute derivatives."""
