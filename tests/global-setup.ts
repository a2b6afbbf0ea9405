// One temporary folder for everything a test run writes (builds, caches, inputs), removed at the
// end of the run: tests/helpers.ts tempDir() creates its folders inside it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'unesco-edu-tests-'));
  process.env['UNESCO_EDU_TEST_TMP'] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
