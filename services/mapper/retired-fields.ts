/**
 * Instrument fields an older INSTRUMENTS_FILE may still hold, with what replaced them: start-up
 * stops with this reason rather than a bare "unrecognized key", or a guess at the new meaning.
 */
export const RETIRED_FIELDS: Readonly<Record<string, string>> = {
  minIntervalMs:
    'retired: replaced by retriggerMs (the same note again sooner than this is dropped; a chord passes) and ' +
    'maxNotesPerSecond (a cap per instrument); set those instead (docs/instruments.md)',
};

/**
 * A parsed INSTRUMENTS_FILE → one problem per retired field (`instruments.5.minIntervalMs:
 * retired: …`), and the file without them for the schema to check the rest.
 */
export function retiredFields(data: unknown): { problems: string[]; rest: unknown } {
  const instruments = (data as { instruments?: unknown } | null)?.instruments;
  if (instruments === null || typeof instruments !== 'object' || Array.isArray(instruments)) {
    return { problems: [], rest: data };
  }
  const problems: string[] = [];
  const kept: Record<string, unknown> = {};
  for (const [key, fields] of Object.entries(instruments as Record<string, unknown>)) {
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
      kept[key] = fields;
      continue;
    }
    const current: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
      const replacement = RETIRED_FIELDS[field];
      if (replacement === undefined) current[field] = value;
      else problems.push(`instruments.${key}.${field}: ${replacement}`);
    }
    kept[key] = current;
  }
  return problems.length === 0
    ? { problems, rest: data }
    : { problems, rest: { ...(data as object), instruments: kept } };
}
