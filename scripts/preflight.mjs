#!/usr/bin/env node
// Run by `npm start` after the build, before foreman: a bad setting or a port already taken (a
// second copy of the show) stops here with exit code 2 and one line each, before any service
// starts. Reads .env as foreman will; what the environment sets wins.
import { existsSync } from 'node:fs';
import { preflight } from '../dist/services/preflight.js';

if (existsSync('.env')) process.loadEnvFile('.env');
const problems = await preflight(process.env);
for (const problem of problems) process.stderr.write(`${problem}\n`);
process.exit(problems.length > 0 ? 2 : 0);
