/** The sign-up form's rules, kept apart from the page so they are tested without a browser. */
import type { SignupInfo, SignupMode } from '../api/types'

/** Used until `GET /auth/signup` answers (and if it cannot): the server's own policy still decides. */
export const DEFAULT_SIGNUP: SignupInfo = { mode: 'open', min_password_length: 10 }

export interface SignupInput {
  password: string
  inviteCode: string
}

/** Problems the browser can see before asking the server, keyed by field like the server's `errors[]`. */
export function signupProblems(input: SignupInput, info: SignupInfo): Record<string, string> {
  const problems: Record<string, string> = {}
  if (input.password.length < info.min_password_length) {
    problems.password = `Use at least ${info.min_password_length} characters.`
  }
  if (info.mode === 'invite' && !input.inviteCode.trim()) {
    problems.invite_code = 'Enter the invitation code you were given.'
  }
  return problems
}

export function passwordHint(info: SignupInfo): string {
  return `At least ${info.min_password_length} characters, and not a common password.`
}

/** What the page says about who may sign up; null when anyone may. */
export function signupNotice(mode: SignupMode): string | null {
  if (mode === 'closed') return 'Sign-up is closed on this server. Ask its administrator for an account.'
  if (mode === 'invite') return 'This server is invitation-only: enter the code from your invitation.'
  return null
}
