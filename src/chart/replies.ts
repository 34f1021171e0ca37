/** Questions to the worker that wait for its answer, matched by a sequence number. */
export class Replies<T> {
  private seq = 0;
  private waiting = new Map<number, { resolve(v: T): void; reject(e: Error): void }>();

  /** `send` posts the question with its seq; resolves with the answer to that seq. */
  ask(send: (seq: number) => void): Promise<T> {
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      send(seq);
    });
  }

  answer(seq: number, value: T): void {
    const w = this.waiting.get(seq);
    this.waiting.delete(seq);
    w?.resolve(value);
  }

  rejectAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
