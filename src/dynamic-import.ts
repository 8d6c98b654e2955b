// import() of modules outside the bundle: cloud SDKs and external check modules. The bundle
// runs from V8's code cache (src/launch.ts), and functions restored from that cache lose the
// host's dynamic-import hook, so dist/cli.js lends its own; tests and other hosts use import().
type Importer = (specifier: string) => Promise<unknown>;

export function importModule<T = unknown>(specifier: string): Promise<T> {
  const lent = (globalThis as { __agentReadyImport?: Importer }).__agentReadyImport;
  return (lent ? lent(specifier) : import(specifier)) as Promise<T>;
}
