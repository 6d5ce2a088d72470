"""warraq's benchmark (``make bench``): see benchmarks/README.md."""
