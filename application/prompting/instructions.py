"""The fixed words the model is given: system prompts per stage and how passages are laid out.

Kept apart from the budget logic so the wording can be tuned (and reviewed) without touching the algorithm.
"""

from __future__ import annotations

from domain.documents import Passage
from domain.stages import Stage

ANSWERING_SYSTEM_PROMPT = (
    "You are ragchat, an assistant that answers questions about the user's own documents.\n"
    "Use only the numbered passages given with the question. After every sentence that uses a passage, "
    "cite it with its number in square brackets, like [1] or [2][3]. Never cite a number not given.\n"
    "If the passages do not contain the answer, say that the documents do not say, instead of guessing.\n"
    "When no passage is given, none of the user's documents is relevant: say plainly that their documents do "
    "not cover the question and cite nothing. If the question is about this conversation itself (what was "
    "said, a rephrasing, a summary), answer it from the conversation.\n"
    "Answer in the language of the question, concisely."
)

TEST_SYSTEM_PROMPT = (
    "You are ragchat in test mode: a plain conversation with the language model, without the user's "
    "documents. Answer helpfully and concisely; do not invent citations."
)

SUMMARY_HEADING = "Summary of the conversation so far:"
PASSAGES_HEADING = "Passages from the user's documents:"
NO_PASSAGES_NOTE = "(None of the user's documents covers this question: no passage is given.)"
QUESTION_HEADING = "Question:"


CHAT_INSTRUCTIONS_HEADING = (
    "The user's instructions for this chat (follow them unless they contradict the rules above):"
)


def system_prompt(stage: Stage, summary: str, instructions: str = "") -> str:
    """The stage's rules first, then the chat's own instructions, then the rolling summary: the rules about
    citing only given passages stay in force whatever the instructions say."""
    parts = [ANSWERING_SYSTEM_PROMPT if stage.uses_retrieval else TEST_SYSTEM_PROMPT]
    if instructions := instructions.strip():
        parts.append(f"{CHAT_INSTRUCTIONS_HEADING}\n{instructions}")
    if summary := summary.strip():
        parts.append(f"{SUMMARY_HEADING}\n{summary}")
    return "\n\n".join(parts)


def passage_label(passage: Passage) -> str:
    """Where a passage comes from, as the model (and the reader of a citation) would name it."""
    parts = [passage.filename]
    if passage.page is not None:
        parts.append(f"page {passage.page}")
    if passage.heading_path:
        parts.append(" > ".join(passage.heading_path))
    return ", ".join(parts)


def format_passage(n: int, passage: Passage) -> str:
    return f"[{n}] ({passage_label(passage)})\n{passage.text.strip()}"


def answering_user_message(question: str, numbered_passages: list[str]) -> str:
    body = "\n\n".join(numbered_passages) if numbered_passages else NO_PASSAGES_NOTE
    return f"{PASSAGES_HEADING}\n\n{body}\n\n{QUESTION_HEADING} {question}"
