// Writes the GBK bytes of a UTF-8 file (for making GBK fixture pages):
//   npx tsx eval/gbk.ts <utf8-input> <gbk-output>
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeGb18030 } from '../tests/fakes/gbk.js';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: tsx eval/gbk.ts <utf8-input> <gbk-output>');
    process.exitCode = 2;
  } else writeFileSync(output, encodeGb18030(readFileSync(input, 'utf8')));
}
