"""The Lägesbild dashboard: a multi-page Dash app over the store, in Swedish with English available."""
