"""Ontkoppel Desktop: ontkoppelingstrajecten and koppelingen for the Dutch GP training."""

__version__ = "0.1.0"
APP_NAME = "Ontkoppel Desktop"
