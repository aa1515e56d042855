/**
 * Wire shapes of the ragchat HTTP API, generated from its OpenAPI document (`frontend/openapi.json`, written by
 * `python -m entrypoints.http.openapi_dump`; `schema.gen.ts` is made from it by `openapi-typescript` in the build).
 * The names below are the UI's for those schemas.
 */
import type { components } from './schema.gen'

type Schemas = components['schemas']

/**
 * A schema as the server sends it: every field present (nested ones too). The document marks fields that have
 * defaults optional because the same schemas describe request bodies; responses always carry them all.
 */
type Received<T> = T extends (infer U)[]
  ? Received<U>[]
  : T extends object
    ? { [K in keyof T]-?: Received<Exclude<T[K], undefined>> }
    : T

export type Role = Schemas['users_Role']
export type User = Received<Schemas['UserOut']>
export type SignupMode = Schemas['SignupMode']
/** `GET /auth/signup`: what the sign-up form offers. */
export type SignupInfo = Received<Schemas['SignupInfo']>
export type InvitationStatus = Schemas['InvitationStatus']
export type Invitation = Received<Schemas['InvitationOut']>
/** `POST /admin/invitations`: the code is in this answer only. */
export type CreatedInvitation = Received<Schemas['CreatedInvitationOut']>
export type TokenPair = Received<Schemas['TokenPair']>
/** What a cookie session gets in the body: the refresh token travels in an HttpOnly cookie instead. */
export type AccessGrant = Received<Schemas['AccessGrant']>
export type DocumentStatus = Schemas['DocumentStatus']
export type DocumentDto = Received<Schemas['DocumentOut']>
/** `GET /documents/{id}/text`: the text as indexed, in sections that share a heading path. */
export type DocumentTextDto = Received<Schemas['DocumentTextOut']>
/** The documents a chat's answers draw on: these ids plus every document with one of these tags; both empty: all. */
export type DocumentScope = Received<Schemas['ScopeBody']>
export type SearchHit = Received<Schemas['PassageOut']>
export type Stage = Schemas['Stage']
export type Chat = Received<Schemas['ChatOut']>
/** How a chat's answers are written; null model/temperature: the server's configured model, the model's default. */
export type ChatSettings = Received<Schemas['ChatSettingsBody']>
export type ModelList = Received<Schemas['ModelList']>
export type Citation = Received<Schemas['Citation']>
export type MessageStatus = Schemas['MessageStatus']
export type MessageDto = Received<Schemas['MessageOut']>
export type ChatHistory = Received<Schemas['ChatHistoryOut']>
export type TokenCounts = Received<Schemas['TokensOut']>
export type ChatUsage = Received<Schemas['ChatUsageOut']>
export type Usage = Received<Schemas['UsageOut']>
/** `POST /admin/reindex`: ready documents queued for re-embedding with the current embedder. */
export type ReindexStarted = Received<Schemas['ReindexStarted']>
/** `GET /admin/reindex`: re-embedding jobs still queued or running, and those that gave up. */
export type ReindexProgress = Received<Schemas['ReindexProgressOut']>

export interface Items<T> {
  items: T[]
}

/** RFC 9457 problem details, as every error response carries them; read from bodies that may be anything. */
export type Problem = Partial<Schemas['Problem']>
