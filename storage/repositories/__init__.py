"""One repository per Protocol of reception/ports.py, over one connection of a unit of work."""
