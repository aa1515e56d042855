/** Tokens spent per chat and in total (`GET /me/usage`); says so plainly when the server does not offer it yet. */
import { useEffect, useState } from 'react'
import { usageApi } from '../api/endpoints'
import { ApiError, describeError } from '../api/errors'
import type { Usage } from '../api/types'
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
            <Stat label="Total tokens" value={state.usage.total.total_tokens} />
            <Stat label="Prompt tokens" value={state.usage.total.prompt_tokens} />
            <Stat label="Completion tokens" value={state.usage.total.completion_tokens} />
          </div>
          <section className="card">
            <h2 className="card-title">Per chat</h2>
            {state.usage.chats.length === 0 ? (
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
                        <td className="num">{formatCount(c.prompt_tokens)}</td>
                        <td className="num">{formatCount(c.completion_tokens)}</td>
                        <td className="num">{formatCount(c.total_tokens)}</td>
                      </tr>
                    ))}
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

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="stat">
      <span className="stat-value">{formatCount(value)}</span>
      <span className="stat-label">{label}</span>
    </div>
  )
}
