"""Pictures and animations written to files: the dialog, the stage that is painted, the vector and animation writers."""
