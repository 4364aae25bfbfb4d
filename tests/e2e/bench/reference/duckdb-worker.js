// DuckDB-WASM's own worker (the exception-handling bundle, or ?bundle=coi), wrapped so that the benchmark
// can read its wasm memory: WebAssembly's instantiate calls are hooked to keep every
// WebAssembly.Memory the module imports or exports, and the size is posted on the
// BroadcastChannel "duckdb-memory" when asked. (A wasm memory only grows: its size at the
// end is its peak.)
const memories = new Set();
const NativeMemory = WebAssembly.Memory;
WebAssembly.Memory = function Memory(descriptor) {
  const memory = new NativeMemory(descriptor);
  memories.add(memory);
  return memory;
};
WebAssembly.Memory.prototype = NativeMemory.prototype;
const keep = (result) => {
  const instance = result?.instance ?? result;
  for (const value of Object.values(instance?.exports ?? {})) {
    if (value instanceof NativeMemory) memories.add(value);
  }
  return result;
};
for (const name of ['instantiate', 'instantiateStreaming']) {
  const native = WebAssembly[name];
  WebAssembly[name] = (...args) => {
    for (const value of Object.values(args[1]?.env ?? {})) {
      if (value instanceof NativeMemory) memories.add(value);
    }
    return native.apply(WebAssembly, args).then(keep);
  };
}
const channel = new BroadcastChannel('duckdb-memory');
channel.onmessage = () => {
  let bytes = 0;
  for (const memory of memories) bytes += memory.buffer.byteLength;
  channel.postMessage({ bytes });
};
// ?bundle=coi: the multi-threaded bundle (needs a cross-origin isolated page).
const bundle = new URLSearchParams(location.search).get('bundle') === 'coi' ? 'coi' : 'eh';
importScripts(`/node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-${bundle}.worker.js`);
