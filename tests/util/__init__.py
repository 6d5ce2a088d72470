"""Tests of the small utilities."""
