// The single place that reads process.env: everything else receives a Config.
import { loadConfig, type Config } from './config.js';

export function configFromProcess(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...process.env, ...overrides });
}
