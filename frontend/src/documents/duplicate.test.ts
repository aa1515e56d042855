import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/errors'
import { duplicateOf } from './duplicate'

describe('duplicate uploads', () => {
  it('reads the existing document from a 409 duplicate_document problem', () => {
    const error = new ApiError(409, {
      status: 409,
      code: 'duplicate_document',
      detail: 'this file is already uploaded as guide.pdf',
      document_id: 'doc-1',
    })
    expect(duplicateOf(error)).toEqual({ documentId: 'doc-1', message: 'This file is already uploaded as guide.pdf' })
  })

  it('ignores every other failure', () => {
    expect(duplicateOf(new ApiError(409, { status: 409, code: 'conflict', detail: 'x' }))).toBeNull()
    expect(duplicateOf(new ApiError(413, { status: 413, code: 'payload_too_large', detail: 'x' }))).toBeNull()
    expect(duplicateOf(new Error('boom'))).toBeNull()
  })
})
