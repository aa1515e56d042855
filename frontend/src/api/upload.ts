/**
 * Document upload over XMLHttpRequest: `fetch` cannot report upload progress, and a per-file progress bar is the
 * point of the upload list.
 */
import { ApiError, problemFrom } from './errors'
import { tokenProvider } from './http'
import type { DocumentDto } from './types'

export interface UploadHandle {
  promise: Promise<DocumentDto>
  abort(): void
}

export function uploadDocument(file: File, onProgress: (fraction: number) => void): UploadHandle {
  let current: XMLHttpRequest | null = null
  let aborted = false

  const attempt = async (forceRefresh: boolean): Promise<{ status: number; body: string }> => {
    const token = await tokenProvider().accessToken(forceRefresh)
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest()
      current = xhr
      xhr.open('POST', '/documents')
      xhr.setRequestHeader('Authorization', `Bearer ${token}`)
      xhr.setRequestHeader('Accept', 'application/json, application/problem+json')
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total)
      xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText })
      xhr.onerror = () => reject(new ApiError(0, { code: 'network', detail: 'Cannot reach the server.' }))
      xhr.onabort = () => reject(new ApiError(0, { code: 'aborted', detail: 'Upload cancelled.' }))
      const form = new FormData()
      form.append('file', file, file.name)
      xhr.send(form)
    })
  }

  const run = async (): Promise<DocumentDto> => {
    let result = await attempt(false)
    if (result.status === 401 && !aborted) {
      onProgress(0)
      result = await attempt(true)
    }
    const response = new Response(result.body || null, { status: result.status })
    if (!response.ok) throw await problemFrom(response)
    onProgress(1)
    return (await response.json()) as DocumentDto
  }

  return {
    promise: run(),
    abort: () => {
      aborted = true
      ;(current as XMLHttpRequest | null)?.abort()
    },
  }
}
