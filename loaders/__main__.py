"""`python -m loaders` is the `lagesbild` command."""

from lagesbild.cli import main

main()
