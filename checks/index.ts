// The eight built-in check modules, one per integration decision, in decision order.
// They register through the same CheckModule interface as external modules.
import type { CheckModule } from '../src/engine/rule';
import identity from './identity';
import scope from './scope';
import secrets from './secrets';
import auditSchema from './audit-schema';
import lifecycle from './lifecycle';
import modelPinning from './model-pinning';
import quota from './quota';
import incidentResponse from './incident-response';

const builtinModules: readonly CheckModule[] = [identity, scope, secrets, auditSchema, lifecycle, modelPinning, quota, incidentResponse];
export default builtinModules;
