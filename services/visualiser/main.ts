import { runService } from '../../shared/runtime/run-service.js';
import { visualiserEnv } from './config.js';
import { startVisualiser } from './visualiser.js';

await runService('visualiser', visualiserEnv, startVisualiser, {
  help: `OpenWest visualiser: serves the web page (lanes, piano roll, sound, play pad) and prints its address and a QR code.`,
});
