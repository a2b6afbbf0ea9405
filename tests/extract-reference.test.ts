// The curated reference data is valid against its schema, and it is a supplement:
// every person it lists has a canonical name distinct from its aliases.
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import schema from '../schemas/reference.schema.json' with { type: 'json' };
import vocabulary from '../pipeline/extract/reference/vocabulary.json' with { type: 'json' };
import people from '../pipeline/extract/reference/people.json' with { type: 'json' };
import organizations from '../pipeline/extract/reference/organizations.json' with { type: 'json' };
import events from '../pipeline/extract/reference/events.json' with { type: 'json' };

const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema(schema);

describe('reference data', () => {
  for (const [name, data] of [['vocabulary', vocabulary], ['people', people], ['organizations', organizations], ['events', events]] as const) {
    it(`${name}.json is valid against reference.schema.json#/$defs/${name}`, () => {
      const validate = ajv.getSchema(`reference.schema.json#/$defs/${name}`)!;
      const ok = validate(data);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    });
  }

  it('rejects a person without a country field and an acronym in lower case', () => {
    const person = ajv.getSchema('reference.schema.json#/$defs/people')!;
    expect(person({ people: [{ name: 'Irina Bokova', aliases: [] }] })).toBe(false);
    const org = ajv.getSchema('reference.schema.json#/$defs/organizations')!;
    expect(org({ organizations: [{ name: 'UNESCO', acronym: 'unesco', aliases: [], kind: null, country: null }] })).toBe(false);
  });

  it('keeps misprints printed in sources next to the right name', () => {
    const miculescu = people.people.find((p) => p.name === 'Simona-Mirela Miculescu')!;
    expect(miculescu.aliases).toContain('Simona-Mirera Miculescu');
    const clare = people.people.find((p) => p.name === 'Jason Clare')!;
    expect(clare.aliases).toContain('Jason Claire');
  });
});
