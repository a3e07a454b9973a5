// Shape and tree checks for data/regions.json. The file is generated, but it is committed
// and edited by hand now and then, so every load goes through this before use.
import { z } from 'zod';
import type { RegionsFile } from '../domain/types.js';

const CODE = /^\d{6}$/;

const regionSchema = z.object({
  code: z.string().regex(CODE),
  name: z.string().min(1),
  nameTw: z.string().min(1),
  short: z.string().min(2).nullable(),
  parent: z.string().regex(CODE).nullable(),
  // The committed file leaves out `kind: "county"`, `risky: false` and `aliases: []` (the
  // common case) to stay small; the tree checks below still catch a kind left out wrongly.
  kind: z.enum(['province', 'prefecture', 'county']).default('county'),
  risky: z.boolean().default(false),
  aliases: z.array(z.string().min(1)).default([]),
});

const fileSchema = z.object({
  vintage: z.string().min(1),
  regions: z.array(regionSchema).min(1),
});

type Parsed = z.infer<typeof fileSchema>;

/** Tree rules the matcher relies on; returns human-readable problems (empty when fine). */
function treeProblems(file: Parsed): string[] {
  const problems: string[] = [];
  const byCode = new Map<string, Parsed['regions'][number]>();
  for (const r of file.regions) {
    if (byCode.has(r.code)) problems.push(`duplicate code ${r.code}`);
    byCode.set(r.code, r);
  }
  for (const r of file.regions) {
    if (r.kind === 'province') {
      if (r.parent !== null) problems.push(`province ${r.code} has a parent`);
      if (!r.code.endsWith('0000')) problems.push(`province ${r.code} does not end in 0000`);
      continue;
    }
    if (r.parent === null) {
      problems.push(`${r.kind} ${r.code} has no parent`);
      continue;
    }
    const parent = byCode.get(r.parent);
    if (!parent) {
      problems.push(`${r.code}: parent ${r.parent} does not exist`);
      continue;
    }
    // Placeholder layers are gone, so a county may hang straight under its province.
    const allowed = r.kind === 'prefecture' ? ['province'] : ['province', 'prefecture'];
    if (!allowed.includes(parent.kind)) problems.push(`${r.kind} ${r.code} under ${parent.kind} ${parent.code}`);
    if (r.kind === 'prefecture' && !r.code.endsWith('00')) problems.push(`prefecture ${r.code} does not end in 00`);
    if (r.code.slice(0, 2) !== parent.code.slice(0, 2)) problems.push(`${r.code} is filed under another province (${parent.code})`);
    if (r.code === r.parent) problems.push(`${r.code} is its own parent`);
  }
  return problems;
}

/** Parses and checks a regions file; throws with every problem listed. */
export function validateRegionsFile(data: unknown): RegionsFile {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`regions file is malformed: ${first.join('; ')}`);
  }
  const problems = treeProblems(parsed.data);
  if (problems.length > 0) {
    const more = problems.length > 10 ? ` (+${problems.length - 10} more)` : '';
    throw new Error(`regions file is inconsistent: ${problems.slice(0, 10).join('; ')}${more}`);
  }
  return parsed.data;
}
