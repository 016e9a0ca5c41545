import { JpegError } from './errors.js';

// Structural checks of the table segments (T.81 B.2.4). inspect() does not keep the tables, but a segment
// whose inner structure disagrees with its length means the stream is damaged, and a decoder would fail on it
// later anyway; reporting it here, with the offset, is cheaper for the caller.

function corrupt(offset: number, what: string, detail: string): JpegError {
  return new JpegError('E_CORRUPT', `bad ${what} segment at offset ${offset}: ${detail}`);
}

/** DQT: one or more tables of Pq/Tq plus 64 entries of 1 (Pq = 0) or 2 (Pq = 1) bytes. */
export function checkDqt(bytes: Uint8Array, start: number, end: number, offset: number): void {
  let p = start;
  while (p < end) {
    const pq = bytes[p]! >> 4;
    const tq = bytes[p]! & 15;
    if (pq > 1) throw corrupt(offset, 'DQT', `table precision ${pq} (only 0 = 8-bit and 1 = 16-bit exist)`);
    if (tq > 3) throw corrupt(offset, 'DQT', `table id ${tq} (0–3)`);
    const size = 1 + 64 * (pq + 1);
    if (p + size > end) {
      throw corrupt(offset, 'DQT', `table ${tq} needs ${size} bytes but the segment has ${end - p} left`);
    }
    p += size;
  }
}

/**
 * DHT: one or more tables of Tc/Th, 16 code counts and the symbols. The counts must describe a canonical
 * prefix code that leaves the all-ones code word unused (T.81 Annex C); libjpeg rejects tables that do not,
 * so they are corrupt here too.
 */
export function checkDht(bytes: Uint8Array, start: number, end: number, offset: number): void {
  let p = start;
  while (p < end) {
    const tc = bytes[p]! >> 4;
    const th = bytes[p]! & 15;
    if (tc > 1) throw corrupt(offset, 'DHT', `table class ${tc} (0 = DC, 1 = AC)`);
    if (th > 3) throw corrupt(offset, 'DHT', `table id ${th} (0–3)`);
    if (p + 17 > end)
      throw corrupt(offset, 'DHT', `the code counts of table ${tc}/${th} run past the segment`);
    let symbols = 0;
    let code = 0;
    for (let length = 1; length <= 16; length++) {
      const n = bytes[p + length]!;
      symbols += n;
      // `code` is one past the last code word of this length; it must still fit in `length` bits without
      // being all ones, or the lengths cannot form a JPEG prefix code.
      code += n;
      if (code >= 1 << length) {
        throw corrupt(offset, 'DHT', `the code counts of table ${tc}/${th} overflow at length ${length}`);
      }
      code <<= 1;
    }
    if (symbols > 256) throw corrupt(offset, 'DHT', `table ${tc}/${th} has ${symbols} symbols (at most 256)`);
    if (p + 17 + symbols > end) {
      throw corrupt(
        offset,
        'DHT',
        `table ${tc}/${th} has ${symbols} symbols but the segment has ${end - p - 17} left`,
      );
    }
    p += 17 + symbols;
  }
}

/** DAC: pairs of Tc/Tb and a conditioning value (L/U bounds for DC, Kx 1–63 for AC), as libjpeg checks them. */
export function checkDac(bytes: Uint8Array, start: number, end: number, offset: number): void {
  if ((end - start) % 2 !== 0) throw corrupt(offset, 'DAC', `odd payload length ${end - start}`);
  for (let p = start; p < end; p += 2) {
    const tc = bytes[p]! >> 4;
    const tb = bytes[p]! & 15;
    const cs = bytes[p + 1]!;
    if (tc > 1) throw corrupt(offset, 'DAC', `table class ${tc} (0 = DC, 1 = AC)`);
    if (tb > 3) throw corrupt(offset, 'DAC', `table id ${tb} (0–3)`);
    if (tc === 0 && (cs & 15) > cs >> 4) {
      throw corrupt(offset, 'DAC', `DC conditioning L = ${cs & 15} above U = ${cs >> 4}`);
    }
    if (tc === 1 && (cs < 1 || cs > 63)) throw corrupt(offset, 'DAC', `AC conditioning Kx = ${cs} (1–63)`);
  }
}
