// The committed server results, bundled at build time (Vite reads bench/results/ when the page is built).
const json = import.meta.glob('../../../../bench/results/*.json', { eager: true, import: 'default' });
const markdown = import.meta.glob('../../../../bench/results/*.md', {
  eager: true,
  query: '?raw',
  import: 'default',
});

export interface ServerResultFile {
  /** File name without extension, e.g. 'full' or 'gpu-h200-decode'. */
  name: string;
  data?: unknown;
  markdown?: string;
}

const baseName = (path: string) => path.replace(/^.*\//, '').replace(/\.(json|md)$/, '');

export const SERVER_RESULTS: readonly ServerResultFile[] = (() => {
  const files = new Map<string, ServerResultFile>();
  const entry = (path: string) => {
    const name = baseName(path);
    let file = files.get(name);
    if (!file) files.set(name, (file = { name }));
    return file;
  };
  for (const [path, data] of Object.entries(json)) entry(path).data = data;
  for (const [path, text] of Object.entries(markdown)) entry(path).markdown = text as string;
  return [...files.values()].sort((a, b) => a.name.localeCompare(b.name));
})();
