#!/usr/bin/env node
// The qingdan command. The server is written in TypeScript; tsx compiles it as it loads
// (no separate build step for the relay), so `qingdan` works straight from a clone.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/cli.ts');
process.exitCode = await main(process.argv.slice(2));
