"""Loaders: read, normalise, conform and write each kind of data into the store."""
