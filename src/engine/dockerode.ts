// dockerode, required only on first use by client.ts so that commands without an engine, and
// those that only read one, never load it; the build makes it a bundle of its own, dist/dockerode.cjs.
// A named export: a default export would not survive the CommonJS round trip.
export { default as Docker } from 'dockerode';
