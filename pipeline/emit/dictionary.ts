// out/README.md: the data dictionary, generated from schemas/.
import { TABLES, TABLE_NAMES, dataset } from '../schema.js';

const escapeCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function dataDictionary(version: string): string {
  const lines: string[] = [
    `# ${dataset.title}`,
    '',
    `Version ${version}. ${dataset.description}`,
    '',
    `Licence of the extracted data: ${dataset.licenses[0]!.title} (${dataset.licenses[0]!.path}).`,
    '',
    '## Files',
    '',
    '| file | what |',
    '| --- | --- |',
    ...TABLE_NAMES.map((t) => `| \`csv/${t}.csv\` | ${escapeCell(TABLES[t].description)} |`),
    '| `datapackage.json` | Frictionless Data Package: fields, types, primary and foreign keys, licence, checksums |',
    '| `csv-metadata.json` | W3C CSV on the Web metadata for the same tables |',
    '| `dataset.jsonld` | The whole dataset as one schema.org JSON-LD graph (inline @context) |',
    '| `report.json` | Build report: every input file, emitted or rejected with the reason; every repair and warning |',
    '| `SHA256SUMS` | `sha256sum -c SHA256SUMS` checks every other file |',
    '',
    '## Conventions',
    '',
    '- CSV: UTF-8 without BOM, RFC 4180, header row, `\\n` line ends. An empty cell means "not stated".',
    '- IDs are derived from content, stable across rebuilds, URL-safe and unique across the dataset; `entity_id` names one row of `people`, `organizations`, `places` or `events`.',
    '- Dates are ISO 8601 / EDTF: `2023-07-02`, `2023-11-07/2023-11-12`, `2014-06`, `XXXX-10-21` when the year is not stated. A date the text does not give is empty, never guessed.',
    '- `start`/`end` count Unicode code points in `articles.text`, end exclusive: in Python `text[start:end]` is the evidence.',
    '- List cells are `;`-separated (declared with `separator` in csv-metadata.json).',
    '',
  ];
  for (const name of TABLE_NAMES) {
    const table = TABLES[name];
    lines.push(`## \`${name}\``, '', table.description, '');
    lines.push(`Primary key: ${table.primaryKey.map((k) => `\`${k}\``).join(', ')}.`);
    for (const fk of table.foreignKeys) {
      lines.push(`Foreign key: \`${fk.fields.join(', ')}\` → \`${fk.reference.resource}.${fk.reference.fields.join(', ')}\`.`);
    }
    lines.push('', '| column | type | required | description |', '| --- | --- | --- | --- |');
    for (const c of table.columns) {
      let type: string = c.format === 'date' ? 'date' : c.baseType === 'array' ? `list (\`${c.separator}\`)` : c.baseType;
      if (c.enum) type += `: ${c.enum.map((e) => `\`${e}\``).join(', ')}`;
      lines.push(`| \`${c.name}\` | ${type} | ${c.nullable ? 'no' : 'yes'} | ${escapeCell(c.description)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
