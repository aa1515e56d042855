import { useId } from 'react'
import type { Stage } from '../api/types'

const STAGES: { value: Stage; label: string; hint: string }[] = [
  { value: 'answering', label: 'Answering', hint: 'Answers from your documents, with sources' },
  { value: 'test', label: 'Test', hint: 'Free chat with the model, no documents' },
]

/** The chat's stage as a two-option radio group: arrow keys move between the options. */
export function StageSwitch({ stage, onChange, disabled }: { stage: Stage | null; onChange(stage: Stage): void; disabled?: boolean }) {
  const name = useId()
  return (
    <fieldset className="stage-switch" data-testid="stage-switch" data-stage={stage ?? ''} disabled={disabled}>
      <legend className="visually-hidden">Stage</legend>
      {STAGES.map((s) => (
        <label key={s.value} className="stage-option" title={s.hint}>
          <input
            type="radio"
            name={name}
            value={s.value}
            checked={stage === s.value}
            onChange={() => onChange(s.value)}
            data-testid={`stage-${s.value}`}
          />
          <span>{s.label}</span>
        </label>
      ))}
    </fieldset>
  )
}
