import { writeFileSync } from 'node:fs';
import { instrumentsJsonSchema, INSTRUMENTS_SCHEMA_PATH } from './instruments-json-schema.js';

// `npm run schema`: regenerates the shipped JSON Schema after the instrument schema changes.
writeFileSync(INSTRUMENTS_SCHEMA_PATH, instrumentsJsonSchema());
process.stdout.write(`wrote ${INSTRUMENTS_SCHEMA_PATH}\n`);
