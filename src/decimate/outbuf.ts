/**
 * A growable float32 output for the worker's per-view vertices. Its ArrayBuffer is transferred
 * to the main thread with the frame and handed back with the next view request, so steady-state
 * panning allocates nothing on either side.
 */
export class F32Out {
  data: Float32Array;
  length = 0;

  constructor(buffer?: ArrayBuffer) {
    this.data = new Float32Array(buffer ?? new ArrayBuffer(1 << 16));
  }

  /** Make room for k more floats. */
  reserve(k: number): Float32Array {
    const need = this.length + k;
    if (need > this.data.length) {
      const next = new Float32Array(Math.max(need, this.data.length * 2));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    return this.data;
  }
}
