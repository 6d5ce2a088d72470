"""Tests of the translate stage."""
