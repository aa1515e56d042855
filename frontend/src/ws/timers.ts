/** Named one-shot timers, so "is an ack already scheduled?" and "cancel the reconnect" read as what they mean. */
export class Timers<Name extends string> {
  private readonly handles = new Map<Name, ReturnType<typeof setTimeout>>()

  has(name: Name): boolean {
    return this.handles.has(name)
  }

  /** Replaces any timer of the same name. */
  set(name: Name, delayMs: number, run: () => void): void {
    this.clear(name)
    this.handles.set(
      name,
      setTimeout(() => {
        this.handles.delete(name)
        run()
      }, delayMs),
    )
  }

  clear(name: Name): void {
    const handle = this.handles.get(name)
    if (handle !== undefined) clearTimeout(handle)
    this.handles.delete(name)
  }
}
