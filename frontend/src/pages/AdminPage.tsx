/** The administrator's page: every account (disable, enable, delete), invitations (create, list, revoke) and
 * re-indexing every document with the current embedder. */
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { actionsFor, invitationLink, invitationStatusText, revokeLabel, userStatus, type UserAction } from '../admin/accounts'
import { ReindexSection } from '../admin/ReindexSection'
import { adminApi } from '../api/endpoints'
import { ApiError, describeError } from '../api/errors'
import type { CreatedInvitation, Invitation, User } from '../api/types'
import { Alert } from '../components/Alert'
import { PageHeading } from '../components/PageHeading'
import { useConfirm } from '../components/useConfirm'
import { formatDate } from '../lib/format'

type Loaded = { users: User[]; invitations: Invitation[] }

const CONFIRM: Record<UserAction, { title: string; message: (email: string) => string; label: string }> = {
  disable: {
    title: 'Disable account',
    message: (email) => `${email} is signed out everywhere and cannot sign in until you enable the account again.`,
    label: 'Disable',
  },
  enable: { title: 'Enable account', message: (email) => `${email} can sign in again.`, label: 'Enable' },
  delete: {
    title: 'Delete account',
    message: (email) =>
      `Delete ${email} with all their documents, chats and usage? This cannot be undone.`,
    label: 'Delete',
  },
}

export function AdminPage({ me }: { me: User }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [forbidden, setForbidden] = useState(false)
  const [created, setCreated] = useState<CreatedInvitation | null>(null)
  const [inviteEmail, setInviteEmail] = useState('')
  const [busy, setBusy] = useState(false)
  const [confirm, dialog] = useConfirm()

  const load = useCallback(async () => {
    try {
      const [users, invitations] = await Promise.all([adminApi.users(), adminApi.invitations()])
      setLoaded({ users, invitations })
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) setForbidden(true)
      else setError(describeError(err))
    }
  }, [])

  useEffect(() => {
    document.title = 'Admin · ragchat'
    void load()
  }, [load])

  const act = async (user: User, action: UserAction) => {
    const text = CONFIRM[action]
    if (!(await confirm({ title: text.title, message: text.message(user.email), confirmLabel: text.label }))) return
    setError(null)
    try {
      if (action === 'disable') await adminApi.disable(user.id)
      else if (action === 'enable') await adminApi.enable(user.id)
      else await adminApi.remove(user.id)
      await load()
    } catch (err) {
      setError(describeError(err))
    }
  }

  const invite = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      setCreated(await adminApi.invite(inviteEmail.trim() || undefined))
      setInviteEmail('')
      await load()
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const revoke = async (invitation: Invitation) => {
    setError(null)
    try {
      await adminApi.revoke(invitation.id)
      if (created?.invitation.id === invitation.id) setCreated(null)
      await load()
    } catch (err) {
      setError(describeError(err))
    }
  }

  if (forbidden || me.role !== 'admin') {
    return (
      <>
        <PageHeading>Admin</PageHeading>
        <Alert kind="info">Only the server’s administrator can manage accounts.</Alert>
      </>
    )
  }

  return (
    <>
      <PageHeading>Admin</PageHeading>
      {error && <Alert testId="admin-error">{error}</Alert>}
      {!loaded && !error && <p className="muted">Loading accounts…</p>}
      {loaded && (
        <>
          <section className="card admin-section">
            <h2 className="card-title">Accounts</h2>
            <div className="table-scroll">
              <table className="usage-table admin-table" data-testid="admin-users">
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {loaded.users.map((user) => (
                    <tr key={user.id} data-testid="admin-user" data-email={user.email}>
                      <th scope="row">
                        {user.email}
                        {user.id === me.id && <span className="muted"> (you)</span>}
                      </th>
                      <td>{user.role}</td>
                      <td data-testid="admin-user-status">{userStatus(user)}</td>
                      <td>{formatDate(user.created_at)}</td>
                      <td>
                        <div className="admin-actions">
                        {actionsFor(user).map((action) => (
                          <button
                            key={action}
                            type="button"
                            className={`button button-small ${action === 'delete' ? 'button-danger' : ''}`}
                            onClick={() => void act(user, action)}
                            data-testid={`admin-${action}`}
                            aria-label={`${CONFIRM[action].label} ${user.email}`}
                          >
                            {CONFIRM[action].label}
                          </button>
                        ))}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section className="card admin-section">
            <h2 className="card-title">Invitations</h2>
            <p className="muted">A code admits one account and expires. It is shown once: copy it or the link now.</p>
            <form className="admin-invite" onSubmit={invite} data-testid="admin-invite-form">
              <div className="field">
                <label htmlFor="invite-email">Invitee’s email (optional)</label>
                <input
                  id="invite-email"
                  type="email"
                  value={inviteEmail}
                  onChange={(e) => setInviteEmail(e.target.value)}
                  data-testid="admin-invite-email"
                />
              </div>
              <button type="submit" className="button button-primary" disabled={busy} data-testid="admin-invite">
                {busy ? 'Creating…' : 'Create invitation'}
              </button>
            </form>
            {created && (
              <Alert kind="info" testId="admin-new-invitation">
                Code: <code data-testid="admin-invite-code">{created.code}</code>
                <br />
                Link: <code>{invitationLink(created.code, window.location.origin)}</code>
              </Alert>
            )}
            {loaded.invitations.length === 0 ? (
              <p className="empty">No invitations yet.</p>
            ) : (
              <div className="table-scroll">
                <table className="usage-table admin-table" data-testid="admin-invitations">
                  <thead>
                    <tr>
                      <th scope="col">For</th>
                      <th scope="col">Status</th>
                      <th scope="col">Expires</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {loaded.invitations.map((invitation) => (
                      <tr key={invitation.id} data-testid="admin-invitation">
                        <th scope="row">{invitation.email ?? 'anyone with the code'}</th>
                        <td>{invitationStatusText(invitation)}</td>
                        <td>{formatDate(invitation.expires_at)}</td>
                        <td>
                          <div className="admin-actions">
                            <button type="button" className="button button-small" onClick={() => void revoke(invitation)}>
                              {revokeLabel(invitation)}
                            </button>
                          </div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <ReindexSection />
        </>
      )}
      {dialog}
    </>
  )
}
