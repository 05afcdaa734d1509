import { runService } from '../../shared/runtime/run-service.js';
import { mapperEnv } from './config.js';
import { startMapper } from './mapper.js';

await runService('mapper', mapperEnv, startMapper, {
  help: `OpenWest note mapper: publishes a note on <prefix>/notes/N for each value on <prefix>/instruments/N or <prefix>/performer/N.`,
});
