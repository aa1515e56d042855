/** Tokens spent per chat and in total (`GET /me/usage`): deleted chats as one row so the rows add up to the total,
 * and counts ragchat estimated (the model reported none) marked as estimates. */
import { useEffect, useState } from 'react'
import { usageApi } from '../api/endpoints'
import { ApiError, describeError } from '../api/errors'
import type { TokenCounts, Usage } from '../api/types'
import { Alert } from '../components/Alert'
import { PageHeading } from '../components/PageHeading'
import { formatCount } from '../lib/format'
import { href } from '../lib/router'

type State = { kind: 'loading' } | { kind: 'ready'; usage: Usage } | { kind: 'unavailable' } | { kind: 'error'; message: string }

export function UsagePage() {
  const [state, setState] = useState<State>({ kind: 'loading' })
  useEffect(() => {
    document.title = 'Usage · ragchat'
    usageApi
      .get()
      .then((usage) => setState({ kind: 'ready', usage }))
      .catch((err) =>
        setState(
          err instanceof ApiError && (err.status === 404 || err.status === 405 || err.status === 501)
            ? { kind: 'unavailable' }
            : { kind: 'error', message: describeError(err) },
        ),
      )
  }, [])

  return (
    <>
      <PageHeading>Usage</PageHeading>
      {state.kind === 'loading' && <p className="muted">Loading usage…</p>}
      {state.kind === 'unavailable' && (
        <Alert kind="info">This server does not report token usage yet. Counts will appear here once it does.</Alert>
      )}
      {state.kind === 'error' && <Alert>{state.message}</Alert>}
      {state.kind === 'ready' && (
        <>
          <div className="stats" data-testid="usage-total">
            <Stat label={`Total tokens${estimateSuffix(state.usage.total)}`} value={state.usage.total.total_tokens} />
            <Stat label="Prompt tokens" value={state.usage.total.prompt_tokens} />
            <Stat label="Completion tokens" value={state.usage.total.completion_tokens} />
          </div>
          {state.usage.total.estimated_tokens > 0 && (
            <p className="muted small" data-testid="usage-estimate-note">
              {state.usage.total.estimated_tokens === state.usage.total.total_tokens
                ? 'All of these counts are estimates'
                : `${formatCount(state.usage.total.estimated_tokens)} of these tokens are estimates`}
              : the model did not report its token counts, so ragchat counted them with its own tokenizer (marked ≈).
              A provider may bill a different number.
            </p>
          )}
          <section className="card">
            <h2 className="card-title">Per chat</h2>
            {state.usage.chats.length === 0 && state.usage.deleted_chats.total_tokens === 0 ? (
              <p className="empty">No tokens used yet. Ask something in a chat.</p>
            ) : (
              <div className="table-scroll">
                <table className="usage-table" data-testid="usage-table">
                  <thead>
                    <tr>
                      <th scope="col">Chat</th>
                      <th scope="col" className="num">Prompt</th>
                      <th scope="col" className="num">Completion</th>
                      <th scope="col" className="num">Total</th>
                    </tr>
                  </thead>
                  <tbody>
                    {state.usage.chats.map((c) => (
                      <tr key={c.chat_id}>
                        <th scope="row">
                          <a href={href({ page: 'chats', chatId: c.chat_id })}>{c.title}</a>
                        </th>
                        <Counts counts={c} />
                      </tr>
                    ))}
                    {state.usage.deleted_chats.total_tokens > 0 && (
                      <tr data-testid="usage-deleted-chats">
                        <th scope="row" className="muted">
                          Deleted chats
                        </th>
                        <Counts counts={state.usage.deleted_chats} />
                      </tr>
                    )}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </>
  )
}

/** A count that ragchat estimated reads "≈ 1,234"; the note above the table says what that means. */
function Counts({ counts }: { counts: TokenCounts }) {
  const mark = counts.estimated_tokens > 0 ? '≈ ' : ''
  const title = counts.estimated_tokens > 0 ? `${formatCount(counts.estimated_tokens)} tokens estimated` : undefined
  return (
    <>
      <td className="num">{formatCount(counts.prompt_tokens)}</td>
      <td className="num">{formatCount(counts.completion_tokens)}</td>
      <td className="num" title={title}>
        {mark}
        {formatCount(counts.total_tokens)}
      </td>
    </>
  )
}

function estimateSuffix(counts: TokenCounts): string {
  if (counts.estimated_tokens === 0) return ''
  return counts.estimated_tokens === counts.total_tokens ? ' (estimated)' : ' (partly estimated)'
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="stat">
      <span className="stat-value">{formatCount(value)}</span>
      <span className="stat-label">{label}</span>
    </div>
  )
}
