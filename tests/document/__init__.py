"""Tests of the document stage."""
