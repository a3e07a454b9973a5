// Entry point of the `xiangxun` bin.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
