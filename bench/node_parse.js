// Times Node's untyped JSON.parse of the same bytes catalogue_decode reads (the baseline of
// the "typed decode ≥ 3× faster than JSON.parse" bar). Min-of-N in MB/s.
//
// Usage: node node_parse.js <catalogue.json> [min_seconds=3] [min_runs=20]
// Prints `key=value` lines for bench/run.sh.
'use strict';
const fs = require('fs');

const [file, minSecondsArg, minRunsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node node_parse.js <catalogue.json> [min_seconds] [min_runs]');
  process.exit(2);
}
const bytes = fs.readFileSync(file);
// JSON.parse takes a string: decode the UTF-8 once, outside the timed region (this favours
// Node; response.json() would pay for the decode too).
const text = bytes.toString('utf8');
const minSeconds = Number(minSecondsArg ?? 3);
const minRuns = Number(minRunsArg ?? 20);

let best = Infinity;
let total = 0;
let runs = 0;
let bundles = 0;
let priceTotal = 0;
const deadline = process.hrtime.bigint() + BigInt(Math.round(minSeconds * 1e9));
for (let i = 0; i < 3; i++) JSON.parse(text);  // warm-up: let V8 settle
while (runs < minRuns || process.hrtime.bigint() < deadline) {
  const start = process.hrtime.bigint();
  const page = JSON.parse(text);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  bundles = page.bundles.length;
  priceTotal = 0;
  for (const b of page.bundles) priceTotal += b.price;
  best = Math.min(best, seconds);
  total += seconds;
  runs++;
}
const mb = bytes.length / 1e6;
console.log(`bytes=${bytes.length}`);
console.log(`bundles=${bundles}`);
console.log(`price_total=${priceTotal.toFixed(2)}`);
console.log(`runs=${runs}`);
console.log(`min_ms=${(best * 1e3).toFixed(3)}`);
console.log(`mean_ms=${((total / runs) * 1e3).toFixed(3)}`);
console.log(`mb_per_s=${(mb / best).toFixed(1)}`);
console.log(`node=${process.version}`);
