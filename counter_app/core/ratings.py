"""Rules that keep citizens' ratings anonymous, for every report on every station."""

from __future__ import annotations

MIN_RATINGS_FOR_A_RATE = 20
"""The fewest ratings behind a satisfaction figure for one clerk, group or procedure.

A clerk who served three citizens today and reads "Hài lòng 33%" knows who rated them badly:
the rating screen promises citizens that nobody can tell who rated. Below this many ratings a
report shows how many ratings there were, never their average or rate. Groups and procedures
count too, since in a commune one clerk often serves a whole group. 20 is the smallest sample
in which one citizen moves the rate by no more than 5 points. The centre's total is exempt: it
is the figure provinces collect (Decision 766/QĐ-TTg) and names nobody.
"""
