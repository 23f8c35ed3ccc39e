// Generates benchmark compose projects: N services, each with networks, ports, depends_on and
// environment, so that every loader phase has work to do.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NETWORKS = ['front', 'back', 'data', 'jobs', 'admin'];

export function composeFile(serviceCount) {
  const lines = ['services:'];
  for (let i = 0; i < serviceCount; i++) {
    const name = `svc${i}`;
    lines.push(
      `  ${name}:`,
      '    image: tscompose/busybox:latest',
      `    command: ["httpd", "-f", "-p", "80"]`,
      '    environment:',
      `      SERVICE_NAME: ${name}`,
      `      SERVICE_INDEX: "${i}"`,
      '      LOG_LEVEL: ${LOG_LEVEL:-info}',
      `      UPSTREAM: http://svc${Math.max(0, i - 1)}:80`,
      '    labels:',
      `      com.example.tier: tier${i % 4}`,
      '    ports:',
      `      - "127.0.0.1:${20000 + i}:80"`,
      `      - target: 9000`,
      `        protocol: udp`,
      '    networks:',
      `      ${NETWORKS[i % NETWORKS.length]}:`,
      `        aliases: [alias-${name}]`,
      `      ${NETWORKS[(i + 1) % NETWORKS.length]}: {}`,
    );
    if (i > 0) {
      lines.push('    depends_on:', `      svc${i - 1}:`, '        condition: service_started');
      if (i > 1) lines.push(`      svc${i - 2}:`, '        condition: service_started');
    }
  }
  lines.push('networks:');
  for (const network of NETWORKS) lines.push(`  ${network}:`, '    driver: bridge', '    labels:', `      com.example.network: ${network}`);
  return lines.join('\n') + '\n';
}

/** Writes bench/out/<name>/compose.yaml and returns its directory. */
export function writeProject(root, name, serviceCount) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), composeFile(serviceCount));
  return dir;
}

/**
 * Writes the project of `serviceCount` services as files of at most `perFile` services each
 * (part0.yaml, part1.yaml, …; the networks in the first), under the per-file limits, and returns
 * its directory and the `-f` arguments that name them in order.
 */
export function writeSplitProject(root, name, serviceCount, perFile = 2500) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const [services, networks] = composeFile(serviceCount).split('\nnetworks:\n');
  const parts = [];
  let index = -1;
  for (const line of services.split('\n').slice(1)) {
    if (/^  svc\d+:$/.test(line)) index++;
    (parts[Math.floor(index / perFile)] ??= []).push(line);
  }
  const args = [];
  parts.forEach((lines, part) => {
    writeFileSync(join(dir, `part${part}.yaml`), `services:\n${lines.join('\n')}\n${part === 0 ? `networks:\n${networks}` : ''}`);
    args.push('-f', `part${part}.yaml`);
  });
  return { dir, args };
}
