/** The chat's model, instructions and temperature: a summary in the header and a dialog to change them. */
import { useEffect, useId, useState } from 'react'
import { chatsApi, modelsApi } from '../api/endpoints'
import { describeError } from '../api/errors'
import type { Chat, ChatSettings, ModelList } from '../api/types'
import { Dialog } from '../components/Dialog'
import { DEFAULT_SETTINGS, MAX_INSTRUCTIONS, describeSettings, parseTemperature } from '../lib/chatSettings'

export function SettingsControl({ chat, onChanged }: { chat: Chat | null; onChanged(chat: Chat): void }) {
  const [models, setModels] = useState<ModelList | null>(null)
  const [editing, setEditing] = useState(false)
  const settings = chat?.settings ?? DEFAULT_SETTINGS

  useEffect(() => {
    const abort = new AbortController()
    modelsApi.list(abort.signal).then(setModels, () => setModels(null))
    return () => abort.abort()
  }, [editing])

  return (
    <div className="scope-area">
      <span className="muted small">Model</span>{' '}
      <button
        type="button"
        className="scope-button"
        data-testid="chat-settings"
        disabled={!chat}
        onClick={() => setEditing(true)}
        title="Choose the model, instructions and temperature of this chat"
      >
        {describeSettings(settings, models?.default ?? null)}
      </button>
      {editing && chat && (
        <SettingsDialog chat={chat} settings={settings} models={models} onClose={() => setEditing(false)} onSaved={onChanged} />
      )}
    </div>
  )
}

interface SettingsDialogProps {
  chat: Chat
  settings: ChatSettings
  models: ModelList | null
  onClose(): void
  onSaved(chat: Chat): void
}

function SettingsDialog({ chat, settings, models, onClose, onSaved }: SettingsDialogProps) {
  const [model, setModel] = useState(settings.model ?? '')
  const [instructions, setInstructions] = useState(settings.instructions)
  const [temperature, setTemperature] = useState(settings.temperature === null ? '' : String(settings.temperature))
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const ids = { model: useId(), instructions: useId(), temperature: useId() }
  const parsed = parseTemperature(temperature)
  const listed = models?.items ?? []
  const choices = model && !listed.includes(model) ? [...listed, model] : listed

  const save = async (next: ChatSettings) => {
    setBusy(true)
    setError(null)
    try {
      onSaved(await chatsApi.update(chat.id, { settings: next }))
      onClose()
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const submit = () => {
    if ('error' in parsed) return setError(parsed.error)
    void save({ model: model || null, instructions, temperature: parsed.value })
  }

  return (
    <Dialog
      title="Chat settings"
      onClose={onClose}
      testId="settings-dialog"
      footer={
        <>
          <button type="button" className="button button-quiet" onClick={() => void save(DEFAULT_SETTINGS)} disabled={busy}>
            Reset to defaults
          </button>
          <button type="button" className="button button-primary" data-testid="save-settings" onClick={submit} disabled={busy}>
            Save
          </button>
        </>
      }
    >
      {error && (
        <p className="field-error" role="alert" data-testid="settings-error">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor={ids.model}>Model</label>
        <select id={ids.model} data-testid="settings-model" value={model} onChange={(e) => setModel(e.target.value)}>
          <option value="">Default{models ? ` (${models.default})` : ''}</option>
          {choices
            .filter((name) => name !== models?.default)
            .map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.instructions}>Instructions</label>
        <textarea
          id={ids.instructions}
          data-testid="settings-instructions"
          rows={5}
          maxLength={MAX_INSTRUCTIONS}
          value={instructions}
          placeholder="For example: answer in French, in two sentences at most."
          onChange={(e) => setInstructions(e.target.value)}
        />
        <p className="field-hint">
          Added to every question in this chat. {instructions.length} / {MAX_INSTRUCTIONS} characters.
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.temperature}>Temperature</label>
        <input
          id={ids.temperature}
          data-testid="settings-temperature"
          inputMode="decimal"
          value={temperature}
          placeholder="Model default"
          aria-invalid={'error' in parsed}
          onChange={(e) => setTemperature(e.target.value)}
        />
        <p className="field-hint">0 to 2: lower is more focused, higher more varied. Empty: the model's default.</p>
      </div>
    </Dialog>
  )
}
