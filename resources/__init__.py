"""Data shipped with the program: catalogue, translations, icons, sounds.

A package so that an installed copy finds its data with importlib.resources.
"""
