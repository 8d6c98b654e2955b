// Loaded with `node --import`: records every module URL the process resolves into the file
// named by MODULE_SPY_OUT, so tests can assert what a command did (not) load.
import { register } from 'node:module';

register('./module-spy-hooks.mjs', import.meta.url, { data: { out: process.env.MODULE_SPY_OUT } });
