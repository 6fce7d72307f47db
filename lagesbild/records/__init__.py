"""The project's own records: decisions and actions, risks, change requests, budget and the police's classification.

Import from the modules (register, report, budget, importer, kinds, words, access, errors); see README.md here.
Nothing is imported at package level, so `lagesbild --help` stays quick.
"""
