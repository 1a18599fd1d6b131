"""The controller and its parts: the session's changes as signals, the timeline, the play timer, work off the window's thread."""
