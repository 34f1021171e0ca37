/**
 * The sidebar's messages, each under a key naming what it is about (a file, a metric): when that
 * thing changes or goes, its message is replaced or cleared, so nothing stale stays on screen.
 * Errors go to one box (role=alert), warnings and notes to another. Text only: file names and
 * lines from files are data, never markup.
 */
export type Level = 'error' | 'warning' | 'info';

export class Messages {
  private entries = new Map<string, { level: Level; text: string }>();

  constructor(
    private errors: HTMLElement,
    private notes: HTMLElement,
  ) {}

  set(key: string, level: Level, text: string): void {
    if (!text) return this.clear(key);
    const old = this.entries.get(key);
    if (old?.level === level && old.text === text) return;
    this.entries.set(key, { level, text });
    this.render();
  }

  get(key: string): string | undefined {
    return this.entries.get(key)?.text;
  }

  clear(key: string): void {
    if (this.entries.delete(key)) this.render();
  }

  /** Clear every message whose key starts with `prefix`. */
  clearAll(prefix: string): void {
    let changed = false;
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) changed = this.entries.delete(k) || changed;
    if (changed) this.render();
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  private render(): void {
    const line = (level: Level, text: string) => {
      const div = document.createElement('div');
      div.className = `message ${level}`;
      div.textContent = text;
      return div;
    };
    const all = [...this.entries.values()];
    this.errors.replaceChildren(...all.filter((m) => m.level === 'error').map((m) => line(m.level, m.text)));
    this.notes.replaceChildren(...all.filter((m) => m.level !== 'error').map((m) => line(m.level, m.text)));
  }
}
