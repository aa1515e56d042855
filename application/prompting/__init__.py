"""Prompt building: what the model is told, what fits its context window, and which passages it cited."""

from application.prompting.citations import CitationScanner, cited_numbers, cited_passages
from application.prompting.prompt_builder import PromptLimits, build_completion_request
from application.prompting.token_budget import (
    TokenBudget,
    TokenCounter,
    count_message_tokens,
    estimate_tokens,
)

__all__ = [
    "CitationScanner",
    "PromptLimits",
    "TokenBudget",
    "TokenCounter",
    "build_completion_request",
    "cited_numbers",
    "cited_passages",
    "count_message_tokens",
    "estimate_tokens",
]
