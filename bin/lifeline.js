#!/usr/bin/env node
// The `lifeline` command: registers the TypeScript loader, then runs bin/lifeline.ts.
import { register } from 'tsx/esm/api';

register();
await import('./lifeline.ts');
