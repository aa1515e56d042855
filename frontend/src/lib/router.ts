/**
 * Hash routing (`#/chats/<id>`): the Litestar app serves `index.html` at `/` and owns every real path for the
 * API, so UI routes never collide with API routes and need no server-side fallback.
 */
import { useEffect, useState } from 'react'

export type Route =
  | { page: 'signin' }
  | { page: 'signup'; code?: string }
  | { page: 'documents' }
  | { page: 'chats'; chatId: string | null }
  | { page: 'usage' }
  | { page: 'admin' }
  | { page: 'unknown' }

/** The hash's path segments, decoded; `null` when one is not valid percent-encoding (a hand-edited link). */
function segments(hash: string): string[] | null {
  try {
    return hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return null
  }
}

/** Never throws: a hash that names no page is the `unknown` page, not a blank app. */
export function parseRoute(hash: string): Route {
  const parts = segments(hash)
  if (parts === null) return { page: 'unknown' }
  switch (parts[0]) {
    case 'signin':
      return { page: 'signin' }
    case 'signup':
      return parts[1] ? { page: 'signup', code: parts[1] } : { page: 'signup' }
    case 'documents':
      return { page: 'documents' }
    case 'chats':
      return { page: 'chats', chatId: parts[1] ?? null }
    case 'usage':
      return { page: 'usage' }
    case 'admin':
      return { page: 'admin' }
    case undefined:
      return { page: 'chats', chatId: null }
    default:
      return { page: 'unknown' }
  }
}

export function href(route: Route): string {
  if (route.page === 'chats') return route.chatId ? `#/chats/${encodeURIComponent(route.chatId)}` : '#/chats'
  if (route.page === 'signup' && route.code) return `#/signup/${encodeURIComponent(route.code)}`
  return `#/${route.page}`
}

export function navigate(route: Route, replace = false): void {
  const target = href(route)
  if (replace) window.history.replaceState(null, '', target)
  else window.location.hash = target
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'))
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash))
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash))
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return route
}
