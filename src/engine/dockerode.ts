// dockerode, imported only through `await import('./dockerode.js')` so that commands without an
// engine never load it; the CLI build makes it a bundle of its own, dist/dockerode.cjs.
// A named export: a default export would not survive the CommonJS round trip.
export { default as Docker } from 'dockerode';
