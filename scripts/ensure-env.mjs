#!/usr/bin/env node
// Run before `npm start`: makes sure the services have a password the audience does not know.
// If SERVICE_PASSWORD is neither in the environment nor in .env, a random one is appended to
// .env (created readable by its owner only). The password itself is never printed.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const envFile = resolve(process.argv[2] ?? '.env');
const inFile = existsSync(envFile) && /^\s*SERVICE_PASSWORD\s*=\s*\S/m.test(readFileSync(envFile, 'utf8'));

if (process.env.SERVICE_PASSWORD || inFile) process.exit(0);

const text = existsSync(envFile) ? readFileSync(envFile, 'utf8') : '';
const separator = text === '' || text.endsWith('\n') ? '' : '\n';
appendFileSync(
  envFile,
  `${separator}# Created by npm start: the password services log in with (the audience cannot). Keep it secret.\n` +
    `SERVICE_PASSWORD=${randomBytes(24).toString('base64url')}\n`,
  { mode: 0o600 },
);
console.log(`created a random SERVICE_PASSWORD in ${envFile}`);
