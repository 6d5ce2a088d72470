"""The build stage: the pipeline from catalogs to editions, its incremental state, and watch."""

from warraq.build.pipeline import BuildOptions, build

__all__ = ["BuildOptions", "build"]
