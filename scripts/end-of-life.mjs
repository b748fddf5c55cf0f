// Compares the end-of-life data (server/src/data/endOfLife.ts) with endoflife.date and prints
// what differs, so the data can be refreshed by hand: check each difference against the
// product's own source (listed in the data), edit the line, update DATA_AS_OF, run the tests.
// Needs the network and a build: npm run build && node scripts/end-of-life.mjs [product-id…]
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const { products, DATA_AS_OF } = require(resolve('out/server/src/data/endOfLife.js'));

/** endoflife.date's date for what the data records: Debian's end of LTS is its "extended support". */
const field = { debian: (r) => r.eoesFrom ?? r.eolFrom };
/** endoflife.date names .NET lines `8`, image tags `8.0`. */
const cycleOf = (product, name) => (product.id === 'dotnet' && /^\d+$/.test(name) ? `${name}.0` : name);

const wanted = process.argv.slice(2);
let differences = 0;
for (const product of products.filter((p) => wanted.length === 0 || wanted.includes(p.id))) {
  let releases;
  try {
    const response = await fetch(`https://endoflife.date/api/v1/products/${product.id}/`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    releases = (await response.json()).result.releases;
  } catch (error) {
    console.log(`${product.id}: not compared (${error.message})`);
    continue;
  }
  for (const release of releases) {
    const cycle = cycleOf(product, String(release.name));
    const eol = (field[product.id] ?? ((r) => r.eolFrom))(release) ?? null;
    const line = product.lines.find((l) => l.cycle === cycle);
    if (!line) {
      console.log(`${product.id} ${cycle}: not in the data (endoflife.date: ${eol ?? 'no date'})`);
      differences++;
    } else if ((line.eol ?? null) !== eol) {
      console.log(`${product.id} ${cycle}: data ${line.eol ?? 'no date'}, endoflife.date ${eol ?? 'no date'}`);
      differences++;
    }
  }
}
console.log(differences === 0
  ? `no differences (data as of ${DATA_AS_OF})`
  : `${differences} difference(s) with endoflife.date (data as of ${DATA_AS_OF}): check each against the product's own source before editing server/src/data/endOfLife.ts`);
