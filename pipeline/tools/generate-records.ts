// Generates pipeline/records.generated.ts (the TypeScript record types) from
// schemas/ with json-schema-to-typescript, so types cannot drift from the
// schemas. `make` runs it; tests/schema.test.ts checks the committed file is
// what this produces.
import { compile } from 'json-schema-to-typescript';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TABLE_NAMES } from '../schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const GENERATED_PATH = path.join(root, 'pipeline/records.generated.ts');

function typeName(table: string): string {
  const pascal = table.replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase());
  return `${pascal}Record`;
}

export async function generateRecordTypes(): Promise<string> {
  const parts = [
    '// GENERATED from schemas/*.schema.json by pipeline/tools/generate-records.ts. Do not edit.',
    '',
  ];
  for (const table of TABLE_NAMES) {
    const file = path.join(root, 'schemas', `${table}.schema.json`);
    const schema = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    // The $id is an absolute IRI; resolve the relative $refs against the folder instead.
    delete schema['$id'];
    schema['title'] = typeName(table);
    const ts = await compile(schema as never, typeName(table), {
      cwd: path.join(root, 'schemas'),
      bannerComment: '',
      additionalProperties: false,
      declareExternallyReferenced: false,
      format: false,
      style: { singleQuote: true },
    });
    parts.push(ts.trim(), '');
  }
  return parts.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const check = process.argv.includes('--check');
  const generated = await generateRecordTypes();
  if (check) {
    const current = await readFile(GENERATED_PATH, 'utf8').catch(() => '');
    if (current !== generated) {
      process.stderr.write(`${GENERATED_PATH} is out of date: run make\n`);
      process.exit(1);
    }
  } else {
    await writeFile(GENERATED_PATH, generated);
  }
}
