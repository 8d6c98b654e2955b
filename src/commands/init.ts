// `agent-ready init`: write a starter manifest, never over an existing file.
import { linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { cloudProviders } from '../manifest/schema';
import { starterManifest, type StarterProvider } from '../manifest/starter';
import { InputError } from '../manifest/input-error';

export function initCommand(flags: { provider: string; name: string; output: string }): number {
  if (!(cloudProviders as readonly string[]).includes(flags.provider)) {
    throw new InputError({ file: '--provider', message: `"${flags.provider}" is not one of ${cloudProviders.join(', ')}` });
  }
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(flags.name)) {
    throw new InputError({ file: '--name', message: `"${flags.name}" should be lowercase words joined by hyphens, e.g. agent-invoice-triage-prod` });
  }
  const target = resolve(flags.output);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    // Like `audit -o`, a missing folder is created; anything else in the way is bad usage.
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(temp, starterManifest(flags.provider as StarterProvider, flags.name));
  } catch (err) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // nothing was written there
    }
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'a parent of this path is a file, not a folder' : `cannot write (${code ?? (err as Error).message})`;
    throw new InputError({ file: flags.output, message: why });
  }
  try {
    // link() fails when the target exists: no check-then-write race, never an overwrite.
    linkSync(temp, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new InputError({ file: flags.output, message: 'already exists; init never overwrites a file (choose another path with -o)' });
    throw err;
  } finally {
    rmSync(temp, { force: true });
  }
  process.stderr.write(`wrote ${flags.output}: replace the example values, then run \`agent-ready audit ${flags.output}\`\n`);
  return 0;
}
