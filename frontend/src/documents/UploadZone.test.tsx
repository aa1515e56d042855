import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/errors'
import { UploadZone } from './UploadZone'
import { uploadFailure } from './uploadFailure'
import type { UploadItem } from './useUploads'

const file = { name: 'big.pdf', size: 27 * 1024 * 1024 } as File

function failedRow(error: unknown): string {
  const failure = uploadFailure(error)
  const item: UploadItem = { key: 'k', file, progress: 0, state: 'failed', error: failure.message, retryable: failure.retryable }
  return renderToStaticMarkup(<UploadZone items={[item]} onFiles={() => {}} onRetry={() => {}} onDismiss={() => {}} />)
}

describe('a failed upload row', () => {
  it('names the size limit the server reports and offers no Retry for a file that is too large', () => {
    const tooLarge = new ApiError(413, {
      status: 413,
      code: 'payload_too_large',
      detail: 'the file is larger than the 25 MiB limit',
      retryable: false,
    })
    const html = failedRow(tooLarge)
    expect(html).toContain('Failed: The file is larger than the 25 MiB limit')
    expect(html).not.toContain('upload-retry')
    expect(html).toContain('Dismiss')
    expect(html).not.toContain('<progress')
  })

  it('offers no Retry when the server says the type can never be indexed', () => {
    const unsupported = new ApiError(415, {
      status: 415,
      code: 'unsupported_media_type',
      detail: 'unsupported file type .exe; supported: .docx, .htm, .html, .markdown, .md, .pdf, .text, .txt',
      retryable: false,
    })
    expect(failedRow(unsupported)).not.toContain('upload-retry')
  })

  it('offers Retry when the server says a later attempt may work, and after a network failure', () => {
    const busy = new ApiError(503, { status: 503, code: 'unavailable', detail: 'busy', retryable: true })
    expect(failedRow(busy)).toContain('upload-retry')
    expect(failedRow(new ApiError(0, { code: 'network', detail: 'Cannot reach the server.' }))).toContain('upload-retry')
  })

  it('decides from the status when a proxy answered without problem details', () => {
    const proxy413 = new ApiError(413, { status: 413, title: 'Request Entity Too Large' })
    expect(uploadFailure(proxy413)).toEqual({ message: 'The file is larger than the server accepts.', retryable: false })
    expect(uploadFailure(new ApiError(502, { status: 502, title: 'Bad Gateway' })).retryable).toBe(true)
  })

  it('keeps the progress bar only while uploading', () => {
    const uploading: UploadItem = { key: 'u', file, progress: 0.5, state: 'uploading', error: null }
    const html = renderToStaticMarkup(
      <UploadZone items={[uploading]} onFiles={() => {}} onRetry={() => {}} onDismiss={() => {}} />,
    )
    expect(html).toContain('<progress')
    expect(html).toContain('Uploading 50%')
  })
})
