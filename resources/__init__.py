"""Data files of Ontkoppel Desktop (procedures, templates, icons), read with importlib.resources."""
