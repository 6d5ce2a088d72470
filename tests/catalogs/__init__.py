"""Tests of the catalogs stage."""
