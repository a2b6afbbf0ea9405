// Generates pipeline/extract/geo/gazetteer.generated.txt: the place index the
// extract stage builds from country-state-city, world-countries and
// pipeline/extract/geo/*.json, written out so that each process reads it in
// milliseconds instead of building it (about a second). The file carries a
// fingerprint of those inputs; places.ts ignores a file that does not match
// them and builds the index itself, so a stale file never changes results.
//
// Usage: npx tsx pipeline/tools/generate-gazetteer.ts [output file]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePlaceIndexFile } from '../extract/places.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const GAZETTEER_PATH = path.join(root, 'pipeline/extract/geo/gazetteer.generated.txt');

const output = process.argv[2] ? path.resolve(process.argv[2]) : GAZETTEER_PATH;
writeFileSync(output, generatePlaceIndexFile());
process.stdout.write(`wrote ${path.relative(process.cwd(), output)}\n`);
