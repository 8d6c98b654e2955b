// `agent-ready init`: write a starter manifest, never over an existing file.
import { linkSync, rmSync, writeFileSync } from 'node:fs';
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
  writeFileSync(temp, starterManifest(flags.provider as StarterProvider, flags.name));
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
