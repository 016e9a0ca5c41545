/** One edit of a fuzzed file: flip a bit, set a byte, cut the file there, or delete `length` bytes there. */
export type ByteMutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'cut'; at: number }
  | { kind: 'splice'; at: number; length: number };

/**
 * `bytes` with the mutations applied in order (positions taken modulo the current length); the input is not
 * changed. Backends' fuzz tests feed it from a fast-check arbitrary of {@link ByteMutation}s.
 */
export function mutateBytes(bytes: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  let out = bytes.slice();
  for (const m of mutations) {
    const at = m.at % Math.max(1, out.length);
    if (m.kind === 'flip') out[at] = out[at]! ^ (1 << m.bit);
    else if (m.kind === 'byte') out[at] = m.value;
    else if (m.kind === 'cut') out = out.slice(0, at);
    else out = new Uint8Array([...out.subarray(0, at), ...out.subarray(at + m.length)]);
  }
  return out;
}
