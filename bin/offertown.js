#!/usr/bin/env node
// The `offertown` command. The sources are TypeScript, run through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli.ts');
