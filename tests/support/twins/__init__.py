"""In-memory twins of the persistence ports and test doubles, for unit tests and contract tests. Same
semantics as the real adapters; nothing in the product imports them."""
