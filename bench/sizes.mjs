// P3: the hydrate bundle's size, raw, gzip (level 9) and brotli (quality 11), from the files
// `cargo leptos build --release` left in the site's pkg folder. Usage: node bench/sizes.mjs DIR
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.argv[2];
const rows = [];
for (const name of readdirSync(dir).sort()) {
  if (!/\.(wasm|js|css)$/.test(name)) continue;
  const raw = readFileSync(join(dir, name));
  rows.push({
    name,
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    }).length,
  });
}
const kb = (n) => (n / 1024).toFixed(1);
const bundle = rows.filter((r) => /\.(wasm|js)$/.test(r.name));
const total = (key) => bundle.reduce((sum, r) => sum + r[key], 0);
for (const r of rows) {
  console.log(`| ${r.name} | ${kb(r.raw)} KB | ${kb(r.gzip)} KB | ${kb(r.brotli)} KB |`);
}
console.log(`| **wasm + JS** | **${kb(total('raw'))} KB** | **${kb(total('gzip'))} KB** | **${kb(total('brotli'))} KB** |`);
