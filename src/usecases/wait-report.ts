import type { ContainerReport } from '../progress/events.js';

/**
 * What `up --wait` prints about each container that was not ready: its service, state, the
 * healthcheck's last runs and the last lines of its output, so that a CI log shows why. Plain
 * text, for a terminal, a CI log or a test runner's output alike.
 */
export function formatWaitReport(reports: readonly ContainerReport[]): string {
  return reports.map(formatContainerReport).join('');
}

function formatContainerReport(report: ContainerReport): string {
  const lines = [`✘ service ${report.service} (container ${report.container}) ${report.reason}`, `    state: ${stateText(report)}`];
  if (report.error) lines.push(`    engine error: ${report.error}`);
  if (report.healthLog.length > 0) {
    lines.push(`    health log (${lastOf(report.healthLog.length, 'check')}, oldest first):`);
    for (const check of report.healthLog) {
      const head = `${clockTime(check.start)}  exit ${check.exitCode}  `;
      const [first = '', ...more] = check.output.trimEnd().split('\n');
      lines.push(`      ${head}${first}`, ...more.map((line) => `      ${' '.repeat(head.length)}${line}`));
    }
  }
  if (report.logs.length === 0) lines.push('    no log lines');
  else lines.push(`    ${lastOf(report.logs.length, 'log line')}:`, ...report.logs.map((line) => `      | ${line}`));
  return lines.join('\n') + '\n';
}

/** `exited (code 3)`, `running, health starting`, `missing`. */
function stateText(report: ContainerReport): string {
  const exit = report.exitCode !== undefined ? ` (code ${report.exitCode})` : '';
  const health = report.health ? `, health ${report.health}` : '';
  return `${report.status}${exit}${health}`;
}

/** `last check`, `last 5 checks`. */
function lastOf(count: number, noun: string): string {
  return count === 1 ? `last ${noun}` : `last ${count} ${noun}s`;
}

/** `09:30:01` from the engine's RFC 3339 time (UTC, nanoseconds). */
function clockTime(time: string): string {
  return /T(\d\d:\d\d:\d\d)/.exec(time)?.[1] ?? time;
}
