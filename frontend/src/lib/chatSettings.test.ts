import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, describeSettings, parseTemperature } from './chatSettings'

describe('describeSettings', () => {
  it('names the default model when the chat has none of its own', () => {
    expect(describeSettings(DEFAULT_SETTINGS, 'llama3.1')).toBe('llama3.1')
  })

  it('lists what the chat changed', () => {
    const settings = { model: 'qwen2.5', instructions: 'Be brief.', temperature: 0.3 }
    expect(describeSettings(settings, 'llama3.1')).toBe('qwen2.5 · temperature 0.3 · instructions')
  })

  it('does not count blank instructions', () => {
    expect(describeSettings({ ...DEFAULT_SETTINGS, instructions: '  ' }, null)).toBe('default model')
  })
})

describe('parseTemperature', () => {
  it('reads empty text as the model default', () => {
    expect(parseTemperature(' ')).toEqual({ value: null })
  })

  it('accepts 0 to 2, with a decimal comma too', () => {
    expect(parseTemperature('0')).toEqual({ value: 0 })
    expect(parseTemperature('0,7')).toEqual({ value: 0.7 })
    expect(parseTemperature('2')).toEqual({ value: 2 })
  })

  it('refuses anything else with a message', () => {
    for (const bad of ['2.1', '-1', 'hot', 'NaN']) expect(parseTemperature(bad)).toHaveProperty('error')
  })
})
