// Splits a CSV into parts of at most MAX bytes each, at line boundaries, with the header
// line repeated at the top of each part (the 10M-posts run of `.ci/bench --ten-million`:
// one 1.1 GB posts file is over the app's per-file limit, src/protocol.rs MAX_FILE_BYTES).
// The parts are as even as the lines allow; the CSV must have no quoted newline (the
// project's generator writes none).
//
// usage: node tests/e2e/bench/split.mjs IN.csv MAX_BYTES OUT_PREFIX
//   writes OUT_PREFIX-1.csv, OUT_PREFIX-2.csv, … and prints their names and sizes.

import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';

const [input, maxArg, prefix] = process.argv.slice(2);
if (!input || !maxArg || !prefix) throw new Error('usage: split.mjs IN.csv MAX_BYTES OUT_PREFIX');
const max = Number(maxArg);
const size = statSync(input).size;
const fd = openSync(input, 'r');
const chunk = Buffer.alloc(16 << 20);

// The header: the first line.
let n = readSync(fd, chunk, 0, chunk.length, 0);
const headerEnd = chunk.indexOf(10) + 1;
if (headerEnd <= 0 || headerEnd > n) throw new Error(`${input}: no header line`);
const header = Buffer.from(chunk.subarray(0, headerEnd));
const body = size - headerEnd;
const parts = Math.max(1, Math.ceil(body / (max - header.length - (16 << 20))));
const target = Math.ceil(body / parts);

let position = headerEnd;
for (let part = 1; part <= parts; part += 1) {
  const name = `${prefix}-${part}.csv`;
  const out = openSync(name, 'w');
  writeSync(out, header);
  let written = header.length;
  let bodyWritten = 0;
  while (position < size) {
    n = readSync(fd, chunk, 0, chunk.length, position);
    if (n <= 0) break;
    let take = n;
    if (part < parts && bodyWritten + n >= target) {
      // End this part at the first newline at or after the target.
      const cut = chunk.indexOf(10, Math.max(0, target - bodyWritten - 1));
      if (cut >= 0 && cut < n) take = cut + 1;
    }
    writeSync(out, chunk, 0, take);
    written += take;
    bodyWritten += take;
    position += take;
    if (take < n) break;
  }
  closeSync(out);
  if (written > max) throw new Error(`${name}: ${written} bytes, over ${max}`);
  console.log(`${name} ${written} bytes`);
}
closeSync(fd);
