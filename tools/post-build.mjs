// Trunk post-build hook (see Trunk.toml), run by `trunk build` and `trunk serve`:
// 1. allows trunk's inline loader script in index.html's Content-Security-Policy by its
//    SHA-256 hash (the script names the hashed bundle files, so the hash changes with
//    every build): the placeholder 'sha256-TRUNK_LOADER' is replaced;
// 2. writes 404.html, the deep-link fallback for static hosts without rewrite rules
//    (GitHub Pages), for this build's public URL, with its own script hash.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR ?? 'dist';
const publicUrl = process.env.TRUNK_PUBLIC_URL || '/';
const source = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
const PLACEHOLDER = "'sha256-TRUNK_LOADER'";

/** CSP sources (`'sha256-…'`) of every inline <script> of an HTML text. */
function inlineScriptHashes(html) {
  const hashes = [];
  for (const match of html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    hashes.push(`'sha256-${createHash('sha256').update(match[1], 'utf8').digest('base64')}'`);
  }
  return hashes;
}

const indexPath = path.join(staging, 'index.html');
const index = readFileSync(indexPath, 'utf8');
if (!index.includes(PLACEHOLDER)) {
  throw new Error(`post-build: ${PLACEHOLDER} not found in ${indexPath}`);
}
const hashes = inlineScriptHashes(index);
writeFileSync(indexPath, index.replaceAll(PLACEHOLDER, hashes.join(' ')));

const template = readFileSync(path.join(source, 'static', '404.html'), 'utf8')
  .replaceAll('__PUBLIC_URL__', publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`);
const notFound = template.replace('__SCRIPT_HASH__', inlineScriptHashes(template).join(' '));
writeFileSync(path.join(staging, '404.html'), notFound);
console.log(`post-build: ${indexPath}: CSP allows ${hashes.length} inline script(s); 404.html for ${publicUrl}`);
