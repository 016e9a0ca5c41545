// Real photos from fixtures/ bundled with the demo (licences: fixtures/README.md): wallpapers from Debian's
// plasma-workspace-wallpapers shrunk by scripts/make-fixtures.sh, and libjpeg-turbo's own test image.
import cupsUrl from '../../../../fixtures/jpeg/cups-420-q100.jpg?url';
import largeUrl from '../../../../fixtures/jpeg/large-1024x640-420-q90.jpg?url';
import orientedUrl from '../../../../fixtures/jpeg/orient-6-ii.jpg?url';
import progressiveUrl from '../../../../fixtures/jpeg/photo-420-progressive.jpg?url';
import iccUrl from '../../../../fixtures/jpeg/small-icc.jpg?url';
import testorigUrl from '../../../../fixtures/jpeg/testorig.jpg?url';

export interface Sample {
  name: string;
  url: string;
  about: string;
}

/** Photos the editor offers to open. */
export const EDITOR_SAMPLES: readonly Sample[] = [
  { name: 'large-1024x640-420-q90.jpg', url: largeUrl, about: 'water, 1024×640, 4:2:0' },
  { name: 'orient-6-ii.jpg', url: orientedUrl, about: 'EXIF orientation 6 (shown upright)' },
  { name: 'small-icc.jpg', url: iccUrl, about: 'sRGB ICC profile, kept on export' },
  { name: 'testorig.jpg', url: testorigUrl, about: "libjpeg's test image" },
];

/** The benchmark's bundled corpus. */
export const BENCH_SAMPLES: readonly Sample[] = [
  { name: 'large-1024x640-420-q90.jpg', url: largeUrl, about: '1024×640 4:2:0 q90' },
  { name: 'testorig.jpg', url: testorigUrl, about: '227×149 4:2:0' },
  { name: 'cups-420-q100.jpg', url: cupsUrl, about: '160×120 4:2:0 q100' },
  { name: 'photo-420-progressive.jpg', url: progressiveUrl, about: '160×120 progressive' },
];

export async function fetchSample(sample: Sample): Promise<Uint8Array> {
  const response = await fetch(sample.url);
  if (!response.ok) throw new Error(`cannot load ${sample.name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
