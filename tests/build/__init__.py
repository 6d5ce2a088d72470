"""Tests of the build stage."""
