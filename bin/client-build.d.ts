/** Types of bin/client-build.js, for the TypeScript that imports it (the e2e setup). */
export declare function clientBuildState(root: string): 'missing' | 'stale' | 'current';
export declare function buildClient(
  root: string,
  options?: { quiet?: boolean },
): { ok: boolean; output: string };
