/**
 * The node classes, loaded so that both jest and tsx (the soak) find the TypeScript source.
 * Each node folder holds `X.node.ts` beside its codex file `X.node.json`; Node's CommonJS resolver
 * (which tsx extends) tries `.json` before `.ts`, so an extensionless import would load the codex
 * JSON under tsx. Naming the `.ts` file works in both runners; the types come from the source.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- see above: the extension must be explicit */
export const { Jpo } = require('../../nodes/Jpo/Jpo.node.ts') as typeof import('../../nodes/Jpo/Jpo.node');
export const { PatSnap } = require('../../nodes/PatSnap/PatSnap.node.ts') as typeof import('../../nodes/PatSnap/PatSnap.node');
/* eslint-enable @typescript-eslint/no-require-imports */
