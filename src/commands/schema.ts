// `agent-ready schema`: the JSON Schema generated from the zod definition.
import * as z from 'zod';
import { manifestSchema, policySchema } from '../manifest/schema';
import { evidenceBundleSchema } from '../evidence/model';

export function schemaCommand(flags: { policy?: boolean; evidence?: boolean }): number {
  const source = flags.evidence ? evidenceBundleSchema : flags.policy ? policySchema : manifestSchema;
  const schema = z.toJSONSchema(source, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}
