/**
 * Whether the browser believes it is online. Chromium keeps an open WebSocket alive when the network goes away
 * (and DevTools/Playwright "offline" emulation does not touch WebSockets at all), so the connection listens to
 * these events to drop and re-establish the socket promptly instead of waiting for a heartbeat timeout.
 */
export interface NetworkSignal {
  isOnline(): boolean
  subscribe(listener: (online: boolean) => void): () => void
}

export const browserNetwork: NetworkSignal = {
  isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
  subscribe(listener) {
    if (typeof window === 'undefined') return () => {}
    const online = () => listener(true)
    const offline = () => listener(false)
    window.addEventListener('online', online)
    window.addEventListener('offline', offline)
    return () => {
      window.removeEventListener('online', online)
      window.removeEventListener('offline', offline)
    }
  },
}

/** A signal that never changes; for tests and non-browser use. */
export const alwaysOnline: NetworkSignal = { isOnline: () => true, subscribe: () => () => {} }
