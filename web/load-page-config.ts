import { PAGE_CONFIG_PATH, pageConfigSchema, type PageConfig } from '../shared/contract/page-config.js';

/** The visualiser's `/config.json` (where the broker is, the join address), checked against its schema. */
export async function loadPageConfig(): Promise<PageConfig> {
  const response = await fetch(PAGE_CONFIG_PATH, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${PAGE_CONFIG_PATH}: HTTP ${response.status}`);
  return pageConfigSchema.parse(await response.json());
}
