"""The plain-text report of ``ragchat eval retrieval`` (``--json`` prints the same figures as one object)."""

from __future__ import annotations

from typing import Any

METRICS = ("ndcg@10", "recall@10", "recall@100", "mrr@10")
MODES = ("vector", "keyword", "hybrid")


def format_table(results: dict[str, Any]) -> str:
    lines = [f"{'mode':<8}" + "".join(f"{m:>12}" for m in METRICS)]
    for mode in MODES:
        lines.append(f"{mode:<8}" + "".join(f"{results[mode][m]:>12.4f}" for m in METRICS))
    if "followup" in results:
        lines.append("follow-up questions, searched as a chat turn without a model searches them:")
        for name, figures in results["followup"].items():
            lines.append(f"  {name:<24}" + "".join(f"{figures[m]:>12.4f}" for m in ("ndcg@10", "recall@10")))
    if "decline" in results:
        lines.append("relevance floor (declined shares; off-topic should be high, the others low):")
        lines.append(f"  {'floor':>7}{'off-topic':>12}{'answerable':>12}{'follow-up':>12}")
        configured = results["decline"]["configured"]
        for row in sorted([*results["decline"]["grid"], configured], key=lambda r: r["floor"]):
            mark = "  <- configured" if row is configured else ""
            lines.append(
                f"  {row['floor']:>7.3f}{row['offtopic_declined']:>12.1%}{row['answerable_declined']:>12.1%}"
                f"{row['followup_declined']:>12.1%}{mark}"
            )
    ingest = results["ingest"]
    rate = ingest["chunks"] / ingest["seconds"] if ingest["seconds"] else 0.0
    lines.append(
        f"ingested {ingest['documents']:.0f} documents, {ingest['chunks']:.0f} chunks in "
        f"{ingest['seconds']:.1f} s ({rate:.1f} chunks/s)"
    )
    return "\n".join(lines)
