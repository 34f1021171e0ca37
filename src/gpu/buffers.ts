/**
 * A vertex buffer that is refilled every frame without reallocating GPU storage unless the data
 * outgrows it (then by doubling).
 */
import type { Buffer, Regl } from 'regl';

export class DynamicBuffer {
  readonly buffer: Buffer;
  private capacity = 0; // floats

  constructor(regl: Regl) {
    this.buffer = regl.buffer({ usage: 'dynamic', type: 'float', length: 0 });
  }

  upload(data: Float32Array, floats: number): void {
    if (floats === 0) return;
    const view = data.length === floats ? data : data.subarray(0, floats);
    if (floats > this.capacity) {
      this.capacity = Math.max(floats, this.capacity * 2);
      this.buffer({ usage: 'dynamic', type: 'float', length: this.capacity * 4 });
    }
    this.buffer.subdata(view, 0);
  }

  destroy(): void {
    this.buffer.destroy();
  }
}
