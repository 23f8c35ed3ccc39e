// dockerode, imported only through `await import('./dockerode.js')` so that commands without an
// engine never load it; the CLI bundle carries it, initialized on that first import.
export { default } from 'dockerode';
