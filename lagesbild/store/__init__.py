"""The one store: schema, engine and migrations, imported by loaders and dashboard alike."""
