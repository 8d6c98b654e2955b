// Why a file the manifest names cannot be judged: `fail` when the repository lacks it
// (missing, a directory, outside the repository), `error` when it exists but could not be
// read or was never gathered (nothing was judged, so nothing may pass).
import type { FileFact } from '../../src/evidence/repo/facts';

export interface FileProblem {
  status: 'fail' | 'error';
  why: string;
}

export function fileProblem(fact: FileFact, opts: { needText?: boolean } = {}): FileProblem | undefined {
  const needText = opts.needText ?? true;
  switch (fact.kind) {
    case 'file':
      if (needText && fact.tooLarge) return { status: 'error', why: 'is too large to read' };
      if (needText && fact.text === undefined) return { status: 'error', why: 'could not be read' };
      return undefined;
    case 'missing':
      return { status: 'fail', why: 'does not exist in the repository' };
    case 'dir':
      return { status: 'fail', why: 'is a directory, not a file' };
    case 'outside':
      return { status: 'fail', why: `is outside the repository${fact.error ? ` (${fact.error})` : ''}` };
    case 'unreadable':
      return { status: 'error', why: `could not be read${fact.error ? ` (${fact.error})` : ''}` };
    case 'unread':
      return { status: 'error', why: 'was not gathered (a rule asked for a file its needs did not declare)' };
  }
}
