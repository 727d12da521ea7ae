"""The live video of a session: stream keys, the ingest server's callbacks, the live ladder and
its playlists (decision 17)."""
