"""`python -m lagesbild.samples OUTDIR`: write the sample files."""

from lagesbild.samples import main

main()
