"""The warraq test suite, one module per stage."""
