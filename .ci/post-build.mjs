// Trunk post-build hook (see Trunk.toml), run by `trunk build` and `trunk serve`, on the
// staging folder of the build:
// 1. offline use: writes sw.js (the service worker, with this build's file list and
//    version) and manifest.webmanifest for the build's public URL, and adds the manifest
//    link and the service-worker registration to index.html;
// 2. allows index.html's inline scripts (trunk's loader, which names the hashed bundle
//    files, and the registration) in its Content-Security-Policy by SHA-256 hash: the
//    placeholder 'sha256-TRUNK_LOADER' is replaced;
// 3. writes 404.html, the deep-link fallback for static hosts without rewrite rules
//    (GitHub Pages), for this build's public URL, with its own script hash;
// 4. makes trunk's worker_loader.js import the worker's glue and wasm from the absolute
//    base the page sets (`self.__kpiDashBase`): the page runs it from a blob: URL, so
//    that the worker inherits the page's Content-Security-Policy
//    (src/ui/browser.rs, `start_worker`), and a blob: URL resolves no relative URL.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR ?? 'dist';
const source = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
const rawPublicUrl = process.env.TRUNK_PUBLIC_URL || '/';
const base = rawPublicUrl.endsWith('/') ? rawPublicUrl : `${rawPublicUrl}/`;
const PLACEHOLDER = "'sha256-TRUNK_LOADER'";

const template = (name) => readFileSync(path.join(source, 'src', 'web', name), 'utf8');
const sha256 = (text, encoding) => createHash('sha256').update(text, 'utf8').digest(encoding);

/** CSP sources (`'sha256-…'`) of every inline <script> of an HTML text. */
function inlineScriptHashes(html) {
  return [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (match) => `'sha256-${sha256(match[1], 'base64')}'`,
  );
}

// 1. Service worker and manifest.
const files = readdirSync(staging)
  .filter((name) => statSync(path.join(staging, name)).isFile())
  .filter((name) => !['index.html', '404.html', 'sw.js'].includes(name))
  .sort();
const version = sha256(files.join('\n'), 'hex').slice(0, 16);
const shell = [base, ...files.map((name) => base + name)];
writeFileSync(
  path.join(staging, 'sw.js'),
  template('sw.js')
    .replace('__VERSION__', version)
    .replace('__PUBLIC_URL__', base)
    .replace('__PRECACHE__', JSON.stringify(shell)),
);
const icon = files.find((name) => name.startsWith('icon') && name.endsWith('.svg')) ?? '';
writeFileSync(
  path.join(staging, 'manifest.webmanifest'),
  template('manifest.webmanifest').replaceAll('__PUBLIC_URL__', base).replace('__ICON__', base + icon),
);

// 2. index.html: manifest, registration, CSP hashes.
const indexPath = path.join(staging, 'index.html');
let index = readFileSync(indexPath, 'utf8');
if (!index.includes(PLACEHOLDER)) {
  throw new Error(`post-build: ${PLACEHOLDER} not found in ${indexPath}`);
}
const registration =
  `<link rel="manifest" href="${base}manifest.webmanifest">` +
  `<script>if ("serviceWorker" in navigator) navigator.serviceWorker.register(${JSON.stringify(base + 'sw.js')}, { scope: ${JSON.stringify(base)} }).catch(function () {});</script>`;
// A minified build may leave out </head>: then the tags go before <body>.
const anchor = ['</head>', '<body'].find((tag) => index.includes(tag));
if (!anchor) throw new Error(`post-build: no </head> or <body in ${indexPath}`);
index = index.replace(anchor, `${registration}${anchor}`);
const hashes = inlineScriptHashes(index);
writeFileSync(indexPath, index.replaceAll(PLACEHOLDER, hashes.join(' ')));

// 3. 404.html.
const notFound = template('404.html').replaceAll('__PUBLIC_URL__', base);
writeFileSync(
  path.join(staging, '404.html'),
  notFound.replace('__SCRIPT_HASH__', inlineScriptHashes(notFound).join(' ')),
);
// 4. The worker loader: trunk writes `importScripts("./worker.js");wasm_bindgen("./worker_bg.wasm");`.
const loaderPath = path.join(staging, 'worker_loader.js');
const loader = readFileSync(loaderPath, 'utf8').trim();
const rewritten = loader.includes('self.__kpiDashBase'); // a staging folder seen before
const LOADER_SHAPE = /^importScripts\("\.\/[\w.-]+"\);\s*wasm_bindgen\("\.\/[\w.-]+"\);?$/;
if (!rewritten && !LOADER_SHAPE.test(loader)) {
  throw new Error(`post-build: ${loaderPath} is not trunk's two-line loader: ${loader.slice(0, 200)}`);
}
if (!rewritten) writeFileSync(
  loaderPath,
  '// The data worker\'s loader (trunk\'s, made base-independent by .ci/post-build.mjs): the page\n' +
    '// runs it from a blob: URL after setting self.__kpiDashBase to this folder\'s absolute URL.\n' +
    '(function (base) {\n  ' +
    loader.replace(/"(\.\/[\w.-]+)"/g, (_, file) => `new URL(${JSON.stringify(file)}, base).href`) +
    '\n})(self.__kpiDashBase || self.location.href);\n',
);
console.log(`post-build: ${hashes.length} inline script(s) allowed by hash; sw.js (${shell.length} files), manifest, 404.html and worker_loader.js for ${base}`);
