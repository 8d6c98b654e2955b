// The git questions a run asks of each repository root, asked once each and, for a fleet,
// early: the audit starts them as soon as it knows the roots, before it parses the
// manifests, so the git processes run on another core while this one parses.
import { changedBelow, gitLocation, trackedFiles } from './git';

/**
 * Manifests under one root from which git is asked early, and for the whole root's status at
 * once. About a dozen paths per manifest: from here on they would fill more than one
 * pathspec'd status process.
 */
export const wholeStatusFrom = 40;

export class RepoGitQueries {
  private readonly tracked = new Map<string, Promise<string[]>>();
  private readonly changed = new Map<string, Promise<Set<string>>>();

  /**
   * Starts the questions for a fleet's root (in a git work tree). A process start costs this
   * thread a few milliseconds: for a few manifests there is no parsing to hide that behind, and
   * both processes start together later, when gathering.
   */
  start(root: string, manifests: number): void {
    if (manifests < wholeStatusFrom) return;
    const location = gitLocation(root);
    if (!location) return;
    this.trackedFiles(root);
    this.changedBelow(root, location.prefix);
  }

  /** `git ls-files` of the root, started now unless it was already. */
  trackedFiles(root: string): Promise<string[]> {
    return remembered(this.tracked, root, () => trackedFiles(root));
  }

  /** The status of the whole root, started now unless it was already. */
  changedBelow(root: string, prefix: string): Promise<Set<string>> {
    return remembered(this.changed, root, () => changedBelow(root, prefix));
  }

  /** The whole root's status, when it was started (by `start` for a fleet). */
  startedChangedBelow(root: string): Promise<Set<string>> | undefined {
    return this.changed.get(root);
  }
}

function remembered<T>(cache: Map<string, Promise<T>>, root: string, ask: () => Promise<T>): Promise<T> {
  let answer = cache.get(root);
  if (!answer) {
    answer = ask();
    // Started early, a question may fail before anyone awaits it: that is reported where it is
    // awaited, not as an unhandled rejection.
    answer.catch(() => {});
    cache.set(root, answer);
  }
  return answer;
}
