// Lit announces its development build once on the console; the test config fails on any
// console output. Mark that one notice as already given (Lit's own mechanism); every other
// Lit warning still shows, and fails the test.
(globalThis as { litIssuedWarnings?: Set<string> }).litIssuedWarnings ??= new Set(['dev-mode']);
export {};
