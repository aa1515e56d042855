/**
 * The one way the UI talks HTTP to the API: JSON in and out, bearer auth, problem details as `ApiError`,
 * and a single retry after a silent token refresh when the server says 401.
 */
import { ApiError, problemFrom } from './errors'

export interface TokenProvider {
  /** A valid access token (refreshing first when `force` or when it is about to expire); throws when signed out. */
  accessToken(force?: boolean): Promise<string>
}

let tokens: TokenProvider | null = null

export function setTokenProvider(provider: TokenProvider): void {
  tokens = provider
}

export function tokenProvider(): TokenProvider {
  if (!tokens) throw new ApiError(401, { code: 'invalid_token', detail: 'Not signed in.' })
  return tokens
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  json?: unknown
  query?: Record<string, string | number | undefined | null>
  auth?: boolean
  signal?: AbortSignal
  headers?: Record<string, string>
}

export function urlFor(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams()
  Object.entries(query ?? {}).forEach(([k, v]) => v !== undefined && v !== null && params.set(k, String(v)))
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

/** The response of an authenticated request (refreshing the token once on 401), or `ApiError` when it failed. */
async function send(path: string, options: RequestOptions): Promise<Response> {
  const { method = 'GET', json, query, auth = true, signal } = options
  const attempt = async (forceRefresh: boolean): Promise<Response> => {
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...options.headers }
    if (json !== undefined) headers['Content-Type'] = 'application/json'
    if (auth) headers.Authorization = `Bearer ${await tokenProvider().accessToken(forceRefresh)}`
    try {
      return await fetch(urlFor(path, query), {
        method,
        headers,
        body: json === undefined ? undefined : JSON.stringify(json),
        signal,
      })
    } catch (error) {
      if (signal?.aborted) throw error
      throw new ApiError(0, { code: 'network', detail: 'Cannot reach the server.' })
    }
  }
  let response = await attempt(false)
  if (response.status === 401 && auth) response = await attempt(true)
  if (!response.ok) throw await problemFrom(response)
  return response
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options)
  if (response.status === 204) return undefined as T
  const text = await response.text()
  return (text ? JSON.parse(text) : undefined) as T
}

/** A file (e.g. a stored document) as bytes, fetched with the same authentication as every API call. */
export async function requestBlob(path: string, signal?: AbortSignal): Promise<Blob> {
  const response = await send(path, { signal, headers: { Accept: '*/*' } })
  return response.blob()
}
