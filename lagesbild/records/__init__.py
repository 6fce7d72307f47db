"""The project's own records: decisions and actions, risks, change requests, budget and the police's classification."""
