// Bad input (a manifest, the policy file, an evidence bundle, a flag): one value per problem,
// naming the file, line and column, so the CLI can print all of them and exit 2.
export interface InputProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export function formatProblem(p: InputProblem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return `${where}: ${p.message}`;
}

/** Thrown when input cannot be used; the CLI prints every problem and exits 2. */
export class InputError extends Error {
  readonly problems: InputProblem[];

  constructor(problems: InputProblem[] | InputProblem) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = list;
  }
}
