// Generates a synthetic corpus for benchmarks (`make bench`): articles built
// from the paragraphs of the articles in raw/, with people, places, dates and
// byte encodings varied, so that no two articles are copies. Deterministic
// for a given seed.
import iconv from 'iconv-lite';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeArticle } from '../build.js';
import { MessageSink } from '../messages.js';

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun', 'Hu', 'Zhu', 'Gao', 'Lin', 'He', 'Guo', 'Ma', 'Luo', 'Dubois', 'Martin', 'Okafor', 'Mensah', 'Silva', 'Kowalski', 'Nakamura', 'Haddad', 'Petrova', 'García'];
const GIVEN = ['Wei', 'Jing', 'Ming', 'Hua', 'Jun', 'Lei', 'Yan', 'Ping', 'Hong', 'Xiaoming', 'Jianguo', 'Lihua', 'Zhiqiang', 'Guoqing', 'Amina', 'Pierre', 'Maria', 'Kwame', 'Elena', 'Hiroshi', 'Fatima', 'Jonas', 'Lucía'];
const PLACES = ['Beijing', 'Shanghai', 'Shenzhen', 'Hangzhou', 'Chengdu', 'Wuhan', 'Nanjing', 'Paris', 'Nairobi', 'Bangkok', 'Canberra', 'Santiago', 'Astana', 'Cairo', 'Jakarta'];
const ENCODINGS: Array<[string, number]> = [['utf-8', 0.7], ['utf-16le', 0.1], ['gb18030', 0.1], ['cp1252-mojibake', 0.05], ['gbk-mojibake', 0.05]];

interface Source {
  paragraphs: string[];
  /** Printed person names (full names and aliases) of the article. */
  people: string[];
  places: string[];
}

async function loadSources(rawDir: string): Promise<Source[]> {
  const sources: Source[] = [];
  for (const name of (await readdir(rawDir)).sort()) {
    const analysis = analyzeArticle({ name, bytes: await readFile(path.join(rawDir, name)) }, new MessageSink(name));
    if (!analysis) continue;
    const { clean, extraction } = analysis;
    const namesOf = (type: string) => [...new Set(extraction.entities.filter((e) => e.type === type).flatMap((e) => [e.name, ...e.aliases]))].sort((a, b) => b.length - a.length);
    sources.push({ paragraphs: clean.paragraphs.map((p) => clean.text.slice(p.start, p.end)), people: namesOf('person'), places: namesOf('place') });
  }
  return sources;
}

function encode(text: string, encoding: string): Buffer {
  switch (encoding) {
    case 'utf-16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    case 'gb18030':
      return iconv.encode(text, 'gb18030');
    case 'cp1252-mojibake':
      return Buffer.from(iconv.decode(Buffer.from(text, 'utf8'), 'windows-1252'), 'utf8');
    case 'gbk-mojibake':
      return Buffer.from(iconv.decode(Buffer.from(text, 'utf8'), 'gbk'), 'utf8');
    default:
      return Buffer.from(text, 'utf8');
  }
}

export async function generateCorpus(rawDir: string, outDir: string, count: number, seed = 1): Promise<void> {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const sources = await loadSources(rawDir);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const source = pick(sources);
    let body = source.paragraphs.slice(1).filter(() => random() < 0.5).join('\n\n') || source.paragraphs.join('\n\n');
    // Replace each printed name by a generated one (longest first, so full names go before surnames).
    for (const person of source.people) body = body.split(person).join(`${pick(GIVEN)} ${pick(SURNAMES)}`);
    for (const place of source.places) if (random() < 0.5) body = body.split(place).join(pick(PLACES));
    const year = 2008 + Math.floor(random() * 18);
    const date = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
    const headline = `${pick(SURNAMES)} ${pick(GIVEN)} meets education officials in ${pick(PLACES)}`;
    const text = random() < 0.5 ? ` date ${date} ${headline}\n\n${body}\n` : `${headline}\n\n${body}\n`;
    let r = random();
    const encoding = ENCODINGS.find(([, share]) => (r -= share) < 0)?.[0] ?? 'utf-8';
    await writeFile(path.join(outDir, `synthetic-${String(i).padStart(6, '0')}.txt`), encode(text, encoding));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [rawDir, outDir, count, seed] = process.argv.slice(2);
  if (!rawDir || !outDir || !count) {
    process.stderr.write('usage: generate-corpus RAW_DIR OUT_DIR COUNT [SEED]\n');
    process.exit(2);
  }
  await generateCorpus(rawDir, outDir, Number(count), Number(seed ?? 1));
}
