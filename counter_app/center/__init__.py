"""The center: several PCs of one commune center share one queue through NATS JetStream.

`link` is a station's connection (publish its changes, apply the others', claim tickets);
`hub` runs nats-server for the center and enrols stations; `enrol` is the join code and
what travels with it. Nothing here is needed by an all-in-one station.
"""
