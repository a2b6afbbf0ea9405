#!/usr/bin/env node
// Command-line shell around the pure core: reads files, runs the stages,
// writes files, renders messages on stderr, sets the exit code.
import cliProgress from 'cli-progress';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { DatasetAssembler, TallyLedger } from './build.js';
import { fileURLToPath } from 'node:url';
import { clean } from './clean.js';
import { decode } from './decode/index.js';
import { extract } from './extract/index.js';
import { articleId, sha256Hex } from './ids.js';
import { CacheLock, ChunkFolder, PartFolder, StagingPublisher, codeVersion, listInputFolder, manifestEntries, readInputFiles, recoverInterruptedPublish, writeStageOutput } from './io.js';
import { MessageSink, type Message } from './messages.js';
import { prepareValidators } from './validate.js';
import { CHUNK_FILES, MIN_ARTICLES_PER_WORKER, assembleChunk, chunkRequest, processArticles, type Stores } from './parallel.js';

/** Exit codes: 0 success, 1 some input files were rejected, 2 the run itself failed. */
const EXIT_REJECTS = 1;
const EXIT_FAILURE = 2;

function formatMessage(m: Message): string {
  const where = m.start !== undefined ? `:${m.start}` : '';
  const change = m.before !== undefined && m.after !== undefined ? ` ${JSON.stringify(m.before)} → ${JSON.stringify(m.after)}` : '';
  return `${m.severity}: ${m.file ?? '(dataset)'}${where}: [${m.stage}/${m.rule}] ${m.reason}${change}`;
}

/** The first few of a kind on the terminal (the report's listing keeps them), and how many more report.json has. */
function printListed<T>(first: readonly T[], total: number, format: (item: T) => string, kind: string): void {
  for (const item of first) process.stderr.write(`${format(item)}\n`);
  if (total > first.length) process.stderr.write(`… and ${total - first.length} more ${kind} in report.json\n`);
}

