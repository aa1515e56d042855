/** What the admin page may offer for each account and invitation (the server enforces the same rules). */
import type { Invitation, InvitationStatus, User } from '../api/types'

export type UserAction = 'disable' | 'enable' | 'delete'

/** The administrator's own account (and any administrator) cannot be disabled or deleted. */
export function actionsFor(user: User): UserAction[] {
  if (user.role === 'admin') return []
  return user.disabled ? ['enable', 'delete'] : ['disable', 'delete']
}

export function userStatus(user: User): 'active' | 'disabled' {
  return user.disabled ? 'disabled' : 'active'
}

/** A sign-up link that fills the code in: `#/signup/<code>` on this server. */
export function invitationLink(code: string, origin: string): string {
  return `${origin.replace(/\/$/, '')}/#/signup/${encodeURIComponent(code)}`
}

const STATUS_TEXT: Record<InvitationStatus, string> = { pending: 'waiting', used: 'used', expired: 'expired' }

export function invitationStatusText(invitation: Invitation): string {
  return STATUS_TEXT[invitation.status]
}

/** Only an invitation nobody has used yet is worth revoking; used and expired ones can still be removed. */
export function revokeLabel(invitation: Invitation): string {
  return invitation.status === 'pending' ? 'Revoke' : 'Remove'
}
