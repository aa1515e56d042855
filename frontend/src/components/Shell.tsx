/** The signed-in frame: skip link, top bar with navigation and account, and the page. */
import type { ReactNode } from 'react'
import type { User } from '../api/types'
import { session } from '../auth/session'
import { href, type Route } from '../lib/router'

const NAV: { page: 'chats' | 'documents' | 'usage' | 'admin'; label: string; adminOnly?: boolean }[] = [
  { page: 'chats', label: 'Chats' },
  { page: 'documents', label: 'Documents' },
  { page: 'usage', label: 'Usage' },
  { page: 'admin', label: 'Admin', adminOnly: true },
]

export function Shell({ user, route, children }: { user: User; route: Route; children: ReactNode }) {
  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault()
        document.getElementById('main')?.focus()
      }}>
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href="#/chats" aria-label="ragchat home">
          <span className="brand-mark" aria-hidden="true">◆</span> ragchat
        </a>
        <nav aria-label="Main" className="nav">
          {NAV.filter((item) => !item.adminOnly || user.role === 'admin').map((item) => (
            <a
              key={item.page}
              href={href(item.page === 'chats' ? { page: 'chats', chatId: null } : { page: item.page })}
              aria-current={route.page === item.page ? 'page' : undefined}
              data-testid={`nav-${item.page}`}
            >
              {item.label}
            </a>
          ))}
        </nav>
        <div className="account">
          <span className="account-email" title={user.email} data-testid="account-email">
            {user.email}
          </span>
          <button type="button" className="button button-small button-quiet" onClick={() => void session.signOut()} data-testid="sign-out">
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} className={route.page === 'chats' ? 'main main-chats' : 'main'}>
        {children}
      </main>
    </div>
  )
}