async function runBuild(args: { raw: string; out: string; allowRejects: boolean; texts: boolean; progress: boolean; timings: boolean; workers: number; minPerWorker: number; chunkFiles: number; cache: string | null }): Promise<number> {
  const started = performance.now();
  const recovered = await recoverInterruptedPublish(args.out);
  if (recovered === 'restored-previous') process.stderr.write(`note: ${args.out}: an interrupted publish was rolled back to the previous complete output\n`);
  const input = await listInputFolder(args.raw);
  const bar = args.progress
    ? new cliProgress.SingleBar({ format: 'articles [{bar}] {value}/{total} {file}', stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(input.names.length, 0, { file: '' });
  // Unchanged articles come from the per-article cache; only the others go through the stages.
  const lock = args.cache ? await CacheLock.acquire(args.cache) : null;
  if (args.cache && !lock) process.stderr.write(`note: the cache ${args.cache} is in use by another build (${path.join(args.cache, 'build.lock')}); this build runs without it\n`);
  const cache = lock ? await PartFolder.open(args.cache!, await codeVersion(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'))) : null;
  // What this build sees (written as the articles arrive); the last build's is read along where chunks are assembled.
  const manifest = cache?.nextBuild(args.raw, args.texts);
  const publisher = await StagingPublisher.create(args.out);
  const assembler = new DatasetAssembler({ texts: args.texts, rowsInMemory: cache === null }, input.names, publisher);
  let processed = 0;
  /** Chunks assembled in this build (not taken whole from the cache): only then can the cache hold stale entries. */
  let assembledChunks = 0;
  const stores: Stores = { parts: cache, chunks: cache?.chunks() ?? null, scratch: publisher.scratchChunks() };
  const files = { dir: args.raw, names: input.names, previousManifest: cache ? cache.previousManifest(args.raw, args.texts) : null };
  const options = { workers: args.workers, minArticlesPerWorker: args.minPerWorker, chunkFiles: args.chunkFiles, timings: args.progress || args.timings, texts: args.texts };
  const ledger = new TallyLedger((key) => stores.chunks?.tallies(key) ?? null);
  // Chunks assembled (not taken whole) whose tallies a worker thread counted, that were assembled again here.
  const assembledAgain: string[] = [];
  // The entity tables are validated at the end: their validators are compiled while the first chunks are on their way.
  setImmediate(prepareValidators);
  const { threads, tallies } = await processArticles(files, stores, options, (outcome) => {
    processed += outcome.processed;
    if (!outcome.wholeFromCache) assembledChunks++;
    manifest?.addText(outcome.manifestText);
    if (assembler.absorb(outcome, outcome.first)) {
      ledger.chunk(outcome.key, outcome.wholeFromCache, outcome.state.merger);
    } else {
      // A file of this chunk has the same bytes as one an earlier chunk emitted: assembled again, here, knowing it.
      // Its files as this build saw them: unchanged ones are not read again.
      const seen = manifestEntries(outcome.manifestText);
      const request = chunkRequest(outcome.chunk, outcome.first, input.names.slice(outcome.first, outcome.first + outcome.state.files));
      const again = assembleChunk(request, { dir: args.raw, previousOf: (name) => seen.get(name) }, stores, options, assembler.earlierChunksFor(outcome.state));
      if (!assembler.absorb(again, outcome.first)) throw new Error(`internal: chunk ${outcome.chunk} still repeats an earlier chunk's file after being assembled again`);
      // Cached like any chunk (under a key of its own), when there is a cache.
      if (!again.wholeFromCache) assembledChunks++;
      ledger.chunk(again.key, again.wholeFromCache, again.state.merger);
      if (again.key !== null) manifest?.addChunk(again.key);
      if (!outcome.wholeFromCache) assembledAgain.push(outcome.location);
    }
    // Kept even when assembled again: the same files will meet the same earlier chunk next time.
    if (outcome.key !== null) manifest?.addChunk(outcome.key);
    bar?.increment(outcome.state.files, { file: input.names[outcome.first + outcome.state.files - 1] ?? '' });
  });
  for (const sum of tallies) ledger.addSums(sum);
  // The worker threads counted the chunks assembled again as they first were (their tallies are stored with them).
  if (threads > 0) {
    for (const location of assembledAgain) {
      const counted = ChunkFolder.talliesAt(location);
      if (!counted) throw new Error(`internal: the entity tallies of ${location} cannot be read`);
      ledger.takeAway(counted);
    }
  }
  const { total, snapshot, sameChunks } = ledger.finish(cache ? cache.previousTallies(args.raw, args.texts) : null);
  assembler.setTallies(total);
  manifest?.commit(snapshot);
  // Entries become stale only when the chunks changed (one assembled, or one of the last build's gone). They
  // are removed while the output is finished (which reads only current chunks), and waited for at the end.
  const pruning = cache && (assembledChunks > 0 || !sameChunks) && !lock!.lost ? cache.prune() : null;
  pruning?.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  bar?.stop();
  assembler.skip(input.skipped);
  const articlesMs = performance.now() - started;
  const t0 = performance.now();
  const listing = await assembler.finish();
  const { summary } = listing.head;
  const finishMs = performance.now() - t0;
  const t1 = performance.now();
  await publisher.commit();
  await pruning;
  await cache?.discarded();
  if (lock?.lost) process.stderr.write(`note: another build took the cache ${args.cache} while this one ran; it was not pruned\n`);
  await lock?.release();
  const commitMs = performance.now() - t1;

  printListed(listing.rejected, listing.totals.rejected, (r) => `error: ${path.join(args.raw, r.file)}: rejected [${r.rule}] ${r.reason}`, 'rejected files');
  printListed(listing.errors, listing.totals.errors, formatMessage, 'errors');
  printListed(listing.warnings, listing.totals.warnings, formatMessage, 'warnings');
  if (args.progress || args.timings) {
    const parts = Object.entries(assembler.timings).map(([stage, ms]) => `${stage} ${ms.toFixed(0)} ms`);
    parts.push(`articles ${articlesMs.toFixed(0)} ms`, `finish ${finishMs.toFixed(0)} ms`, `commit ${commitMs.toFixed(0)} ms`);
    process.stderr.write(
      `${summary.emitted} articles emitted, ${summary.rejected} rejected, ${summary.skipped} skipped → ${args.out} (${processed} processed, ${input.names.length - processed} from the cache; ${threads === 0 ? 'in the main thread' : `${threads} worker threads`}; ${assembledChunks} chunks assembled; entity tallies of ${ledger.read} cached chunks read)\ntimings: ${parts.join(', ')}\n`,
    );
  }
  if (summary.rejected > 0 && !args.allowRejects) {
    process.stderr.write(`${summary.rejected} input file(s) rejected (listed in ${path.join(args.out, 'report.json')}); the good articles were published. Fix or remove them, or accept with --allow-rejects (make ALLOW_REJECTS=1).\n`);
    return EXIT_REJECTS;
  }
  return 0;
}

/** Runs one file through the stages up to `until` for inspection. */
async function runStage(until: 'decode' | 'clean' | 'extract', files: string[], out: string | undefined): Promise<number> {
  let failed = 0;
  for (const file of await readInputFiles(files)) {
    const sha = sha256Hex(file.bytes);
    const sink = new MessageSink(file.name, articleId(sha));
    const decoded = decode(file.bytes, sink);
    let output: string | null = decoded?.text ?? null;
    if (decoded && until !== 'decode') {
      const cleaned = clean({ article_id: articleId(sha), source_file: file.name, text: decoded.text }, sink);
      output = cleaned ? `${cleaned.text}\n` : null;
      if (cleaned && until === 'extract') output = `${JSON.stringify({ article: cleaned, extraction: extract(cleaned, sink) }, null, 2)}\n`;
      if (cleaned && until === 'clean') {
        process.stderr.write(`${file.name}: title (${cleaned.title_source}): ${cleaned.title}; date_published: ${cleaned.date_published ?? '(none)'}\n`);
      }
    }
    for (const m of sink.messages) process.stderr.write(`${formatMessage(m)}\n`);
    if (output === null) {
      failed++;
      continue;
    }
    if (out) await writeStageOutput(out, until === 'extract' ? `${file.name}.json` : file.name, output);
    else process.stdout.write(output);
  }
  return failed > 0 ? EXIT_REJECTS : 0;
}

async function main(): Promise<number> {
  let exitCode = 0;
  const stageCommand = (name: 'decode' | 'clean' | 'extract', what: string) => ({
    command: `${name} <files..>`,
    describe: what,
    builder: (y: ReturnType<typeof yargs>) =>
      y
        .positional('files', { type: 'string', array: true, demandOption: true, describe: 'article files' })
        .option('out', { alias: 'o', type: 'string', describe: 'write each result to this folder under the same name (default: stdout)' }),
    handler: async (argv: { files?: string[]; out?: string }) => {
      exitCode = await runStage(name, argv.files ?? [], argv.out);
    },
  });
  await yargs(hideBin(process.argv))
    .scriptName('unesco-edu-pipeline')
    .usage('$0 [build] [--raw DIR] [--out DIR]\n\nBuilds the China–UNESCO education dataset from the articles in --raw into --out.')
    .command({
      command: ['build', '$0'],
      describe: 'decode, clean, extract, validate and publish every article of --raw into --out',
      builder: (y) =>
        y
          .option('raw', { alias: 'r', type: 'string', default: 'raw', describe: 'input folder with the raw article files' })
          .option('out', { alias: 'o', type: 'string', default: 'out', describe: 'output folder (replaced atomically as a whole)' })
          .option('allow-rejects', { type: 'boolean', default: false, describe: 'exit 0 even when some input files are rejected (they are still listed in report.json)' })
          .option('texts', { type: 'boolean', default: true, describe: 'publish the article texts (articles.text); --no-texts publishes everything else (offsets and source_sha256 stay) for sources that cannot be redistributed' })
          .option('progress', { type: 'boolean', default: Boolean(process.stderr.isTTY), describe: 'progress bar and per-stage timings on stderr (default: when stderr is a terminal)' })
          .option('timings', { type: 'boolean', default: false, describe: 'print per-stage timings on stderr even without a terminal (benchmarks)' })
          .option('cache', { type: 'string', default: '.cache', describe: 'folder of the per-article cache (keyed by raw bytes and the code version); --no-cache to disable' })
          .option('workers', {
            alias: 'j',
            type: 'number',
            default: availableParallelism(),
            describe: `worker threads for the per-article stages (default: one per core, ${availableParallelism()} here; 1: none). The output does not depend on it`,
          })
          .option('chunk-files', {
            type: 'number',
            default: CHUNK_FILES,
            describe: 'input files per chunk on average: the unit the cache keeps above the article (a changed file assembles its chunk again). The output does not depend on it',
          })
          .option('min-per-worker', {
            type: 'number',
            default: MIN_ARTICLES_PER_WORKER,
            describe: 'use worker threads only with at least this many articles per thread: below it, starting threads costs more than it saves',
          }),
      handler: async (argv) => {
        exitCode = await runBuild({ raw: argv.raw, out: argv.out, allowRejects: argv['allow-rejects'], texts: argv.texts, progress: argv.progress, timings: argv.timings, cache: typeof argv.cache === 'string' && argv.cache !== '' ? argv.cache : null, workers: Math.max(1, Math.floor(argv.workers)), minPerWorker: argv['min-per-worker'], chunkFiles: argv['chunk-files'] });
      },
    })
    .command(stageCommand('decode', 'write each file decoded to UTF-8 with mojibake repaired (nothing cleaned); repairs on stderr'))
    .command(stageCommand('clean', 'write each file decoded and cleaned (the text that offsets refer to)'))
    .command(stageCommand('extract', 'print each file’s cleaned article and its extraction as JSON'))
    .strict()
    .help()
    .version()
    .fail((message, error, y) => {
      if (error) throw error;
      process.stderr.write(`${y.help()}\n\n${message}\n`);
      process.exit(EXIT_FAILURE);
    })
    .parseAsync();
  return exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT_FAILURE;
  },
);
