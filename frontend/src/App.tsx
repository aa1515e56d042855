/** Picks what to show from the session (restoring / signed out / signed in) and the hash route. */
import { useEffect } from 'react'
import { useSession } from './auth/useSession'
import { Shell } from './components/Shell'
import { navigate, useRoute } from './lib/router'
import { AuthPage } from './pages/AuthPage'
import { ChatsPage } from './pages/ChatsPage'
import { AdminPage } from './pages/AdminPage'
import { DocumentsPage } from './pages/DocumentsPage'
import { UsagePage } from './pages/UsagePage'

export function App() {
  const state = useSession()
  const route = useRoute()
  const signedIn = state.status === 'signed_in'
  const onAuthPage = route.page === 'signin' || route.page === 'signup'

  useEffect(() => {
    if (signedIn && (onAuthPage || route.page === 'unknown')) navigate({ page: 'chats', chatId: null }, true)
  }, [signedIn, onAuthPage, route.page])

  useEffect(() => {
    if (!signedIn) document.title = route.page === 'signup' ? 'Create account · ragchat' : 'Sign in · ragchat'
    else if (route.page === 'documents') document.title = 'Documents · ragchat'
  }, [signedIn, route.page])

  if (state.status === 'restoring') {
    return (
      <main className="splash" id="main" aria-busy="true">
        <p className="muted">Restoring your session…</p>
      </main>
    )
  }
  if (state.status === 'signed_out') {
    return (
      <AuthPage
        key={route.page}
        mode={route.page === 'signup' ? 'signup' : 'signin'}
        notice={state.notice}
        code={route.page === 'signup' ? route.code : undefined}
      />
    )
  }
  return (
    <Shell user={state.user} route={route}>
      {route.page === 'documents' && <DocumentsPage />}
      {route.page === 'usage' && <UsagePage />}
      {route.page === 'admin' && <AdminPage me={state.user} />}
      {route.page === 'chats' && <ChatsPage chatId={route.chatId} />}
    </Shell>
  )
}
