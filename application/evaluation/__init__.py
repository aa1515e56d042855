"""Retrieval evaluation: BEIR-layout datasets and the standard ranking metrics, as pure functions."""
