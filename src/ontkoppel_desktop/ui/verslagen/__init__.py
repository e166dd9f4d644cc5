"""Gespreksverslagen in the app: the wizard per gesprek type, the verslagen of a traject, reading a sealed one."""
