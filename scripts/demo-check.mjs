// Smoke check of the served demo (scripts/demo.sh --check): both pages answer, and every script and stylesheet
// they load is there. Waits up to 60 s for the server to come up.
//   node scripts/demo-check.mjs http://127.0.0.1:5173/
const base = process.argv[2];
const deadline = Date.now() + 60_000;

async function get(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

for (;;) {
  try {
    await get(base);
    break;
  } catch (error) {
    if (Date.now() > deadline) throw new Error(`the demo did not come up at ${base}: ${error.message}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
for (const page of ['', 'bench.html']) {
  const html = await get(new URL(page, base));
  const assets = [...html.matchAll(/(?:src|href)="(\.?\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  if (assets.length === 0) throw new Error(`${page || 'index'}: no built scripts referenced`);
  for (const asset of assets) await get(new URL(asset, base));
  console.log(`demo: ${new URL(page, base).href} ok (${assets.length} assets)`);
}
