"""Embedders and the tokenizers that size chunks for them."""
