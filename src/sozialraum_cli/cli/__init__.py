"""The command line: one small module per command; options -> core -> render."""
