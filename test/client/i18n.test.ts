import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { templates } from '../../client/locales/en.ts';

const CLIENT = new URL('../../client/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'locales' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Every msg(…, { id }) in client/, with the number of ${…} expressions it has. */
function messages(): Map<string, number> {
  const out = new Map<string, number>();
  const re = /msg\(\s*(str`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*')\s*,\s*\{\s*id:\s*'([^']+)'/g;
  for (const file of sources(CLIENT)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(re)) out.set(m[2] as string, (m[1]!.match(/\$\{/g) ?? []).length);
  }
  return out;
}

describe('interface text', () => {
  it('has an English translation for every message, with the same placeholders', () => {
    const used = messages();
    expect(used.size).toBeGreaterThan(50);
    const en = templates as Record<string, unknown>;
    for (const [id, expressions] of used) {
      expect(en[id], `missing English for ${id}`).toBeDefined();
      const t = en[id];
      const count = typeof t === 'string' ? 0 : (t as { values: unknown[] }).values.length;
      expect(count, `placeholders of ${id}`).toBe(expressions);
    }
  });

  it('has every string call through msg() with an id', () => {
    for (const file of sources(CLIENT)) {
      const text = readFileSync(file, 'utf8');
      const calls = text.match(/msg\(/g)?.length ?? 0;
      const withId = text.match(/\{\s*id:\s*'/g)?.length ?? 0;
      expect(withId, file).toBeGreaterThanOrEqual(calls);
    }
  });
});
