import type { ConnectionStatus } from '../ws/chatConnection'

const LABEL: Record<ConnectionStatus['state'], string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  failed: 'Disconnected',
  closed: 'Closed',
}

/** Live connection state of the chat socket, with a way to retry at once when it is down. */
export function ConnectionIndicator({ status, onReconnect }: { status: ConnectionStatus; onReconnect(): void }) {
  const canRetry = status.state === 'reconnecting' || status.state === 'failed'
  return (
    <div className="connection" data-state={status.state}>
      <span
        className="connection-label"
        role="status"
        data-testid="connection-indicator"
        data-state={status.state}
        title={status.detail ?? undefined}
      >
        <span className="connection-dot" aria-hidden="true" />
        {LABEL[status.state]}
      </span>
      {canRetry && (
        <button type="button" className="link-button" onClick={onReconnect}>
          Retry now
        </button>
      )}
    </div>
  )
}
