"""Tests of the procedure engine (core/procedure) and the .ics export; no Qt, no store."""
