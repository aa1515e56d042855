"""The in-process adapters embedded (one-process) mode runs on: inbox, delivery log, chat locks, frame fan-out,
stop signals, login-attempt limits, the static model list and the CLI's deferred job queue. Same contracts as
their Redis counterparts (the contract tests hold both to them)."""
