// `agent-ready schema`: the JSON Schema generated from the zod definition.
import * as z from 'zod';
import { manifestSchema, policySchema } from '../manifest/schema';

export function schemaCommand(flags: { policy?: boolean }): number {
  const schema = z.toJSONSchema(flags.policy ? policySchema : manifestSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}
