// Preloaded by bench/hostile.mjs into the tscompose process: on exit, writes the process's peak
// resident memory (kilobytes) to fd 3, which the bench reads. Nothing else in tscompose sees it.
const { writeSync } = require('node:fs');
process.on('exit', () => {
  try {
    writeSync(3, String(process.resourceUsage().maxRSS));
  } catch {
    // fd 3 is open only under the bench.
  }
});
