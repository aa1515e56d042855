/**
 * One open chat: its history over HTTP, its live connection over `/chat/ws`, and the actions the view offers.
 * The protocol work (seq, ack, resume, resend) lives in `ChatConnection`; this hook only wires it to React.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react'
import { chatsApi } from '../api/endpoints'
import { ApiError, describeError } from '../api/errors'
import type { Stage } from '../api/types'
import { session } from '../auth/session'
import { newUuid } from '../lib/ids'
import { CLOSE_FORBIDDEN, ChatConnection, type ConnectionStatus } from '../ws/chatConnection'
import { emptyTranscript, transcriptReducer } from './transcript'

export function chatSocketUrl(chatId: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${window.location.host}/chat/ws?chat_id=${encodeURIComponent(chatId)}`
}

/** Mount once per chat (`key={chatId}`): the transcript starts empty and belongs to that chat only. */
export function useChatSession(chatId: string) {
  const [transcript, dispatch] = useReducer(transcriptReducer, emptyTranscript)
  const [status, setStatus] = useState<ConnectionStatus>({ state: 'connecting', attempt: 0, retryAt: null, detail: null })
  const [loadError, setLoadError] = useState<string | null>(null)
  const [stopping, setStopping] = useState(false)
  /** Missing or someone else's: the server answers 404 over HTTP and closes the socket with 4403. */
  const [notFound, setNotFound] = useState(false)
  const conn = useRef<ChatConnection | null>(null)
  const loaded = useRef(false)

  const reload = useCallback(async () => {
    try {
      const history = await chatsApi.history(chatId)
      dispatch({ type: 'history', history })
      loaded.current = true
      setLoadError(null)
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setNotFound(true)
      else setLoadError(describeError(error))
      throw error
    }
  }, [chatId])

  // History loads with the socket's first sync (`onResync`): one fetch, consistent with the frames that follow it.
  useEffect(() => {
    const c = new ChatConnection({
      url: chatSocketUrl(chatId),
      getToken: (force) => session.accessToken(force),
      onFrame: (frame) => {
        dispatch({ type: 'frame', frame })
        if (frame.type === 'answer_done' || frame.type === 'error') setStopping(false)
      },
      onStatus: setStatus,
      onResync: () => reload(),
      onMessageRejected: (clientMsgId, reason) => dispatch({ type: 'rejected', clientMsgId, reason }),
    })
    conn.current = c
    c.start()
    return () => {
      c.dispose()
      conn.current = null
    }
  }, [chatId, reload])

  // A socket that cannot get to its first sync: show the history over HTTP alone (or that the chat does not exist).
  const stalled = status.state === 'reconnecting' || status.state === 'offline' || status.state === 'failed'
  useEffect(() => {
    if (stalled && !loaded.current) reload().catch(() => undefined)
  }, [stalled, reload])

  const refused = status.state === 'failed' && status.closeCode === CLOSE_FORBIDDEN
  useEffect(() => {
    if (refused) setNotFound(true)
  }, [refused])

  // Nothing to connect to: stop reconnecting (the view offers a way back instead of a retry).
  useEffect(() => {
    if (notFound) conn.current?.dispose()
  }, [notFound])

  useEffect(() => {
    if (transcript.reloadNeeded) reload().catch(() => undefined)
  }, [transcript.reloadNeeded, reload])

  const send = useCallback((text: string) => {
    const id = newUuid()
    dispatch({ type: 'send', clientMsgId: id, text })
    conn.current?.send(text, id)
  }, [])

  /** Edit-and-resend: the question `messageId` becomes `text`, and what followed it goes (for every tab). */
  const edit = useCallback((messageId: string, text: string) => {
    const id = newUuid()
    dispatch({ type: 'send', clientMsgId: id, text, replaces: messageId })
    conn.current?.edit(messageId, text, id)
  }, [])

  /** Answers the last question again (its text is kept; the old answer goes). */
  const regenerate = useCallback((messageId: string, text: string) => {
    const id = newUuid()
    dispatch({ type: 'send', clientMsgId: id, text, replaces: messageId })
    conn.current?.regenerate(messageId, id)
  }, [])

  /** Re-sends a question with its own client_msg_id: an edit or regenerate that was not taken goes again as an edit. */
  const retry = useCallback((clientMsgId: string, text: string, replaces?: string | null) => {
    dispatch({ type: 'retry', clientMsgId })
    if (replaces) conn.current?.edit(replaces, text, clientMsgId)
    else conn.current?.send(text, clientMsgId)
  }, [])

  const stop = useCallback(() => {
    if (!conn.current?.stop()) return
    setStopping(true)
    dispatch({ type: 'stop_requested' })
  }, [])

  const setStage = useCallback(
    async (stage: Stage, previous: Stage | null): Promise<string | null> => {
      dispatch({ type: 'stage', stage })
      if (conn.current?.setStage(stage)) return null
      try {
        dispatch({ type: 'stage', stage: (await chatsApi.update(chatId, { stage })).stage })
        return null
      } catch (error) {
        if (previous) dispatch({ type: 'stage', stage: previous })
        return describeError(error)
      }
    },
    [chatId],
  )

  /** Never rejects: a page that cannot be loaded shows as the view's load error. */
  const loadOlder = useCallback(async () => {
    if (transcript.nextBefore === null) return
    try {
      dispatch({ type: 'older', history: await chatsApi.history(chatId, transcript.nextBefore) })
      setLoadError(null)
    } catch (error) {
      setLoadError(describeError(error))
    }
  }, [chatId, transcript.nextBefore])

  return {
    transcript,
    status,
    loadError,
    notFound,
    stopping,
    send,
    edit,
    regenerate,
    retry,
    stop,
    setStage,
    loadOlder,
    reconnect: () => conn.current?.reconnectNow(),
    dismissBanner: () => dispatch({ type: 'dismiss_banner' }),
  }
}
