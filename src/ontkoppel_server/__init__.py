"""The institute server: one shared, current picture of the trajecten for the laptops of an institute.

A Django project (settings, urls, wsgi) with one app, `instituut`: accounts and their roles, enrolled laptops, and
trajecten kept as the events the laptops send. The procedure rules are those of `ontkoppel_desktop.core`, the same
code the laptops run; nothing here imports Qt or the SQLCipher store. Installed with the extra "server"; how it
runs and what each role sees is in server/README.md (Dutch).
"""
