"""`python -m lagesbild`: the same command as `lagesbild`."""

from lagesbild.cli import main

main()
