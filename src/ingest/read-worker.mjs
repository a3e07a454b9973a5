// The entry of the feed reader's worker thread (feed-reader.ts). The bot runs its TypeScript
// through tsx, whose hooks do not reach worker threads on Node 20: they are registered here,
// in the worker, before the task module loads.
import { register } from 'tsx/esm/api';

register();
const { runReadTask } = await import('./read-document.ts');
export default runReadTask;
