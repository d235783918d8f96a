/**
 * State pseudo-frames our probes append as the leaf of a stack: jit.profile's VM state
 * ("[vm:GC]", "[vm:compiled]"), off-CPU's scheduler state ("[state:R]") and the Lua wait kind
 * ("[wait:ngx.sleep]"). They say what the code under them was doing, so "self" belongs to that
 * code; the states are summed on their own.
 */
const STATE_FRAME = /^\[(vm|state|wait):[^\]]*\]$/;

export function isStateFrame(name: string): boolean {
  return STATE_FRAME.test(name);
}

/** Index of the frame that owns a stack's self weight: the leaf, below any state pseudo-frames. */
export function selfFrameIndex(frames: readonly string[]): number {
  let i = frames.length - 1;
  while (i > 0 && STATE_FRAME.test(frames[i] as string)) i--;
  return i;
}

/** The frame that owns a folded stack's self weight. */
export function selfFrameOf(stack: string): string {
  let end = stack.length;
  for (;;) {
    const start = stack.lastIndexOf(';', end - 1) + 1;
    const frame = stack.slice(start, end);
    if (start === 0 || !STATE_FRAME.test(frame)) return frame;
    end = start - 1;
  }
}
