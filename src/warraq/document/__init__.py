"""The document stage: readers, segmentation and the immutable document model they produce."""
