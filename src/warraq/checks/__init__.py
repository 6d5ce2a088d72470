"""The checks stage: translation checks, output verification and translation status."""
