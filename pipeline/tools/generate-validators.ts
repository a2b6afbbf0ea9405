// Generates dist/pipeline/validators.generated.cjs: the UTF-16-length ajv
// validators of validate.ts as ajv's standalone code, so that each process
// and worker thread loads them in milliseconds instead of compiling them
// (about 0.2 s each). The module carries a fingerprint of the schemas and of
// ajv's version; validate.ts ignores a module that does not match them and
// compiles the validators itself, so a stale file never changes results.
//
// Usage: npx tsx pipeline/tools/generate-validators.ts <output file>
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateValidatorsModule } from '../validate.js';

const output = process.argv[2];
if (!output) throw new Error('usage: generate-validators.ts <output file>');
writeFileSync(path.resolve(output), generateValidatorsModule());
process.stdout.write(`wrote ${path.relative(process.cwd(), path.resolve(output))}\n`);
