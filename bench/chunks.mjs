// P3a and P3b from the files on disk: the entry bundle (main wasm, main JS, split loader), each
// lazily loaded area (its own module plus every shared chunk the split manifest lists for it),
// the largest area, and the whole app, in brotli bytes (the .br files the server sends).
// Usage: node bench/chunks.mjs target/site/pkg
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const dir = process.argv[2];
const names = readdirSync(dir);
const brotli = (name) => {
  const br = join(dir, `${name}.br`);
  if (existsSync(br)) return statSync(br).size;
  const raw = readFileSync(join(dir, name));
  return brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
};
const find = (re) => names.find((n) => re.test(n));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const entryFiles = [find(/^owso\.[^.]+\.wasm$|^owso\.wasm$/), find(/^owso\.[^.]+\.js$|^owso\.js$/), find(/^__wasm_split\..*\.js$/)].filter(Boolean);
const entry = entryFiles.reduce((sum, n) => sum + brotli(n), 0);
console.log(`P3a entry (what /track needs: ${entryFiles.join(', ')}): ${kb(entry)} brotli; goal <= 250 KB: ${entry <= 250 * 1024 ? 'met' : 'missed'}`);

const manifestName = find(/^__wasm_split_manifest.*\.json$/);
if (!manifestName) {
  console.log('no split manifest: the bundle is not split');
  process.exit(0);
}
const manifest = JSON.parse(readFileSync(join(dir, manifestName), 'utf8'));
const fileOf = (chunk) => find(new RegExp(`^${chunk.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.[^.]+)?\\.wasm$`));
const areas = Object.entries(manifest).map(([name, chunks]) => {
  const files = chunks.map(fileOf).filter(Boolean);
  return { name: name.replace(/^__/, '').replace(/_\d+$/, ''), files: files.length, bytes: files.reduce((s, f) => s + brotli(f), 0) };
}).sort((a, b) => b.bytes - a.bytes);
console.log('P3b each area on its first visit (its module and the shared chunks it needs):');
for (const a of areas) console.log(`  ${a.name}: ${kb(a.bytes)} brotli in ${a.files} files`);
console.log(`P3b largest area: ${areas[0].name}, ${kb(areas[0].bytes)}`);
const all = names.filter((n) => /\.(wasm|js)$/.test(n)).reduce((s, n) => s + brotli(n), 0);
console.log(`P3b whole app (every wasm and JS file): ${kb(all)} brotli in ${names.filter((n) => /\.(wasm|js)$/.test(n)).length} files`);
